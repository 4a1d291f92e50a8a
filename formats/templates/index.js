/* The filter box: shows it, then hides leaflets and languages that do not match
   every word typed.  Without this script the box stays hidden and the whole
   list shows. */
(function () {
  "use strict";
  var form = document.querySelector(".filter");
  var box = document.getElementById("filter");
  var status = document.getElementById("filter-status");
  if (!form || !box || !status) { return; }
  var leaflets = Array.prototype.slice.call(document.querySelectorAll(".leaflet"));
  var template = status.getAttribute("data-template");

  function fold(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }

  function apply() {
    var words = fold(box.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    leaflets.forEach(function (leaflet) {
      var own = fold(leaflet.getAttribute("data-search"));
      var any = false;
      leaflet.querySelectorAll(".language").forEach(function (language) {
        var text = own + " " + fold(language.getAttribute("data-search"));
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        language.hidden = !match;
        any = any || match;
      });
      leaflet.hidden = !any;
      if (any) { shown += 1; }
    });
    status.textContent = template.replace("{shown}", shown).replace("{total}", leaflets.length);
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  box.addEventListener("input", apply);
  if (box.value) { apply(); }
}());
