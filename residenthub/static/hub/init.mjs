import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// The redaction review page's area drawing, loaded only where there is a page to draw on.
if (document.querySelector("svg[data-draw-area]") !== null) {
  import("./draw_area.mjs");
}
