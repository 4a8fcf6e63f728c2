// One device's trends, drawn with uPlot (installed from npm, served from /lib/uplot): the last 24 h from every
// raw reading (a 30-second event stays visible), 7 days from hourly and 90 days from daily min/avg/max rollups.
// The device's key readings come first; the rest are folded. Times are on the site's clock, 24 h.
(() => {
  "use strict";
  const box = document.getElementById("charts");
  if (!box || typeof uPlot === "undefined") return;
  const texts = JSON.parse(box.dataset.texts);
  const ranges = {
    "24h": { resolution: "raw", hours: 24 },
    "7d": { resolution: "hourly", hours: 24 * 7 },
    "90d": { resolution: "daily", hours: 24 * 90 },
  };
  let charts = [];

  // Tick labels on the site's clock: hours and minutes within two days, month and day beyond.
  const tick = (hours) => (u, splits) => splits.map(v => {
    const t = DcAssets.time(v * 1000);
    return hours <= 48 ? t.slice(11, 16) : t.slice(5, 10);
  });

  function chart(card, name, unit, xs, columns, range, from, now) {
    const series = [{ label: texts.time, value: (u, v) => (v == null ? "" : DcAssets.time(v * 1000)) }];
    if (range.resolution === "raw") series.push({ label: texts.labels[name] ?? name, stroke: "#1f5fa8", width: 2 });
    else series.push({ label: texts.avg, stroke: "#1f5fa8", width: 2, points: { show: xs.length < 50 } },
      { label: texts.min, stroke: "#8fa9c7", dash: [4, 4] }, { label: texts.max, stroke: "#c62828", dash: [4, 4] });
    const opts = {
      width: Math.max(280, card.clientWidth - 16), height: 200, series,
      // The whole range on the x axis, however few points there are yet; percentages on 0–100.
      scales: { x: { time: true, range: [from / 1000, now / 1000] }, y: unit === "%" ? { range: [0, 100] } : {} },
      axes: [{ values: tick(range.hours) }, { size: 60 }],
      tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), DcAssets.zone),
    };
    charts.push(new uPlot(opts, [xs, ...columns], card));
  }

  async function show(name) {
    const range = ranges[name];
    for (const b of document.querySelectorAll("[data-range]")) {
      b.setAttribute("aria-selected", String(b.dataset.range === name));
    }
    const now = Date.now(), from = now - range.hours * 3600e3;
    const q = `resolution=${range.resolution}&from=${encodeURIComponent(new Date(from).toISOString())}`;
    const r = await fetch(`${box.dataset.history}?${q}`, { headers: { Accept: "application/json" },
      credentials: "same-origin" });
    charts.forEach(c => c.destroy());
    charts = [];
    box.replaceChildren();
    if (!r.ok) return;
    const points = (await r.json()).points;
    if (points.length === 0) {
      box.append(Object.assign(document.createElement("p"), { textContent: texts.noData }));
      return;
    }
    // States and counters (unit enum/count) read better in the table than as curves.
    const drawn = [...new Set(points.flatMap(p => Object.entries(p.readings)
      .filter(([, v]) => v.unit !== "enum" && v.unit !== "count").map(([k]) => k)))];
    const keyed = texts.keys.filter(k => drawn.includes(k));
    const rest = drawn.filter(k => !keyed.includes(k)).sort();
    const xs = points.map(p => Date.parse(p.at) / 1000);
    const more = document.createElement("details");
    more.append(Object.assign(document.createElement("summary"), { textContent: texts.more }));
    for (const reading of [...keyed, ...rest]) {
      const col = k => points.map(p => p.readings[reading]?.[k] ?? null);
      const unit = points.find(p => p.readings[reading])?.readings[reading].unit ?? "";
      const card = document.createElement("div");
      card.className = "chart";
      card.append(Object.assign(document.createElement("h3"),
        { textContent: `${texts.labels[reading] ?? reading} (${unit})` }));
      (keyed.includes(reading) ? box : more).append(card);
      if (!keyed.includes(reading) && !more.isConnected) box.append(more);
      const columns = range.resolution === "raw" ? [col("value")] : [col("avg"), col("min"), col("max")];
      chart(card, reading, unit, xs, columns, range, from, now);
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
