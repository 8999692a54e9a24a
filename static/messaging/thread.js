/* Live updates for the messaging pages: the thread page and both dashboards.
 *
 * No inline script anywhere (CSP script-src 'self'): the pages carry data-* attributes
 * and this file does the rest.
 *
 * - Every ~15 s it asks the poll endpoint (a small JSON answer) what changed.
 * - Every poll sends the header X-Portal-Poll: 1, so the session middleware does not
 *   count it as activity: an idle page that keeps polling still times out.
 * - New messages are inserted into the conversation list (a polite live region) and
 *   changed ones replaced in place. The compose form is never touched, and the page is
 *   never reloaded, so nothing the user is typing is lost.
 * - When the session has ended the polling stops and says so, instead of reloading.
 * - "Show earlier messages" puts the messages before the oldest one shown above it, in
 *   place (without the script the link opens a page of them).
 */
(function () {
  "use strict";

  var INTERVAL_MS = 15000;
  var POLL_HEADERS = { "X-Portal-Poll": "1", "Accept": "application/json" };

  function setText(el, text) {
    // Touch a live region only when its words change, so screen readers are not repeated at.
    if (el && el.textContent !== text) { el.textContent = text; }
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function startPolling(buildUrl, onData, statusEl) {
    var timer = null;
    var stopped = false;

    function schedule() {
      if (!stopped) { timer = window.setTimeout(tick, INTERVAL_MS); }
    }

    function stop(text) {
      stopped = true;
      if (timer) { window.clearTimeout(timer); timer = null; }
      setText(statusEl, text);
    }

    function tick() {
      timer = null;
      if (document.visibilityState === "hidden") { schedule(); return; }
      fetch(buildUrl(), {
        method: "GET",
        headers: POLL_HEADERS,
        credentials: "same-origin",
        cache: "no-store",
        redirect: "manual"
      }).then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          stop("Your session has ended. Copy anything you were writing, then reload the page to log in again.");
          return null;
        }
        if (response.status === 404) {
          stop("This page is no longer available.");
          return null;
        }
        if (!response.ok) { throw new Error("poll failed: " + response.status); }
        return response.json();
      }).then(function (data) {
        if (data) {
          onData(data);
          setText(statusEl, "");
        }
      }).catch(function () {
        setText(statusEl, "Could not check for new messages; trying again shortly.");
      }).then(schedule);
    }

    document.addEventListener("visibilitychange", function () {
      // Back on the tab: check at once rather than wait for the next turn.
      if (document.visibilityState === "visible" && !stopped && timer) {
        window.clearTimeout(timer);
        tick();
      }
    });
    schedule();
  }

  function updateUnread(unread) {
    if (!unread) { return; }
    var threads = unread.threads || {};
    document.querySelectorAll("[data-unread-thread]").forEach(function (el) {
      var n = threads[el.getAttribute("data-unread-thread")] || 0;
      setText(el, n + " unread");
      el.classList.toggle("badge", n > 0);
      el.classList.toggle("text-bg-primary", n > 0);
      el.classList.toggle("text-body-secondary", n === 0);
    });
    var total = document.getElementById("unread-total");
    if (total && typeof unread.total === "number") {
      setText(total, unread.total + " unread message" + (unread.total === 1 ? "" : "s"));
    }
  }

  function fromHtml(html) {
    // The server renders each message with auto-escaping; the template element parses it
    // inertly (nothing in it runs), and it is inserted as one list item.
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // --- the thread page ----------------------------------------------------------------
  function threadPage(list) {
    var version = list.getAttribute("data-version") || "";
    var pollUrl = list.getAttribute("data-poll-url");
    var readUrl = list.getAttribute("data-read-url");
    var empty = document.getElementById("no-messages");
    var statusEl = document.getElementById("poll-status");

    function markRead() {
      // Only what a person at the screen can have seen counts as read.
      if (!readUrl || document.visibilityState !== "visible" || !document.hasFocus()) { return; }
      var headers = { "X-CSRFToken": csrfToken(), "X-Portal-Poll": "1", "Accept": "application/json" };
      fetch(readUrl, { method: "POST", headers: headers, credentials: "same-origin", redirect: "manual" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { updateUnread({ total: data.unread }); } })
        .catch(function () { /* the next page load marks them read */ });
    }

    function apply(items, ids) {
      var existing = {};
      var order = [];
      Array.prototype.forEach.call(list.querySelectorAll("[data-message-id]"), function (el) {
        existing[el.getAttribute("data-message-id")] = el;
        order.push(el);
      });
      if (ids) {
        // Only the new and changed messages came, with the whole window's ids in order:
        // the ones the page already holds unchanged stay as they are.
        var sent = {};
        items.forEach(function (item) { sent[String(item.id)] = item; });
        items = ids.map(function (id) {
          var key = String(id);
          var el = existing[key];
          return sent[key] || { id: id, state: el ? el.getAttribute("data-state") : "", html: null, el: el };
        }).filter(function (item) { return item.html !== null || item.el; });
      }
      var keep = {};
      items.forEach(function (item) { keep[String(item.id)] = true; });
      // The window is the latest messages. What the page holds above the first of them (the
      // earlier messages it loaded, and those the window moved past as new ones came) is
      // older than all of it and stays. With no message in common (a page left for long)
      // there may be a gap: the page then holds the window alone, as it was drawn.
      var earlier = [];
      var overlap = order.some(function (el) { return keep[el.getAttribute("data-message-id")]; });
      for (var i = 0; overlap && i < order.length && !keep[order[i].getAttribute("data-message-id")]; i++) {
        earlier.push(order[i]);
        keep[order[i].getAttribute("data-message-id")] = true;
      }
      var previous = earlier.length ? earlier[earlier.length - 1] : null;
      var incoming = false;
      items.forEach(function (item) {
        var key = String(item.id);
        var el = existing[key];
        if (item.html === null) {
          // unchanged: keep the element the page has
        } else if (el && el.getAttribute("data-state") !== item.state) {
          var fresh = fromHtml(item.html);
          list.replaceChild(fresh, el);
          el = fresh;
        } else if (!el) {
          el = fromHtml(item.html);
          if (el.getAttribute("data-mine") !== "1") { incoming = true; }
        }
        var wanted = previous ? previous.nextElementSibling : list.firstElementChild;
        if (wanted !== el) { list.insertBefore(el, wanted); }
        previous = el;
      });
      Object.keys(existing).forEach(function (key) {
        if (!keep[key] && existing[key].parentNode === list) { list.removeChild(existing[key]); }
      });
      if (empty) { empty.hidden = list.firstElementChild !== null; }
      if (incoming) { markRead(); }
    }

    earlierMessages(list, statusEl);
    if (!pollUrl) { return; }  // a page of earlier messages: nothing new is shown on it

    startPolling(function () {
      return pollUrl + "&version=" + encodeURIComponent(version);
    }, function (data) {
      if (data.messages) { apply(data.messages, data.ids); }
      if (data.version) { version = data.version; }
    }, statusEl);
  }

  // --- "Show earlier messages": the ones before the oldest the page holds, put above it ---
  function earlierMessages(list, statusEl) {
    var link = document.getElementById("earlier-link");
    if (!link) { return; }
    var url = link.getAttribute("data-earlier-url");
    var box = document.getElementById("conversation-scroll");
    var busy = false;

    function done(more) {
      if (more) {
        var first = list.querySelector("[data-message-id]");
        if (first) {
          // Opened in a new tab, the link still shows what comes before the oldest here.
          link.href = link.href.replace(/before=\d+/, "before=" + first.getAttribute("data-message-id"));
        }
        return;
      }
      var start = document.createElement("p");
      start.className = "text-center small text-body-secondary mb-2";
      start.id = "conversation-start";
      start.tabIndex = -1;
      start.textContent = "This is the start of the conversation.";
      link.parentNode.replaceWith(start);
      start.focus();
    }

    link.addEventListener("click", function (event) {
      var first = list.querySelector("[data-message-id]");
      if (!url || !first || !window.fetch) { return; }  // the link opens a page of them
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      link.setAttribute("aria-disabled", "true");
      fetch(url + "?before=" + encodeURIComponent(first.getAttribute("data-message-id")), {
        method: "GET",
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
        redirect: "manual"
      }).then(function (response) {
        if (!response.ok) { throw new Error("earlier messages: " + response.status); }
        return response.json();
      }).then(function (data) {
        var fromBottom = box ? box.scrollHeight - box.scrollTop : 0;
        var anchor = list.firstElementChild;
        var added = 0;
        data.messages.forEach(function (item) {
          if (!document.getElementById("message-" + item.id)) {
            list.insertBefore(fromHtml(item.html), anchor);
            added += 1;
          }
        });
        // scroll.js keeps the messages being read where they were on the screen.
        list.dispatchEvent(new CustomEvent("portal:prepended", { detail: { fromBottom: fromBottom } }));
        setText(statusEl, added + " earlier message" + (added === 1 ? "" : "s") + " shown above.");
        done(data.more);
      }).catch(function () {
        setText(statusEl, "Could not load earlier messages; try again shortly.");
      }).then(function () {
        busy = false;
        link.removeAttribute("aria-disabled");
      });
    });
  }

  // --- dashboards: unread counts and the crisis alert banner -----------------------------
  function dashboard(source) {
    var alerts = document.getElementById("crisis-alerts");
    var alertsVersion = alerts ? (alerts.getAttribute("data-alerts-version") || "") : "";
    var pollUrl = source.getAttribute("data-poll-url");
    startPolling(function () {
      var sep = pollUrl.indexOf("?") === -1 ? "?" : "&";
      return alerts ? pollUrl + sep + "alerts_version=" + encodeURIComponent(alertsVersion) : pollUrl;
    }, function (data) {
      updateUnread(data.unread);
      if (alerts && typeof data.alerts_html === "string") {
        alerts.innerHTML = "";
        var node = data.alerts_html.trim() ? fromHtml(data.alerts_html) : null;
        if (node) { alerts.appendChild(node); }
      }
      if (data.alerts_version) { alertsVersion = data.alerts_version; }
    }, null);
  }

  var list = document.getElementById("message-list");
  if (list) {
    threadPage(list);
  } else {
    var source = document.getElementById("crisis-alerts") || document.getElementById("unread-poll");
    if (source) { dashboard(source); }
  }
})();
