// Enhancements for the results pages: sortable heatmap columns and one tab
// stop for the whole heatmap body (a roving focus moved with the arrow keys).
// Everything is readable without this script (departments open and close
// through links).
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

  // Roving focus: the body of the table is one tab stop. Arrow keys move
  // between cells, Home/End to the ends of a row (with Ctrl: of the table);
  // the links of the focused cell (open, close, trends) follow it in the tab
  // order, so Tab reaches them and then leaves the table.
  document.querySelectorAll("[data-heatmap]").forEach(function (table) {
    const body = table.tBodies[0];
    if (!body || !body.rows.length) return;
    const cells = function (row) { return Array.from(row.cells); };
    const links = Array.from(body.querySelectorAll("a, button"));
    let current = null;
    const activate = function (cell, focus) {
      if (current) current.setAttribute("tabindex", "-1");
      current = cell;
      cell.setAttribute("tabindex", "0");
      links.forEach(function (link) {
        link.setAttribute("tabindex", cell.contains(link) ? "0" : "-1");
      });
      if (focus) cell.focus();
    };
    activate(body.rows[0].cells[0], false);
    body.addEventListener("focusin", function (event) {
      const cell = event.target.closest("td, th");
      if (cell && cell !== current && body.contains(cell)) activate(cell, false);
    });
    body.addEventListener("keydown", function (event) {
      const cell = event.target.closest("td, th");
      if (!cell || event.target !== cell) return;
      const rows = Array.from(body.rows).filter(function (row) {
        return row.offsetParent !== null;
      });
      const r = rows.indexOf(cell.parentElement);
      const c = cells(cell.parentElement).indexOf(cell);
      let row = r, col = c;
      switch (event.key) {
        case "ArrowDown": row = Math.min(rows.length - 1, r + 1); break;
        case "ArrowUp": row = Math.max(0, r - 1); break;
        case "ArrowRight": col = c + 1; break;
        case "ArrowLeft": col = Math.max(0, c - 1); break;
        case "Home": col = 0; if (event.ctrlKey) row = 0; break;
        case "End":
          col = Infinity; if (event.ctrlKey) row = rows.length - 1; break;
        case "PageDown": row = Math.min(rows.length - 1, r + 10); break;
        case "PageUp": row = Math.max(0, r - 10); break;
        default: return;
      }
      event.preventDefault();
      const target = cells(rows[row]);
      activate(target[Math.min(col, target.length - 1)], true);
    });
  });
})();
