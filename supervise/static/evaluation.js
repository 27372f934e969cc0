// The evaluation meeting: filter long rosters as one types, and refresh the hall's projection.
// Everything also works without it (the search box submits; the projection can be reloaded by hand).
(function () {
  "use strict";
  document.querySelectorAll("[data-filter-rows]").forEach(function (box) {
    var list = document.querySelector(box.dataset.filterRows);
    if (!list) { return; }
    box.addEventListener("input", function () {
      var wanted = box.value.trim().toLowerCase();
      list.querySelectorAll("[data-search]").forEach(function (row) {
        row.hidden = wanted !== "" && row.dataset.search.toLowerCase().indexOf(wanted) === -1;
      });
    });
  });
  var projection = document.querySelector("[data-refresh-url]");
  if (projection) {
    var seconds = parseInt(projection.dataset.refreshSeconds, 10) || 5;
    var refresh = function () {
      fetch(projection.dataset.refreshUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { projection.innerHTML = html; } })
        .catch(function () { /* the hall's network blinked: try again next time */ })
        .then(function () { window.setTimeout(refresh, seconds * 1000); });
    };
    window.setTimeout(refresh, seconds * 1000);
  }
})();
