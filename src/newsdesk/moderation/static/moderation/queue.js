// Keyboard shortcuts for the moderation queue: j/k move, a/r/s/b act, x selects.
// Everything also works with plain clicks; this file only adds keys.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll(".mq-row"));
  if (!rows.length) return;
  var current = 0;
  function focusRow(i) {
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (row, n) { row.classList.toggle("mq-row--current", n === current); });
    rows[current].focus();
    rows[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    var key = event.key;
    if (key === "j") { focusRow(current + 1); event.preventDefault(); return; }
    if (key === "k") { focusRow(current - 1); event.preventDefault(); return; }
    if (key === "x") {
      var box = rows[current].querySelector("input[type=checkbox]");
      if (box) box.checked = !box.checked;
      return;
    }
    var button = rows[current].querySelector('button[data-key="' + key + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });
  focusRow(0);
})();
