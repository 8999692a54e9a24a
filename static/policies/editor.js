// The policy editor: a searchable time-zone list built from the browser's own zones (no
// 600-option select in the page), a new policy starting from the browser's zone, and the
// "use the suggested reply" button. Without it the form still works (typed zone, server check).
(function () {
  "use strict";
  var form = document.getElementById("policy-editor");
  if (!form) { return; }
  var list = document.getElementById("tz-list");
  var input = document.getElementById("id_g-timezone");
  if (list && input && Intl.supportedValuesOf) {
    var zones = Intl.supportedValuesOf("timeZone");
    var frag = document.createDocumentFragment();
    zones.forEach(function (z) {
      var opt = document.createElement("option");
      opt.value = z;
      frag.appendChild(opt);
    });
    list.appendChild(frag);
    var browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (form.getAttribute("data-new-policy") === "1" && browserZone && !form.querySelector(".is-invalid")) {
      input.value = browserZone;
    }
  }
  var use = document.getElementById("use-suggested-reply");
  if (use) {
    var target = document.getElementById(use.getAttribute("data-target"));
    if (target) {
      use.hidden = false;
      use.addEventListener("click", function () {
        target.value = use.getAttribute("data-reply");
        target.focus();
      });
    }
  }
})();
