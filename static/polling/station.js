// The station page's "open now": whether voting is open at the reader's instant, from the
// opening and closing instants the (cached) page carries; refreshed every half minute.
// Without scripts the page links to the never-cached open-now page instead.
(function () {
  "use strict";
  var status = document.querySelector("[data-open-now]");
  if (!status) return;
  var opens = Date.parse(status.dataset.opens);
  var closes = Date.parse(status.dataset.closes);
  if (isNaN(opens) || isNaN(closes)) return;

  function update() {
    var now = Date.now();
    var state = now < opens ? "before" : now < closes ? "open" : "closed";
    if (status.dataset.state !== state) {
      status.dataset.state = state;
      status.textContent = status.dataset["text" + state.charAt(0).toUpperCase() + state.slice(1)];
    }
    status.hidden = false;
  }

  update();
  window.setInterval(update, 30000);
})();
