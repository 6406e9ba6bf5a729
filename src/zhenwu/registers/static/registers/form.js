"use strict";
// A register's form on a phone: fields shown only when a simple `relevant` holds, the 定位 button, and
// a repeat's rows added and deleted in the page. The server checks every rule again; a rule this file
// does not understand leaves its field shown.
(function () {
  var form = document.getElementById("record-form");
  if (!form) { return; }

  function each(list, callback) { Array.prototype.forEach.call(list, callback); }

  function chosen(name) {
    var values = [];
    each(form.elements, function (el) {
      if (el.name !== name || el.disabled) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { values.push(el.value); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        each(el.selectedOptions, function (o) { values.push(o.value); });
      } else if (el.value !== "") {
        values.push(el.value);
      }
    });
    return values;
  }

  function apply() {
    var ruled = form.querySelectorAll("[data-relevant-field]");
    // Twice, so that a field hidden by a field that was itself just hidden follows it.
    for (var pass = 0; pass < 2; pass++) {
      each(ruled, function (box) {
        var values = chosen(box.dataset.relevantField), wanted = box.dataset.relevantValue;
        var show = box.dataset.relevantKind === "selected" ? values.indexOf(wanted) >= 0 : values.join(" ") === wanted;
        box.hidden = !show;
        // A hidden field is neither checked by the browser nor sent: the server clears it anyway. A
        // repeat's count of rows (a hidden input) is still sent: its rows, disabled, send nothing.
        each(box.querySelectorAll("input:not([type=hidden]), select, textarea, button"), function (el) {
          el.disabled = !show;
        });
      });
    }
  }
  form.addEventListener("change", apply);
  apply();

  // The 定位 button, for the geopoints on the page and those of rows added later.
  function locate(box) {
    var inputs = box.querySelectorAll("input");
    var status = box.parentNode.querySelector("[data-geo-status]");
    status.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(function (position) {
      inputs[0].value = position.coords.latitude.toFixed(6);
      inputs[1].value = position.coords.longitude.toFixed(6);
      status.textContent = "已定位，精度约 " + Math.round(position.coords.accuracy) + " 米。";
    }, function () {
      status.textContent = "无法定位：请允许浏览器使用位置，或手工填写纬度、经度。";
    }, { enableHighAccuracy: true, timeout: 20000 });
  }
  function offerLocate(root) {
    if (!navigator.geolocation) { return; }
    each(root.querySelectorAll("[data-locate]"), function (button) { button.hidden = false; });
  }
  offerLocate(form);

  // A repeat's rows are named like a Django formset's: "outputs-0-qty", with "outputs-TOTAL_FORMS".
  // Adding copies the empty row of the <template>; deleting removes a row and numbers the rest again,
  // so that the server reads rows 0, 1, 2… The buttons also work without this script (the server
  // sends the page back with the row added or deleted); here they no longer submit.
  var ATTRIBUTES = ["name", "id", "for", "data-name", "data-relevant-field"];
  function renumber(fieldset) {
    var prefix = fieldset.dataset.repeat;
    var escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    var pattern = new RegExp("^(id_|label-)?" + escaped + "-(\\d+|__prefix__)-");
    var rows = fieldset.querySelector("[data-repeat-rows]").querySelectorAll("[data-repeat-row]");
    each(rows, function (row, index) {
      row.querySelector("[data-row-number]").textContent = String(index + 1);
      row.querySelector("[data-repeat-delete]").value = prefix + "-" + index;
      each(row.querySelectorAll("*"), function (el) {
        ATTRIBUTES.forEach(function (attribute) {
          var text = el.getAttribute(attribute);
          if (text && pattern.test(text)) {
            el.setAttribute(attribute, text.replace(pattern, function (all, head) {
              return (head || "") + prefix + "-" + index + "-";
            }));
          }
        });
      });
    });
    fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']").value = String(rows.length);
    var add = fieldset.querySelector("[data-repeat-add]");
    add.disabled = rows.length >= Number(fieldset.dataset.maxRows || 200);
  }

  each(form.querySelectorAll("fieldset[data-repeat]"), function (fieldset) {
    var rows = fieldset.querySelector("[data-repeat-rows]");
    var empty = fieldset.querySelector("template[data-repeat-empty]");
    var add = fieldset.querySelector("[data-repeat-add]");
    add.type = "button";
    each(rows.querySelectorAll("[data-repeat-delete]"), function (button) { button.type = "button"; });
    add.addEventListener("click", function () {
      var copy = document.importNode(empty.content, true);
      var row = copy.querySelector("[data-repeat-row]");
      row.querySelector("[data-repeat-delete]").type = "button";
      rows.appendChild(copy);
      renumber(fieldset);
      offerLocate(row);
      apply();
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
    rows.addEventListener("click", function (event) {
      var button = event.target.closest("[data-repeat-delete]");
      if (!button) { return; }
      button.closest("[data-repeat-row]").remove();
      renumber(fieldset);
      apply();
    });
    renumber(fieldset);
  });

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-locate]");
    if (button) { locate(button.closest("[data-geopoint]")); }
  });
})();
