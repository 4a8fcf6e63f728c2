// One device's trends: min/avg/max of every reading over 24 h or 7 days (hourly rollups) or 90 days
// (daily rollups), drawn with uPlot (installed from npm, served from /lib/uplot).
(() => {
  "use strict";
  const box = document.getElementById("charts");
  if (!box || typeof uPlot === "undefined") return;
  const texts = JSON.parse(box.dataset.texts);
  const ranges = {
    "24h": { resolution: "hourly", hours: 24 },
    "7d": { resolution: "hourly", hours: 24 * 7 },
    "90d": { resolution: "daily", hours: 24 * 90 },
  };
  let charts = [];

  async function show(name) {
    const range = ranges[name];
    for (const b of document.querySelectorAll("[data-range]")) b.setAttribute("aria-selected", String(b.dataset.range === name));
    const now = Date.now(), from = now - range.hours * 3600e3;
    const r = await fetch(`${box.dataset.history}?resolution=${range.resolution}&from=${encodeURIComponent(new Date(from).toISOString())}`,
      { headers: { Accept: "application/json" }, credentials: "same-origin" });
    charts.forEach(c => c.destroy());
    charts = [];
    box.replaceChildren();
    if (!r.ok) return;
    const points = (await r.json()).points;
    if (points.length === 0) { box.append(Object.assign(document.createElement("p"), { textContent: texts.noData })); return; }
    // States and counters (unit enum/count) read better in the table than as curves.
    const names = [...new Set(points.flatMap(p => Object.entries(p.readings).filter(([, v]) => v.unit !== "enum" && v.unit !== "count").map(([k]) => k)))].sort();
    const xs = points.map(p => Date.parse(p.at) / 1000);
    for (const reading of names) {
      const col = k => points.map(p => p.readings[reading]?.[k] ?? null);
      const unit = points.find(p => p.readings[reading])?.readings[reading].unit ?? "";
      const card = document.createElement("div");
      card.className = "chart";
      card.append(Object.assign(document.createElement("h3"), { textContent: `${texts.labels[reading] ?? reading} (${unit})` }));
      box.append(card);
      const opts = {
        width: Math.max(280, card.clientWidth - 16), height: 200,
        series: [{ label: texts.time },
          { label: texts.avg, stroke: "#1f5fa8", width: 2, points: { show: points.length < 50 } },
          { label: texts.min, stroke: "#8fa9c7", dash: [4, 4] },
          { label: texts.max, stroke: "#c62828", dash: [4, 4] }],
        // The whole range on the x axis, however few periods are rolled up yet.
        scales: { x: { time: true, range: [from / 1000, now / 1000] } },
        // Axes and the legend on the site's clock, 24 h.
        tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), DcAssets.zone),
        axes: [{}, { size: 60 }],
      };
      charts.push(new uPlot(opts, [xs, col("avg"), col("min"), col("max")], card));
    }
  }

  for (const b of document.querySelectorAll("[data-range]")) b.addEventListener("click", () => show(b.dataset.range));
  show("24h");

  // CSV export of a picked range: the picker's times (the site's clock) go to the API as instants.
  const form = document.querySelector("form[data-export]");
  form?.addEventListener("submit", ev => {
    ev.preventDefault();
    const q = new URLSearchParams({ resolution: form.elements.resolution.value });
    for (const k of ["from", "to"]) q.set(k, DcAssets.instant(form.elements[k].value).toISOString());
    location.href = `${form.action}?${q}`;
  });
})();
