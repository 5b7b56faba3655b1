// Redaction review: drag on the page image to draw an area (a signature, a photo, handwriting). The drag
// fills the form's Left, Top, Right and Bottom fields in PDF points, which the officer can still edit or
// type by hand: the form works the same without JavaScript.
const SVG_NS = "http://www.w3.org/2000/svg";

export function enableDrawing(svg) {
  const fields = ["x0", "y0", "x1", "y1"].map((id) => document.getElementById(id));
  if (fields.some((field) => field === null)) return;
  const box = svg.viewBox.baseVal;
  let start = null;
  let preview = null;

  const pointOf = (event) => {
    const screen = svg.createSVGPoint();
    screen.x = event.clientX;
    screen.y = event.clientY;
    const page = screen.matrixTransform(svg.getScreenCTM().inverse());
    return {
      x: Math.min(Math.max(page.x, 0), box.width),
      y: Math.min(Math.max(page.y, 0), box.height),
    };
  };
  const corners = (a, b) => [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y)];
  const draw = (a, b) => {
    const [x0, y0, x1, y1] = corners(a, b);
    preview.setAttribute("x", x0);
    preview.setAttribute("y", y0);
    preview.setAttribute("width", x1 - x0);
    preview.setAttribute("height", y1 - y0);
  };

  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    start = pointOf(event);
    if (preview === null) {
      preview = document.createElementNS(SVG_NS, "rect");
      preview.setAttribute("fill", "#0b0c0c");
      preview.setAttribute("fill-opacity", "0.4");
      preview.setAttribute("stroke", "#1d70b8");
      preview.setAttribute("stroke-width", "1.5");
      preview.setAttribute("stroke-dasharray", "4 2");
      svg.appendChild(preview);
    }
    draw(start, start);
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", (event) => {
    if (start !== null) draw(start, pointOf(event));
  });
  svg.addEventListener("pointerup", (event) => {
    if (start === null) return;
    const end = pointOf(event);
    draw(start, end);
    corners(start, end).forEach((value, index) => {
      fields[index].value = value.toFixed(1);
    });
    start = null;
  });
  svg.dataset.drawReady = "true";
}

const page = document.querySelector("svg[data-draw-area]");
if (page !== null) enableDrawing(page);
