// Machine-room dashboard: refreshes tiles and alarms from /api/v1/telemetry every few seconds
// without reloading; the page itself is complete without this script.
(() => {
  "use strict";
  const root = document.getElementById("telemetry");
  if (!root) return;
  const api = root.dataset.api;
  const texts = JSON.parse(root.dataset.texts);
  const canAck = root.dataset.canAck === "true";
  const everyMs = 5000;

  const fmtTime = iso => DcAssets.time(iso); // the site's clock, as the server's pages show it
  const fmtValue = r => {
    const named = texts.values[r.name]?.[String(r.value)];
    if (named) return named;
    if (r.unit === "enum" || r.unit === "count") return String(Math.round(r.value));
    const v = Math.abs(r.value) >= 100 ? r.value.toFixed(0) : String(Math.round(r.value * 10) / 10);
    return `${v} ${r.unit}`;
  };
  const el = (tag, props = {}, ...children) => {
    const e = Object.assign(document.createElement(tag), props);
    e.append(...children);
    return e;
  };

  function updateTiles(devices) {
    const tiles = new Map([...root.querySelectorAll(".tile[data-asset]")].map(t => [t.dataset.asset, t]));
    // A device added or removed changes the layout: let the server render it once.
    if (devices.length !== tiles.size || devices.some(d => !tiles.has(d.assetId))) { location.reload(); return; }
    for (const d of devices) {
      const tile = tiles.get(d.assetId);
      tile.className = `tile state-${d.state}`;
      tile.querySelector("[data-state]").textContent = texts.states[d.state] ?? d.state;
      const readings = new Map(d.readings.map(r => [r.name, r]));
      // A slot may name alternatives ("output_source output_status"): the first the device has.
      for (const dd of tile.querySelectorAll("[data-reading]")) {
        const r = dd.dataset.reading.split(" ").map(n => readings.get(n)).find(x => x);
        dd.textContent = r ? fmtValue(r) : "–";
      }
      tile.querySelector("[data-last-poll]").textContent = fmtTime(d.lastPolledAt);
    }
  }

  function ackCell(a) {
    if (a.acknowledgedBy) return el("span", {}, `${texts.acknowledgedBy} ${a.acknowledgedBy}`);
    const template = document.getElementById("ack-form");
    if (!canAck || !template) return "";
    const form = template.content.firstElementChild.cloneNode(true);
    form.elements.assetId.value = a.assetId;
    form.elements.rule.value = a.rule;
    return form;
  }

  // Most severe first, then oldest first, as the server draws them.
  const rank = { major: 0, urgent: 1, general: 2 };
  function updateAlarms(alarms) {
    alarms.sort((a, b) => (rank[a.severity] ?? 9) - (rank[b.severity] ?? 9) || a.raisedAt.localeCompare(b.raisedAt));
    const body = root.querySelector("[data-alarms]");
    body.replaceChildren(...alarms.map(a => el("tr", { className: `severity-${a.severity}` },
      el("td", {}, texts.severities[a.severity] ?? a.severity), el("td", {}, a.assetId),
      el("td", { title: a.message }, texts.rules[a.rule] ?? a.message),
      el("td", {}, el("time", {}, fmtTime(a.raisedAt))), el("td", {}, ackCell(a)))));
    root.querySelector("[data-no-alarms]").hidden = alarms.length > 0;
  }

  async function refresh() {
    try {
      const [devices, alarms] = await Promise.all(["devices", "alarms"].map(async p => {
        const r = await fetch(`${api}/${p}`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!r.ok) throw new Error(`${p}: ${r.status}`);
        return r.json();
      }));
      updateTiles(devices);
      updateAlarms(alarms);
      root.querySelector("[data-updated]").textContent = DcAssets.time(Date.now());
      root.querySelector("[data-offline]").hidden = true;
    } catch (e) {
      root.querySelector("[data-offline]").hidden = false;
    }
  }

  // Acknowledge with the form's own antiforgery token, then refresh in place.
  root.addEventListener("submit", async ev => {
    const form = ev.target.closest("form.ack");
    if (!form) return;
    ev.preventDefault();
    form.querySelector("button").disabled = true;
    await fetch(form.action, {
      method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin"
    });
    await refresh();
  });

  setInterval(refresh, everyMs);
})();
