// Copy buttons: <button data-copy="text" data-copied="Copied">. No inline script (CSP).
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var label = button.textContent;
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      var done = function () {
        button.textContent = button.getAttribute("data-copied") || "Copied";
        window.setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { window.prompt("Copy:", text); });
      } else {
        window.prompt("Copy:", text);
      }
    });
  });
})();
