// CalSync dashboard: the little the server cannot do. Loaded by every page; no inline script anywhere (see the CSP).
"use strict";

// Times arrive as UTC; show them in the person's own zone.
function localTimes(root) {
  for (const el of root.querySelectorAll("time[datetime]")) {
    const when = new Date(el.getAttribute("datetime"));
    if (!isNaN(when)) {
      el.textContent = when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
      el.title = el.getAttribute("datetime");
    }
  }
}

// A run that is queued or running: fetch its panel again until it is finished.
function poll() {
  const panel = document.querySelector("[data-poll]");
  if (!panel) return;
  setTimeout(async () => {
    try {
      const response = await fetch(panel.getAttribute("data-poll"), { credentials: "same-origin", cache: "no-store" });
      if (response.ok) {
        const template = document.createElement("template");
        template.innerHTML = (await response.text()).trim();
        const fresh = template.content.firstElementChild;
        localTimes(fresh);
        panel.replaceWith(fresh);
      }
    } catch {
      // Offline for a moment: try again on the next round.
    }
    poll();
  }, 1000);
}

// Time zones (the schedule's, working hours') start as the browser's own when the form has none yet.
function localZone() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const select of document.querySelectorAll("select[data-local-zone='fill']")) {
    if (zone && [...select.options].some(o => o.value === zone)) select.value = zone;
  }
}

// Two-way-only settings are hidden (and left out) while the sync is one way.
function directionFields() {
  const radios = document.querySelectorAll("input[name='Form.Direction']");
  const block = document.querySelector("[data-two-way]");
  if (!radios.length || !block) return;
  const update = () => {
    const twoWay = document.querySelector("input[name='Form.Direction']:checked")?.value === "two-way";
    block.hidden = !twoWay;
  };
  radios.forEach(r => r.addEventListener("change", update));
  update();
}

// Copy buttons: data-copy names the element whose text is copied.
function copyButtons() {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.getAttribute("data-copy")).textContent;
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = "Copied";
      } catch {
        button.textContent = "Select and copy it by hand";
      }
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  localTimes(document);
  localZone();
  directionFields();
  copyButtons();
  poll();
});
