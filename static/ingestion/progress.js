/* Live progress of a submission: polls its status URL and updates the bar and counts.
   Without JavaScript the page reloads itself (meta refresh in a noscript block). */
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  function set(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) { el.textContent = value; }
  }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        bar.max = Math.max(data.total, 1);
        bar.value = data.status === "completed" ? bar.max : data.progress;
        set("percent", data.percent + "%");
        set("progress", data.progress);
        set("total", data.total);
        set("status", data.status_display);
        ["created", "updated", "unchanged", "rejected", "held"].forEach(function (k) { set(k, data[k]); });
        if (data.running) {
          window.setTimeout(poll, 1500);
        } else {
          window.location.reload();  /* show the final rejected and held rows */
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  if (box.getAttribute("data-running") === "true") { window.setTimeout(poll, 1000); }
})();
