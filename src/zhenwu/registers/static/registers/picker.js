"use strict";
// An activity's entity field (the lamp a patrol names): type part of a thing's 编号 or name and pick it
// from the matches the server sends (/registers/<form_id>/things.json?q=, at most 20, in the user's
// scope). Without this script the field is a plain text box in which the exact 编号 names the thing.
(function () {
  var boxes = document.querySelectorAll("input[data-thing-search]");
  Array.prototype.forEach.call(boxes, function (input) {
    var url = input.getAttribute("data-thing-search");
    var list = document.createElement("ul"), status = document.createElement("p");
    var timer = null, asked = 0, shown = [], active = -1;

    input.parentNode.classList.add("thing-picker");
    list.className = "thing-choices";
    list.id = (input.id || input.name) + "-choices";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    status.className = "hint thing-status";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-controls", list.id);
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function pick(thing) {
      // The 编号 is what a clerk writes and what the server names the thing by; a thing without one by its key.
      input.value = thing.identity || thing.key;
      status.textContent = "已选：" + thing.text + " · " + thing.unit;
      close();
    }

    function highlight(index) {
      var options = list.children;
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function show(things, typed) {
      list.textContent = "";
      shown = things;
      things.forEach(function (thing, i) {
        var option = document.createElement("li"), name = document.createElement("span");
        var unit = document.createElement("span");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("data-key", thing.key);
        name.className = "thing-name";
        name.textContent = thing.text;
        unit.className = "thing-unit";
        unit.textContent = thing.unit;
        option.appendChild(name);
        option.appendChild(unit);
        // Keep the focus in the box, so that choosing does not first close the list.
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { pick(thing); });
        list.appendChild(option);
      });
      active = -1;
      list.hidden = things.length === 0;
      input.setAttribute("aria-expanded", things.length ? "true" : "false");
      status.textContent = things.length || !typed ? "" : "没有找到编号或名称含“" + typed + "”的对象。";
    }

    function ask() {
      var typed = input.value.trim(), mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(typed), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        if (mine === asked && document.activeElement === input) { show(data.things, typed); }
      }).catch(function () {
        if (mine !== asked) { return; }
        close();
        status.textContent = "暂时无法查找，可直接填写完整编号。";
      });
    }

    input.addEventListener("input", function () {
      asked++; // what was asked before this change answers too late
      status.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    input.addEventListener("focus", function () {
      if (!input.value.trim()) { ask(); }
    });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + shown.length) % shown.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        pick(shown[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
  });
})();
