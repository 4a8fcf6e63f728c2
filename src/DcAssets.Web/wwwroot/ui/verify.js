// The verification page: runs GET /api/v1/integrity/verify, shows that it is working and for how long, then the
// verdict in plain words, naming the first bad position when there is one.
(() => {
  "use strict";
  const root = document.getElementById("verify");
  if (!root) return;
  const texts = JSON.parse(root.dataset.texts);
  const fill = (s, args) => s.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ""));
  const start = root.querySelector("[data-start]");
  const progress = root.querySelector("[data-progress]");
  const status = root.querySelector("[data-status]");
  const verdict = root.querySelector("[data-verdict]");
  start.addEventListener("click", async () => {
    start.disabled = true;
    verdict.hidden = true;
    progress.hidden = false;
    const began = Date.now();
    const tick = setInterval(() => {
      status.textContent = fill(texts.running, [Math.round((Date.now() - began) / 1000)]);
    }, 250);
    try {
      const r = await fetch("/api/v1/integrity/verify",
        { credentials: "same-origin", headers: { Accept: "application/json" } });
      const v = await r.json();
      if (!r.ok) throw new Error(v.detail ?? r.statusText);
      verdict.className = v.intact ? "saved" : "form-summary";
      verdict.textContent = v.intact
        ? fill(texts.intact, [v.eventsChecked, v.sealsChecked, v.seconds.toFixed(1)])
        : fill(texts.broken, [v.firstMismatch?.position ?? "?", v.firstMismatch?.reason ?? "", v.eventsChecked]);
      if (v.intact && !v.sealsVerifiable) verdict.textContent += " " + texts.noSeals;
    } catch (e) {
      verdict.className = "form-summary";
      verdict.textContent = fill(texts.failed, [e.message]);
    } finally {
      clearInterval(tick);
      progress.hidden = true;
      verdict.hidden = false;
      start.disabled = false;
    }
  });
})();
