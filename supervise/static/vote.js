// The phone ballot's code page: a slip's QR code opens /vote#code=ABCD-2345. The code travels in the
// fragment, which no request carries (so no access log holds it): fill it in, then drop it from the
// address bar and the history. Without this script the deputy types the code printed on the slip.
(function () {
  "use strict";
  var found = /^#code=([A-Za-z0-9 -]{1,40})$/.exec(window.location.hash);
  var field = document.getElementById("code");
  if (!found || !field) { return; }
  if (!field.value) { field.value = found[1]; }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  var submit = field.form && field.form.querySelector("[type=submit]");
  if (submit) { submit.focus(); }
})();
