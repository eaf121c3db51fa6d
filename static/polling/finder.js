// Street suggestions for the station finder: as one types a street's name, the streets that
// match (streets.json) are offered in a list (an ARIA combobox); choosing one keeps its id for
// the form and moves on to the building. Without scripts the form still works: its results
// page lists the streets to choose from.
(function () {
  "use strict";
  var form = document.querySelector("[data-street-finder]");
  if (!form) return;
  var input = form.querySelector("#id_street");
  var list = form.querySelector("#street-suggestions");
  var streetId = form.querySelector("[data-street-id]");
  var building = form.querySelector("#id_building");
  var url = form.dataset.suggestionsUrl;
  var timer = null;
  var active = -1;
  var asked = 0;

  function options() {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function mark(index) {
    var all = options();
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0 && all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    }
  }

  function choose(option) {
    input.value = option.dataset.name;
    streetId.value = option.dataset.id;
    streetId.disabled = false;
    close();
    building.focus();
  }

  function show(streets) {
    list.textContent = "";
    if (!streets.length) {
      var empty = document.createElement("li");
      empty.className = "suggestions__empty";
      empty.textContent = form.dataset.noStreets;
      list.appendChild(empty);
    }
    streets.forEach(function (street, i) {
      var option = document.createElement("li");
      option.id = "street-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.id = street.id;
      option.dataset.name = street.name;
      option.textContent = street.label;
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(option);
      });
      list.appendChild(option);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function ask() {
    var text = input.value.trim();
    if (text.length < 2) {
      close();
      return;
    }
    var number = ++asked;
    fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { streets: [] };
      })
      .then(function (data) {
        if (number === asked) show(data.streets || []);
      })
      .catch(close);
  }

  input.addEventListener("input", function () {
    streetId.value = "";
    streetId.disabled = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 200);
  });

  input.addEventListener("keydown", function (event) {
    var all = options();
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      mark(Math.min(active + 1, all.length - 1));
    } else if (event.key === "ArrowUp" && all.length) {
      event.preventDefault();
      mark(Math.max(active - 1, 0));
    } else if (event.key === "Enter" && active >= 0 && all[active]) {
      event.preventDefault();
      choose(all[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });

  input.addEventListener("blur", function () {
    window.setTimeout(close, 150);
  });
})();
