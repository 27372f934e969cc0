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
    // A tap reloads the page: carry what was typed, so the list comes back filtered (and the
    // redirect's #deputy-… anchor brings the row back into view).
    list.addEventListener("submit", function (event) {
      var q = event.target.querySelector("input[name=q]");
      if (q) { q.value = box.value.trim(); }
    });
  });
  var projection = document.querySelector("[data-refresh-url]");
  if (projection) {
    var seconds = parseInt(projection.dataset.refreshSeconds, 10) || 5;
    var signedOut = document.getElementById("projection-signed-out");
    var showSignedOut = function (yes) { if (signedOut) { signedOut.hidden = !yes; } };
    var refresh = function () {
      // A session that expired answers with a redirect to the login page: never follow it into the
      // projection (it would show the login form to the hall); say so and keep the last figures.
      fetch(projection.dataset.refreshUrl, { credentials: "same-origin", cache: "no-store", redirect: "manual" })
        .then(function (response) {
          var toLogin = response.type === "opaqueredirect" || response.redirected ||
            response.status === 401 || response.status === 403;
          showSignedOut(toLogin);
          return response.ok && !toLogin ? response.text() : null;
        })
        .then(function (html) { if (html !== null) { projection.innerHTML = html; } })
        .catch(function () { /* the hall's network blinked: try again next time */ })
        .then(function () { window.setTimeout(refresh, seconds * 1000); });
    };
    window.setTimeout(refresh, seconds * 1000);
  }
})();
