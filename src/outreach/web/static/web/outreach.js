// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/static/nhsuk/nhsuk-frontend.min.js";

initAll();
