// Progressive enhancement of the survey form: live allocation sums and progress.
// The form works without this script.
(function () {
  "use strict";
  const form = document.querySelector("[data-survey-form]");
  if (!form) return;

  form.querySelectorAll("[data-allocation]").forEach(function (box) {
    const total = Number(box.dataset.total);
    const sum = box.querySelector("[data-allocation-sum]");
    const output = sum.querySelector("output");
    const inputs = box.querySelectorAll("input[type=number]");
    function update() {
      let value = 0;
      inputs.forEach(function (input) {
        const n = parseInt(input.value, 10);
        if (!Number.isNaN(n)) value += n;
      });
      output.textContent = String(value);
      sum.classList.toggle("is-complete", value === total);
      sum.classList.toggle("is-over", value > total);
    }
    sum.hidden = false;
    inputs.forEach(function (input) { input.addEventListener("input", update); });
    update();
  });

  const bar = form.querySelector("[data-progress]");
  if (bar) {
    const progress = bar.querySelector("progress");
    const questions = form.querySelectorAll("fieldset.question");
    function answered(fieldset) {
      return Array.from(fieldset.querySelectorAll("input, textarea")).some(function (el) {
        if (el.type === "radio") return el.checked;
        return el.value.trim() !== "";
      });
    }
    function update() {
      progress.value = Array.from(questions).filter(answered).length;
    }
    bar.hidden = false;
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  const errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
