// The projections page: state, position, lag and a rebuild's progress, read from /api/v1/projections every second.
(() => {
  "use strict";
  const table = document.getElementById("projections");
  if (!table) return;
  const states = JSON.parse(table.dataset.texts);
  async function refresh() {
    try {
      const r = await fetch("/api/v1/projections",
        { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!r.ok) return;
      for (const p of await r.json()) {
        const row = table.querySelector(`tr[data-name="${CSS.escape(p.name)}"]`);
        if (!row) continue;
        row.querySelector("[data-state]").textContent = states[p.state] ?? p.state;
        row.querySelector("[data-position]").textContent = String(p.position);
        row.querySelector("[data-head]").textContent = String(p.head);
        row.querySelector("[data-behind]").textContent = String(p.eventsBehind);
        row.querySelector("[data-owner]").textContent = p.owner ?? "";
        const bar = row.querySelector("[data-progress]");
        bar.hidden = p.rebuildTarget === null || p.rebuildTarget === undefined;
        if (!bar.hidden) { bar.max = Math.max(1, p.rebuildTarget); bar.value = Math.min(p.position, p.rebuildTarget); }
      }
    } catch { /* the next second tries again */ }
  }
  setInterval(refresh, 1000);
})();
