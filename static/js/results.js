// Enhancements for the results pages: sortable heatmap columns. Everything is
// readable without this script (departments open and close through links).
(function () {
  "use strict";
  document.querySelectorAll("[data-heatmap]").forEach(function (table) {
    const body = table.tBodies[0];
    const original = Array.from(body.rows);
    table.querySelectorAll("thead th").forEach(function (th, index) {
      const button = th.querySelector("button.sort");
      if (!button) return;
      th.setAttribute("aria-sort", "none");
      let direction = 0;
      button.addEventListener("click", function () {
        direction = direction === -1 ? 0 : direction === 0 ? 1 : -1;
        table.querySelectorAll("thead th").forEach(function (other) {
          other.setAttribute("aria-sort", "none");
        });
        if (direction === 0) {
          original.forEach(function (row) { body.appendChild(row); });
          return;
        }
        th.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
        const numeric = th.dataset.sort === "number";
        const rows = original.slice();
        rows.sort(function (a, b) {
          const x = a.cells[index].dataset.value || "";
          const y = b.cells[index].dataset.value || "";
          if (numeric) {
            if (x === "" && y === "") return 0;
            if (x === "") return 1;
            if (y === "") return -1;
            return direction * (parseFloat(x) - parseFloat(y));
          }
          return direction * x.localeCompare(y);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
