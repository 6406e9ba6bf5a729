"use strict";
// The unit picker (org/widgets.py) is a plain <select> of the units the user sees, each by name and the
// names above it (东岗村 › 第1网格). This puts a search box beside it: typing part of a name keeps only
// the units whose name or path holds it, and chooses the first of them, so that a long list is never
// scrolled on a phone. Without this script the <select> works as it is.
(function () {
  function enhance(select) {
    if (select.getAttribute("data-unit-picker-ready")) return;
    select.setAttribute("data-unit-picker-ready", "1");
    var all = Array.prototype.map.call(select.options, function (option) {
      return { value: option.value, text: option.text, key: option.text.toLowerCase() };
    });
    var wrap = document.createElement("span"), box = document.createElement("input");
    var status = document.createElement("span");
    wrap.className = "unit-picker";
    box.type = "search";
    box.className = "unit-search";
    box.placeholder = "输入名称查找";
    box.setAttribute("autocomplete", "off");
    box.setAttribute("aria-label", "按名称查找单位");
    status.className = "hint unit-status";
    status.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(box);
    wrap.appendChild(select);
    wrap.appendChild(status);

    function option(choice) {
      var element = document.createElement("option");
      element.value = choice.value;
      element.textContent = choice.text;
      return element;
    }

    function narrow() {
      var words = box.value.trim().toLowerCase(), current = select.value;
      var found = words ? all.filter(function (c) { return c.value && c.key.indexOf(words) >= 0; }) : all;
      select.textContent = "";
      found.forEach(function (choice) { select.appendChild(option(choice)); });
      if (!words) {
        select.value = current;
        status.textContent = "";
      } else if (found.length) {
        var kept = found.some(function (c) { return c.value === current; });
        select.value = kept ? current : found[0].value;
        status.textContent = "找到 " + found.length + " 个";
      } else {
        var none = option({ value: "", text: "没有名称含“" + box.value.trim() + "”的单位" });
        none.disabled = true;
        select.appendChild(none);
        status.textContent = "没有找到";
      }
    }

    box.addEventListener("input", narrow);
    box.addEventListener("keydown", function (event) {
      // Enter in the box chooses the first match; it must not send the form before the user looks.
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-unit-picker]"), enhance);
})();
