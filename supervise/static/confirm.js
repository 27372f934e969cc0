// 清单监督: a step that cannot be undone asks first. A form with data-confirm="<what will happen>"
// opens the page's native <dialog id="confirm-dialog"> (base.html) and submits only on 确认; 取消,
// Esc or closing the dialog leave the page as it was. Without this script, or in a browser without
// <dialog>, the form submits as before: the server's rules stay the guard.
(function () {
  "use strict";
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var message = dialog.querySelector(".confirm-message");
  var asked = null;

  // Capture: decide before any other submit handler of the form acts on a submission.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) { return; }
    if (form.dataset.confirmed === "yes") {
      delete form.dataset.confirmed;
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (dialog.open) { return; }
    asked = { form: form, submitter: event.submitter || null };
    message.textContent = form.getAttribute("data-confirm");
    dialog.returnValue = "";
    dialog.showModal();
  }, true);

  dialog.addEventListener("close", function () {
    var done = asked;
    asked = null;
    if (!done) { return; }
    if (dialog.returnValue === "ok") {
      done.form.dataset.confirmed = "yes";
      if (typeof done.form.requestSubmit === "function") {
        // Keeps the button that was pressed (its name and value are sent, as without the dialog).
        done.form.requestSubmit(done.submitter);
      } else {
        done.form.submit();
      }
    } else if (done.submitter) {
      done.submitter.focus();
    }
  });
})();
