/* The one message box: while the sender types, say what sending now would do.
 *
 * About 400 ms after the last keystroke the text is sent to the preview endpoint
 * (POST /api/v1/threads/{id}/preview, the session and its CSRF token; nothing is stored)
 * and its answer is put in plain words. Every word comes from messaging/wording.py, which
 * the page hands over in the form's data-words attribute; this file only assembles them.
 * Crisis resources are rendered by the server (every number a tel: link) and only shown
 * here. Without this script the form still works: the server decides on send.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 400;
  var form = document.getElementById("compose-form");
  if (!form || !form.getAttribute("data-preview-url") || !window.fetch) { return; }

  function decodeWords(encoded) {
    // Base64 of UTF-8 JSON (see messaging.views._compose_context).
    var bytes = Uint8Array.from(window.atob(encoded || ""), function (c) { return c.charCodeAt(0); });
    return JSON.parse(new TextDecoder().decode(bytes) || "{}");
  }

  var words = decodeWords(form.getAttribute("data-words"));
  var t = words.text || {};
  var isClient = form.getAttribute("data-sender") === "client";
  var url = form.getAttribute("data-preview-url");
  // The server's clock, not the browser's: "it is 23:10 on Saturday" in the viewer's zone (words.tz).
  var skew = (Date.parse(form.getAttribute("data-server-now")) || Date.now()) - Date.now();

  var body = form.querySelector("[name=body]");
  var category = form.querySelector("[name=category]");
  var channel = form.querySelector("[name=channel]");
  var override = form.querySelector("[name=override_reason]");
  var box = document.getElementById("compose-preview");
  var text = document.getElementById("compose-preview-text");
  var reasonsEl = document.getElementById("preview-reasons");
  var autoEl = document.getElementById("preview-auto-reply");
  var change = document.getElementById("preview-change");
  var crisis = document.getElementById("preview-crisis");
  var crisisHeading = document.getElementById("preview-crisis-heading");
  var crisisWatch = document.getElementById("preview-crisis-watch");
  var crisisPause = document.getElementById("preview-crisis-pause");
  if (!body || !box || !text) { return; }

  var timer = null;
  var sequence = 0;
  var inFlight = null;

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function setText(el, value) {
    if (el && el.textContent !== value) { el.textContent = value; }
  }

  function show(el, on) { if (el) { el.hidden = !on; } }

  function clockParts(date) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: words.tz || "UTC", weekday: "long", day: "numeric", month: "long",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    parts.clock = parts.hour + ":" + parts.minute;
    return parts;
  }

  function serverNow() { return new Date(Date.now() + skew); }

  function whenText(iso) {
    var at = new Date(iso);
    var p = clockParts(at);
    var far = at.getTime() - serverNow().getTime() > 6 * 24 * 3600 * 1000;
    return fill(far ? t.when_far : t.when_soon, { day: p.weekday, date: p.day + " " + p.month, time: p.clock });
  }

  function reasonWords(code) {
    return (words.reasons || {})[code] || fill(t.unknown_reason, { code: code.replace(/_/g, " ") });
  }

  function whatItIs(name) { return (words.reads_as || {})[name] || (words.categories || {})[name] || name; }

  function sentence(answer, chosen) {
    var reading = answer.reading || {};
    // What the text reads as: contact outside therapy first, as the decision takes it.
    var readAs = reading.personal ? "personal" : (reading.category || "");
    var decided = chosen || readAs;
    var first = "";
    if (chosen) {
      first = fill(t.sent_as, { what: whatItIs(chosen) });
      if (readAs && readAs !== chosen && !reading.crisis) {
        first += " " + fill(t.reads_as, { what: whatItIs(readAs) });
      }
    } else if (readAs && !reading.crisis) {
      first = fill(t.reads_as, { what: whatItIs(readAs) });
    }
    var hours = (words.response_hours || {})[decided];
    var reply = hours ? " and " + fill(t.reply, { hours: hours }) : "";
    var now = clockParts(serverNow());
    var itIs = fill(t.now, { time: now.clock, day: now.weekday });
    var reasons = answer.reasons || [];
    var then;
    switch (answer.outcome) {
      case "escalated":
        then = t.escalated;
        break;
      case "held":
        then = itIs + "; " + fill(t.held, { when: whenText(answer.deliver_at) }) + reply + ".";
        break;
      case "delivered":
        then = reasons.indexOf("outside_hours") !== -1 ? itIs + "; " + t.delivered_outside + "." : t.delivered + reply + ".";
        break;
      case "delivered_with_exception":
        then = t.with_exception;
        break;
      case "blocked":
        then = t.blocked;
        break;
      default:
        then = "";
    }
    return (first ? first + " " : "") + then;
  }

  function showReasons(list) {
    if (!reasonsEl) { return; }
    reasonsEl.textContent = "";
    list.forEach(function (code) {
      var li = document.createElement("li");
      li.textContent = reasonWords(code);
      reasonsEl.appendChild(li);
    });
    show(reasonsEl, list.length > 0);
  }

  function showCrisis(answer) {
    if (!crisis) { return; }
    var reading = answer.reading || {};
    var inCrisis = Boolean(reading.crisis) || answer.outcome === "escalated";
    var resources = inCrisis || Boolean(answer.crisis_resources);
    setText(crisisHeading, inCrisis ? t.crisis_heading : t.resources_heading);
    // Crisis language is announced at once, even to someone still typing; the resources an
    // emergency carries are shown without interrupting.
    if (inCrisis) { crisis.setAttribute("role", "alert"); } else { crisis.removeAttribute("role"); }
    show(crisisWatch, inCrisis);
    show(crisisPause, inCrisis);
    show(crisis, resources);
  }

  function render(answer) {
    var chosen = category ? category.value : "";
    setText(text, sentence(answer, chosen));
    showReasons(answer.outcome === "blocked" ? (answer.reasons || []) : []);
    if (autoEl) {
      setText(autoEl, answer.auto_reply ? fill(t.auto_reply, { text: answer.auto_reply }) : "");
      show(autoEl, Boolean(answer.auto_reply));
    }
    showCrisis(answer);
    box.setAttribute("data-outcome", answer.outcome || "");
    show(box, true);
  }

  function renderProblem(message) {
    setText(text, message);
    showReasons([]);
    show(autoEl, false);
    show(crisis, false);
    box.setAttribute("data-outcome", "");
    show(box, true);
  }

  function clear() {
    sequence += 1;
    if (inFlight) { inFlight.abort(); inFlight = null; }
    box.removeAttribute("data-outcome");
    show(box, false);
  }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function ask() {
    timer = null;
    var value = body.value;
    if (!value.trim()) { clear(); return; }
    var payload = { body: value };
    if (category && category.value) { payload.category = category.value; }
    if (channel && channel.value) { payload.channel = channel.value; }
    if (override && override.value.trim()) { payload.override_reason = override.value; }
    sequence += 1;
    var mine = sequence;
    if (inFlight) { inFlight.abort(); }
    inFlight = window.AbortController ? new AbortController() : null;
    box.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload),
      credentials: "same-origin",
      redirect: "manual",
      signal: inFlight ? inFlight.signal : undefined
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        return { problem: t.session };
      }
      return response.json().then(function (data) {
        if (response.status === 200) { return { answer: data }; }
        if (response.status === 400) {
          if (data && data.category && !(category && category.value)) { return { problem: t.unclear }; }
          var first = data && Object.keys(data).map(function (k) { return [].concat(data[k])[0]; })[0];
          return { problem: first ? String(first) : t.error };
        }
        return { problem: t.error };
      });
    }).then(function (result) {
      if (mine !== sequence) { return; }  // a later keystroke asked again: this answer is stale
      if (result.answer) { render(result.answer); } else { renderProblem(result.problem); }
    }).catch(function (err) {
      if (mine !== sequence || (err && err.name === "AbortError")) { return; }
      renderProblem(t.error);
    }).then(function () {
      if (mine === sequence) { box.removeAttribute("aria-busy"); inFlight = null; }
    });
  }

  function soon() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(ask, DEBOUNCE_MS);
  }

  body.addEventListener("input", soon);
  if (override) { override.addEventListener("input", soon); }
  [category, channel].forEach(function (el) {
    if (el) { el.addEventListener("change", function () { if (timer) { window.clearTimeout(timer); } ask(); }); }
  });
  if (change && category) {
    change.addEventListener("click", function () { category.focus(); });
  } else if (change) {
    change.hidden = true;
  }
  if (body.value.trim()) { ask(); }  // a form redrawn with what was written (a refused send)
})();
