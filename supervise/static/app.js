// 清单监督: the little the pages need beyond Bootstrap. Works without it too (the server checks everything).
(function () {
  "use strict";
  // File choosers: list what was chosen, and refuse a too-large file before a long upload on a phone.
  // A camera input holds one photo, and each capture would replace the last: so a used camera input
  // is parked (hidden, still in the form, still sent) and a fresh one takes its place in the button.
  document.querySelectorAll(".file-inputs").forEach(function (box) {
    var max = parseInt(box.dataset.maxBytes, 10) || 0;
    var shown = box.querySelector(".file-chosen");
    var parked = document.createElement("div");
    parked.className = "taken-photos";
    parked.hidden = true;
    box.appendChild(parked);

    var chosenNames = function () {
      var names = [];
      box.querySelectorAll("input[type=file]").forEach(function (each) {
        Array.prototype.forEach.call(each.files, function (file) { names.push(file.name); });
      });
      return names;
    };

    var check = function (input) {
      var problems = [];
      Array.prototype.forEach.call(input.files, function (file) {
        if (max && file.size > max) {
          problems.push(box.dataset.tooBig.replace("{name}", file.name));
        }
      });
      // Several photos together may exceed what one request carries: the server would refuse the
      // whole form and everything typed with it, so stop here instead.
      var form = input.form, total = 0, limit = parseInt(box.dataset.maxRequestBytes, 10) || 0;
      if (form && limit) {
        form.querySelectorAll("input[type=file]").forEach(function (each) {
          Array.prototype.forEach.call(each.files, function (file) { total += file.size; });
        });
        // Leave room for the typed text and the form's other fields.
        if (total > limit - 512 * 1024) {
          problems.push(box.dataset.tooMuch);
        }
      }
      return problems;
    };

    var watch = function (input) {
      input.addEventListener("change", function () {
        var problems = check(input);
        if (problems.length) {
          input.value = "";
          window.alert(problems.join("\n"));
        } else if (input.hasAttribute("capture") && input.files.length) {
          var fresh = input.cloneNode(false);
          fresh.value = "";
          input.parentNode.insertBefore(fresh, input);
          parked.appendChild(input);
          watch(fresh);
        }
        shown.textContent = chosenNames().join("、");
      });
    };
    box.querySelectorAll("input[type=file]").forEach(watch);
  });
  // The inspection form: the questionnaire fields only matter for a questionnaire visit.
  var methods = document.querySelectorAll(".inspection-form input[name=method]");
  var questionnaire = document.querySelector(".inspection-form .questionnaire");
  if (methods.length && questionnaire) {
    var sync = function () {
      var chosen = document.querySelector(".inspection-form input[name=method]:checked");
      questionnaire.hidden = !(chosen && chosen.value === "questionnaire");
    };
    methods.forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();
  }
})();
