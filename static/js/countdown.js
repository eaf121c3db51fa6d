/*
 * Saylau home page: makes the server-rendered countdown to the opening of the polls tick.
 * The page works without it. The server's clock is trusted over the visitor's: the offset
 * between the two, measured at load, is applied to every tick.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-countdown]");
  if (!root) {
    return;
  }
  var opensAt = Date.parse(root.getAttribute("data-opens-at"));
  var serverNow = Date.parse(root.getAttribute("data-server-now"));
  if (isNaN(opensAt) || isNaN(serverNow)) {
    return;
  }
  var offset = serverNow - Date.now();
  var fields = {
    days: root.querySelector('[data-unit="days"]'),
    hours: root.querySelector('[data-unit="hours"]'),
    minutes: root.querySelector('[data-unit="minutes"]')
  };
  var timer = null;

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function render() {
    var left = Math.max(0, opensAt - (Date.now() + offset));
    var totalMinutes = Math.floor(left / 60000);
    var values = {
      days: String(Math.floor(totalMinutes / 1440)),
      hours: pad(Math.floor(totalMinutes / 60) % 24),
      minutes: pad(totalMinutes % 60)
    };
    Object.keys(fields).forEach(function (unit) {
      var field = fields[unit];
      if (field && field.textContent !== values[unit]) {
        field.textContent = values[unit];
      }
    });
    if (left === 0 && timer !== null) {
      window.clearInterval(timer);
      root.setAttribute("data-countdown-done", "");
    }
  }

  render();
  root.setAttribute("data-countdown-live", "");
  timer = window.setInterval(render, 1000);
})();
