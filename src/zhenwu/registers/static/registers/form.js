"use strict";
// A register's form on a phone: fields shown only when a simple `relevant` holds, and the 定位 button.
// The server checks every rule again; a rule this file does not understand leaves its field shown.
(function () {
  var form = document.getElementById("record-form");
  if (!form) { return; }

  function chosen(name) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== name || el.disabled) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { values.push(el.value); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { values.push(o.value); });
      } else if (el.value !== "") {
        values.push(el.value);
      }
    });
    return values;
  }

  var ruled = form.querySelectorAll("[data-relevant-field]");
  function apply() {
    // Twice, so that a field hidden by a field that was itself just hidden follows it.
    for (var pass = 0; pass < 2; pass++) {
      Array.prototype.forEach.call(ruled, function (box) {
        var values = chosen(box.dataset.relevantField), wanted = box.dataset.relevantValue;
        var show = box.dataset.relevantKind === "selected" ? values.indexOf(wanted) >= 0 : values.join(" ") === wanted;
        box.hidden = !show;
        // A hidden field is neither checked by the browser nor sent: the server clears it anyway.
        Array.prototype.forEach.call(box.querySelectorAll("input, select, textarea, button"), function (el) {
          el.disabled = !show;
        });
      });
    }
  }
  if (ruled.length) { form.addEventListener("change", apply); apply(); }

  Array.prototype.forEach.call(form.querySelectorAll("[data-geopoint]"), function (box) {
    var button = box.querySelector("[data-locate]"), inputs = box.querySelectorAll("input");
    var status = box.parentNode.querySelector("[data-geo-status]");
    if (!navigator.geolocation) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(function (position) {
        inputs[0].value = position.coords.latitude.toFixed(6);
        inputs[1].value = position.coords.longitude.toFixed(6);
        status.textContent = "已定位，精度约 " + Math.round(position.coords.accuracy) + " 米。";
      }, function () {
        status.textContent = "无法定位：请允许浏览器使用位置，或手工填写纬度、经度。";
      }, { enableHighAccuracy: true, timeout: 20000 });
    });
  });
})();
