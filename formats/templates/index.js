/* The filter box: shows it, then hides leaflets and languages that do not match
   every word typed (and the specialty chosen).  Without this script the box stays
   hidden and the whole list shows.  The searched words are folded once, and an
   element is only touched when it changes, so that a library of thousands of
   editions answers as one types. */
(function () {
  "use strict";
  var form = document.querySelector(".filter");
  var box = document.getElementById("filter");
  var status = document.getElementById("filter-status");
  if (!form || !box || !status) { return; }
  var choice = document.getElementById("specialty");
  var template = status.getAttribute("data-template");

  function fold(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }

  var groups = Array.prototype.map.call(document.querySelectorAll(".group"), function (group) {
    return {element: group, slug: group.getAttribute("data-group")};
  });
  var leaflets = Array.prototype.map.call(document.querySelectorAll(".leaflet"), function (leaflet) {
    var group = leaflet.closest(".group");
    // Words shown on the page are searched as they are shown; data-search holds the rest.
    var heading = leaflet.querySelector(".leaflet-title");
    var own = fold(leaflet.getAttribute("data-search") + " " + (heading ? heading.textContent : ""));
    return {
      element: leaflet,
      group: group ? group.getAttribute("data-group") : "",
      languages: Array.prototype.map.call(leaflet.querySelectorAll(".language"), function (language) {
        var names = language.querySelector("h3, h4, .names");
        var title = language.querySelector(".translated-title");
        return {element: language, text: own + " " + fold([language.getAttribute("data-search"),
          names ? names.textContent : "", title ? title.textContent : ""].join(" "))};
      })
    };
  });

  function show(element, visible) {
    if (element.hidden === visible) { element.hidden = !visible; }
  }

  function apply() {
    var words = fold(box.value).split(/\s+/).filter(Boolean);
    var wanted = choice ? choice.value : "";
    var shown = 0;
    var groupsShown = {};
    leaflets.forEach(function (leaflet) {
      var any = false;
      var inGroup = !wanted || leaflet.group === wanted;
      leaflet.languages.forEach(function (language) {
        var match = inGroup && words.every(function (word) {
          return language.text.indexOf(word) !== -1;
        });
        show(language.element, match);
        any = any || match;
      });
      show(leaflet.element, any);
      if (any) { shown += 1; groupsShown[leaflet.group] = true; }
    });
    groups.forEach(function (group) { show(group.element, !!groupsShown[group.slug]); });
    status.textContent = template.replace("{shown}", shown).replace("{total}", leaflets.length);
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  box.addEventListener("input", apply);
  if (choice) { choice.addEventListener("change", apply); }
  if (box.value || (choice && choice.value)) { apply(); }
}());
