// The thread page: the conversation scrolls in its own box, newest at the bottom, and the
// message box stays in view below it (sticky at the bottom of the viewport, see portal.css).
// The box's height is fitted to what is left of the viewport above the message box, so on a
// phone and a desktop alike the box is reachable without scrolling past the history. The
// conversation stays at its newest message, on load and when the poll adds one, unless the
// reader has scrolled up to read older ones; earlier messages put above keep the view still.
(function () {
  "use strict";
  var box = document.getElementById("conversation-scroll");
  var list = document.getElementById("message-list");
  var compose = document.querySelector(".thread-compose");
  if (!box || !list) { return; }
  var MIN = 160;  // px: never smaller than a few messages
  var pinned = true;
  function toBottom() { box.scrollTop = box.scrollHeight; }
  function fit() {
    if (!compose) { return; }
    var top = box.getBoundingClientRect().top + window.scrollY;
    var status = document.getElementById("poll-status");
    var below = compose.offsetHeight + (status ? status.offsetHeight : 0) + 16;
    var room = Math.max(MIN, Math.floor(window.innerHeight - top - below));
    if (box.style.maxHeight !== room + "px") {
      box.style.maxHeight = room + "px";
      if (pinned) { toBottom(); }
    }
  }
  box.addEventListener("scroll", function () {
    pinned = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  });
  list.addEventListener("portal:prepended", function (event) {
    // Earlier messages went in above (thread.js): the ones being read stay where they were.
    box.scrollTop = box.scrollHeight - event.detail.fromBottom;
    pinned = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  });
  if (window.MutationObserver) {
    new MutationObserver(function () { if (pinned) { toBottom(); } }).observe(list, { childList: true });
  }
  if (compose && window.ResizeObserver) {
    // The preview grows and shrinks as the sender types.
    new ResizeObserver(fit).observe(compose);
  }
  window.addEventListener("resize", fit);
  fit();
  toBottom();
})();
