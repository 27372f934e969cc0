// The evaluation meeting's hall, for the clerks: the roll call marks a deputy without reloading the
// page, and a paper sheet is typed from the keyboard. Without this script both forms work as before
// (each tap reloads the page; boxes are ticked by hand), and the server checks everything either way.
(function () {
  "use strict";

  // ---- roll call: post the row's form, put back the row and the count the server answers with ----
  var roster = document.querySelector("[data-live-roster]");
  if (roster && window.fetch && window.FormData) {
    var problem = document.getElementById("roll-call-error");
    var say = function (message) {
      problem.textContent = message || "";
      problem.hidden = !message;
    };
    var fromHtml = function (html) {
      var holder = document.createElement("template");
      holder.innerHTML = html.trim();
      return holder.content.firstElementChild;
    };
    var shown = function (data, form, value) {
      var row = form.closest(".eval-row");
      var fresh = fromHtml(data.row);
      fresh.hidden = row.hidden;
      row.replaceWith(fresh);
      var again = fresh.querySelector("button[name=present][value='" + value + "']");
      if (again) { again.focus(); }
      document.getElementById("roll-call-count").replaceWith(fromHtml(data.count));
      var allPresent = document.getElementById("all-present");
      if (allPresent) {
        allPresent.hidden = data.uncalled === 0;
        document.getElementById("uncalled").textContent = data.uncalled_text;
      }
    };
    // Taps go one after another, so the count shown is always that of the last tap.
    var queue = Promise.resolve();
    var mark = function (form, button) {
      var body = new FormData(form);
      body.append(button.name, button.value);
      var buttons = form.querySelectorAll("button");
      buttons.forEach(function (each) { each.dataset.wasDisabled = each.disabled ? "1" : ""; each.disabled = true; });
      var release = function () { buttons.forEach(function (each) { each.disabled = each.dataset.wasDisabled === "1"; }); };
      return fetch(form.action, {
        method: "POST", body: body, credentials: "same-origin", redirect: "manual",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        // Anything but the server's JSON (signed out, a proxy's page): submit the form the old way.
        if ((response.headers.get("Content-Type") || "").indexOf("application/json") !== 0) {
          throw new Error("no JSON answer");
        }
        return response.json().then(function (data) {
          if (response.ok) {
            say("");
            shown(data, form, button.value);
          } else {
            release();
            say(data.message || data.error);
          }
        });
      }).catch(function () {
        release();
        form.dataset.plain = "1";
        if (form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
      });
    };
    roster.addEventListener("submit", function (event) {
      var form = event.target;
      var button = event.submitter;
      if (!form.matches("form[data-live-row]") || form.dataset.plain || !button || !button.name) { return; }
      event.preventDefault();
      queue = queue.then(function () { return mark(form, button); });
    });
  }

  // ---- paper entry: one key per line (1 满意, 2 基本满意, 3 不满意, 0 blank), Enter submits ----
  var sheet = document.querySelector("form[data-key-entry]");
  if (sheet) {
    var grades = sheet.dataset.grades.split(" ");
    var keys = Array.prototype.slice.call(sheet.querySelectorAll("[data-line-key]"));
    var wrong = document.getElementById("key-error");
    document.getElementById("key-help").hidden = false;
    var complain = function (key, message) {
      keys.forEach(function (each) { each.classList.toggle("is-invalid", each === key); });
      wrong.textContent = message || "";
      wrong.hidden = !message;
    };
    var boxes = function (key) {
      return sheet.querySelectorAll("input[type=checkbox][name='line-" + key.dataset.lineKey + "']");
    };
    // What the boxes say, as the key that gives it: one box → its digit; none → blank; several → "?".
    var fromBoxes = function (key) {
      var ticked = Array.prototype.filter.call(boxes(key), function (box) { return box.checked; });
      if (ticked.length > 1) { return "?"; }
      if (ticked.length === 1) { return String(grades.indexOf(ticked[0].value) + 1); }
      return key.dataset.blank === "1" ? "0" : "";
    };
    var choose = function (key, digit) {
      boxes(key).forEach(function (box) { box.checked = digit !== "0" && box.value === grades[digit - 1]; });
      key.dataset.blank = digit === "0" ? "1" : "";
      key.value = digit;
    };
    var go = function (index) {
      var next = keys[Math.max(0, Math.min(index, keys.length - 1))];
      next.focus();
      next.select();
    };
    var fullWidth = { "０": "0", "１": "1", "２": "2", "３": "3" };
    var typed = function (key, character) {
      var digit = fullWidth[character] || character;
      if (/^[0-9]$/.test(digit) && Number(digit) <= grades.length) {
        choose(key, digit);
        complain(null, "");
        if (keys.indexOf(key) < keys.length - 1) { go(keys.indexOf(key) + 1); } else { key.select(); }
      } else {
        complain(key, sheet.dataset.wrongKey.replace("{key}", character).replace("{line}", key.dataset.position));
        key.value = fromBoxes(key);
        key.select();
      }
    };
    var missing = function () {
      return keys.filter(function (key) { return fromBoxes(key) === ""; });
    };
    // However the sheet is sent (Enter on a line, on the 整张作废 box, the button), a line neither
    // ticked nor typed as 0 stops it: an untouched line is a slip of the keyboard, not a blank.
    var untypedStop = function () {
      var untyped = missing();
      if (!untyped.length || sheet.querySelector("input[name=void]:checked")) { return false; }
      complain(untyped[0], sheet.dataset.untyped.replace("{lines}",
        untyped.map(function (each) { return each.dataset.position; }).join("、")));
      go(keys.indexOf(untyped[0]));
      return true;
    };
    sheet.addEventListener("submit", function (event) {
      if (untypedStop()) { event.preventDefault(); }
    });
    keys.forEach(function (key, index) {
      key.hidden = false;
      key.value = fromBoxes(key);
      key.addEventListener("focus", function () { key.select(); });
      key.addEventListener("keydown", function (event) {
        if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) { return; }
        if (event.key === "Enter") {
          event.preventDefault();
          if (sheet.requestSubmit) { sheet.requestSubmit(); } else if (!untypedStop()) { sheet.submit(); }
        } else if (event.key === "Backspace") {
          event.preventDefault();
          // The first Backspace clears the line, the next goes back to the line before.
          if (fromBoxes(key) === "") { go(index - 1); return; }
          boxes(key).forEach(function (box) { box.checked = false; });
          key.dataset.blank = "";
          key.value = "";
        } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
          event.preventDefault();
          go(index + (event.key === "ArrowUp" ? -1 : 1));
        } else if (event.key.length === 1) {
          event.preventDefault();
          typed(key, event.key);
        }
      });
      // Keyboards that send no usable key (an input method, some phones): read what arrived instead.
      key.addEventListener("input", function () {
        var character = key.value.slice(-1);
        if (character) { typed(key, character); } else { key.value = fromBoxes(key); }
      });
      boxes(key).forEach(function (box) {
        box.addEventListener("change", function () { key.dataset.blank = ""; key.value = fromBoxes(key); });
      });
    });
    // Enter or Tab in the serial field starts the lines instead of submitting an empty sheet or
    // landing on the 整张作废 box, where typed digits would go nowhere.
    var serial = sheet.querySelector("input[name=serial]");
    if (serial && keys.length) {
      serial.addEventListener("keydown", function (event) {
        if ((event.key === "Enter" || (event.key === "Tab" && !event.shiftKey)) && !event.isComposing) {
          event.preventDefault();
          go(0);
        }
      });
    }
  }
})();
