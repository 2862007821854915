// Live progress of a console run: appends the server-sent log lines, reloads when the run ends.
// Served as a file (the Content-Security-Policy allows no inline script); pages work without it.
(function () {
  "use strict";
  var log = document.getElementById("run-log");
  if (!log || log.getAttribute("data-state") !== "running" || !window.EventSource) return;
  var shown = log.textContent === "" ? 0 : log.textContent.split("\n").length;
  var source = new EventSource(log.getAttribute("data-events"));
  var seen = 0;
  source.addEventListener("line", function (event) {
    seen += 1;
    if (seen <= shown) return; // already rendered by the server
    log.textContent += (log.textContent === "" ? "" : "\n") + event.data;
    log.scrollTop = log.scrollHeight;
  });
  source.addEventListener("end", function () {
    source.close();
    window.location.reload();
  });
})();
