// 清单监督: the surplus rule (差额) as the presidium types the places and the percentage, before
// saving: the fewest candidates the rule would ask for, beside the candidates there are. The same
// arithmetic as livelihood.plan_models.surplus_check (integers: N + ceil(N × p / 100)); the server's
// check stays the rule, this only previews it.
(function () {
  "use strict";
  var preview = document.getElementById("surplus-preview");
  if (!preview) { return; }
  var form = preview.closest("form");
  var places = form.querySelector("[name=places]");
  var percent = form.querySelector("[name=surplus_percent]");
  var count = parseInt(preview.dataset.count, 10);

  function whole(input) {
    var text = input.value.trim();
    return /^\d{1,3}$/.test(text) ? parseInt(text, 10) : null;
  }

  function show() {
    var n = whole(places), p = whole(percent);
    if (n === null || p === null || n < 1 || p > 100) { preview.textContent = ""; return; }
    var required = n + Math.ceil(n * p / 100);
    var template = count >= required ? preview.dataset.ok : preview.dataset.short;
    preview.textContent = template.replace("{required}", required).replace("{count}", count)
      .replace("{missing}", required - count);
    preview.className = "form-text " + (count >= required ? "text-success" : "text-danger");
  }

  places.addEventListener("input", show);
  percent.addEventListener("input", show);
  show();
}());
