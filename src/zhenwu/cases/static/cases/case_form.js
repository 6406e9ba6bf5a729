"use strict";
// Offer only the categories of the chosen type; the server checks the pair anyway.
(function () {
  var byType = JSON.parse(document.getElementById("categories-by-type").textContent);
  var type = document.getElementById("id_case_type"), category = document.getElementById("id_category");
  function narrow() {
    var allowed = (byType[type.value] || []).map(String), first = null;
    Array.prototype.forEach.call(category.options, function (option) {
      var show = option.value === "" || allowed.indexOf(option.value) >= 0;
      option.hidden = !show; option.disabled = !show;
      if (show && option.value && first === null) { first = option; }
    });
    if (category.selectedOptions.length && category.selectedOptions[0].disabled && first) { first.selected = true; }
  }
  type.addEventListener("change", narrow); narrow();
})();
