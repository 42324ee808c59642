// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/static/nhsuk/nhsuk-frontend.min.js";

initAll();

// Print buttons (the handover, the crisis summary, decision records).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
