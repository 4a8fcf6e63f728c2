// What every page shares: the site's clock for times drawn by scripts (the same zone and format as the server's
// pages: yyyy-MM-dd HH:mm:ss, 24 h), and the header's alarm badge, kept live without reloading.
window.DcAssets = (() => {
  "use strict";
  const html = document.documentElement;
  const zone = html.dataset.siteZone || "Asia/Shanghai";
  const offset = html.dataset.siteOffset || "+08:00";
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  const pick = (d) => Object.fromEntries(parts.formatToParts(d).map(p => [p.type, p.value]));
  // An instant (ISO text, epoch milliseconds or Date) on the site's clock.
  const time = (t) => {
    if (t === null || t === undefined || t === "") return "";
    const p = pick(new Date(t));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  };
  // A datetime-local input's value (the site's wall clock) as an instant.
  const instant = (wallClock) => new Date(`${wallClock.length === 16 ? wallClock + ":00" : wallClock}${offset}`);

  async function refreshBadge(badge) {
    try {
      const r = await fetch("/api/v1/telemetry/alarms/summary", { credentials: "same-origin",
        headers: { Accept: "application/json" } });
      if (!r.ok) return;
      const s = await r.json();
      for (const el of badge.querySelectorAll("[data-severity]")) {
        const n = s[el.dataset.severity] ?? 0;
        el.querySelector("[data-count]").textContent = String(n);
        el.hidden = n === 0;
      }
      badge.classList.toggle("quiet", s.total === 0);
      badge.querySelector("[data-none]").hidden = s.total !== 0;
      const sound = document.querySelector("[data-alarm-sound]");
      if (sound?.checked && (s.major ?? 0) > Number(badge.dataset.major ?? 0)) beep();
      badge.dataset.major = String(s.major ?? 0);
    } catch { /* offline for a moment: the next round tries again */ }
  }

  function beep() {
    const ctx = new AudioContext(), osc = ctx.createOscillator();
    osc.frequency.value = 880; osc.connect(ctx.destination); osc.start(); osc.stop(ctx.currentTime + 0.6);
  }

  // The duty screen's bell: off unless chosen, and the choice kept in this browser.
  const sound = document.querySelector("[data-alarm-sound]");
  if (sound) {
    sound.checked = localStorage.getItem("dcassets.sound") === "on";
    sound.addEventListener("change", () => localStorage.setItem("dcassets.sound", sound.checked ? "on" : "off"));
  }

  const badge = document.querySelector("[data-alarm-badge]");
  if (badge) {
    const every = Number(badge.dataset.everyMs ?? 5000);
    refreshBadge(badge);
    setInterval(() => refreshBadge(badge), every);
  }
  return { time, instant, zone, offset };
})();
