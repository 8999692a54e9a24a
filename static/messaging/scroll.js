// Keep the conversation scrolled to its newest message (at the bottom), on load and when the
// poll adds one, unless the reader has scrolled up to read older ones.
(function () {
  "use strict";
  var box = document.getElementById("conversation-scroll");
  var list = document.getElementById("message-list");
  if (!box || !list) { return; }
  var pinned = true;
  function toBottom() { box.scrollTop = box.scrollHeight; }
  box.addEventListener("scroll", function () {
    pinned = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  });
  if (window.MutationObserver) {
    new MutationObserver(function () { if (pinned) { toBottom(); } }).observe(list, { childList: true });
  }
  toBottom();
})();
