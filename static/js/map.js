// Pan and zoom for the argument map (templates/debates/debate_map.html).
//
// Progressive enhancement: without this script the SVG stands at the page's width in a box that
// scrolls. With it the box gets a fixed height, the zoom buttons appear, and the view is the
// SVG's viewBox: the buttons zoom in and out or show the whole map; dragging moves it; Ctrl (or
// Cmd) with the scroll wheel zooms where the pointer is; while an argument has focus the arrow
// keys move the map, + and - zoom and 0 shows the whole map; an argument that gets focus outside
// the view is brought into it. Hovering over an argument shows its whole claim as a tooltip.
(() => {
  "use strict";

  const STEP = 1.5; // zoom factor of one button press or key
  const MAX_SCALE = 4; // screen pixels per SVG unit, zoomed in all the way
  const READABLE = 0.9; // below this scale the labels are too small to read at first sight
  const PAN = 0.2; // of the visible width or height, per arrow key

  function enhance(map) {
    const viewport = map.querySelector("[data-argmap-viewport]");
    const tools = map.querySelector("[data-argmap-tools]");
    const svg = viewport && viewport.querySelector("svg");
    if (!tools || !svg || !svg.viewBox || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) {
      return;
    }
    const box = svg.viewBox.baseVal;
    const whole = { x: box.x, y: box.y, w: box.width, h: box.height };
    let view = { ...whole };

    viewport.classList.add("is-enhanced");
    tools.hidden = false;

    const size = () => ({ w: viewport.clientWidth || 1, h: viewport.clientHeight || 1 });
    const scaleOf = (v) => size().w / v.w;

    function fit() {
      // The whole map, centred, in the box's proportions (so a unit is as wide as it is high).
      const { w, h } = size();
      const scale = Math.min(w / whole.w, h / whole.h);
      const vw = w / scale;
      const vh = h / scale;
      return { x: whole.x - (vw - whole.w) / 2, y: whole.y - (vh - whole.h) / 2, w: vw, h: vh };
    }

    function bounded(v) {
      // Not smaller than MAX_SCALE allows nor larger than the whole map; its centre on the map.
      const { w: width, h: height } = size();
      const w = Math.min(Math.max(v.w, width / MAX_SCALE), Math.max(fit().w, width / MAX_SCALE));
      const h = (w * height) / width;
      const cx = Math.min(Math.max(v.x + v.w / 2, whole.x), whole.x + whole.w);
      const cy = Math.min(Math.max(v.y + v.h / 2, whole.y), whole.y + whole.h);
      return { x: cx - w / 2, y: cy - h / 2, w, h };
    }

    function show(v) {
      view = bounded(v);
      const numbers = [view.x, view.y, view.w, view.h].map((n) => Math.round(n * 100) / 100);
      svg.setAttribute("viewBox", numbers.join(" "));
    }

    function toUnits(clientX, clientY) {
      const rect = svg.getBoundingClientRect();
      const scale = rect.width / view.w;
      return { x: view.x + (clientX - rect.left) / scale, y: view.y + (clientY - rect.top) / scale };
    }

    function zoom(factor, at) {
      const centre = at || { x: view.x + view.w / 2, y: view.y + view.h / 2 };
      const w = view.w / factor;
      const ratio = w / view.w;
      show({
        x: centre.x - (centre.x - view.x) * ratio,
        y: centre.y - (centre.y - view.y) * ratio,
        w,
        h: view.h * ratio,
      });
    }

    function centreOn(element) {
      const rect = element.getBoundingClientRect();
      const centre = toUnits(rect.left + rect.width / 2, rect.top + rect.height / 2);
      show({ ...view, x: centre.x - view.w / 2, y: centre.y - view.h / 2 });
    }

    function start() {
      // A map that fits legibly is shown whole; a larger one starts legible at the thesis, which
      // stands at the left edge with its answers to the right of it.
      const all = fit();
      show(all);
      const thesis = svg.querySelector(".thesis");
      if (scaleOf(all) >= READABLE || !thesis) return;
      const { w, h } = size();
      show({ ...view, w: w / READABLE, h: h / READABLE });
      centreOn(thesis);
      const left = toUnits(thesis.getBoundingClientRect().left, 0).x;
      show({ ...view, x: left - view.w * 0.02 });
    }

    tools.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-zoom]");
      if (!button) return;
      const action = button.dataset.zoom;
      if (action === "in") zoom(STEP);
      else if (action === "out") zoom(1 / STEP);
      else show(fit());
    });

    viewport.addEventListener(
      "wheel",
      (event) => {
        if (!event.ctrlKey && !event.metaKey) return; // a plain wheel scrolls the page
        event.preventDefault();
        zoom(Math.exp(-event.deltaY * 0.002), toUnits(event.clientX, event.clientY));
      },
      { passive: false },
    );

    let drag = null;
    let dragged = false;
    svg.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, view, id: event.pointerId };
      dragged = false;
    });
    svg.addEventListener("pointermove", (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!dragged) {
        if (Math.hypot(dx, dy) < 5) return; // a click, not a drag
        dragged = true;
        svg.setPointerCapture(event.pointerId);
        viewport.classList.add("is-dragging");
      }
      const scale = scaleOf(drag.view);
      show({ ...drag.view, x: drag.view.x - dx / scale, y: drag.view.y - dy / scale });
    });
    const stop = () => {
      drag = null;
      viewport.classList.remove("is-dragging");
    };
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    // The click that ends a drag does not follow the link under the pointer.
    svg.addEventListener(
      "click",
      (event) => {
        if (!dragged) return;
        dragged = false;
        event.preventDefault();
        event.stopPropagation();
      },
      true,
    );

    const MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    viewport.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const move = MOVES[event.key];
      if (move) show({ ...view, x: view.x + move[0] * view.w * PAN, y: view.y + move[1] * view.h * PAN });
      else if (event.key === "+" || event.key === "=") zoom(STEP);
      else if (event.key === "-") zoom(1 / STEP);
      else if (event.key === "0") show(fit());
      else return;
      event.preventDefault();
    });

    viewport.addEventListener("focusin", (event) => {
      const link = event.target.closest && event.target.closest("a");
      if (!link) return;
      const rect = link.getBoundingClientRect();
      const frame = viewport.getBoundingClientRect();
      const inside =
        rect.left >= frame.left && rect.right <= frame.right && rect.top >= frame.top && rect.bottom <= frame.bottom;
      if (inside) return;
      centreOn(link);
      // Then bring it into the window too, and undo any scrolling of the clipped box itself.
      requestAnimationFrame(() => {
        link.scrollIntoView({ block: "nearest", inline: "nearest" });
        viewport.scrollTop = 0;
        viewport.scrollLeft = 0;
      });
    });

    if (window.ResizeObserver) {
      let last = size();
      new ResizeObserver(() => {
        const now = size();
        if (now.w === last.w && now.h === last.h) return;
        const ratio = view.w / last.w; // keep the scale and the centre
        const centre = { x: view.x + view.w / 2, y: view.y + view.h / 2 };
        last = now;
        show({ x: centre.x - (now.w * ratio) / 2, y: centre.y - (now.h * ratio) / 2, w: now.w * ratio, h: now.h * ratio });
      }).observe(viewport);
    }

    start();
  }

  // A node's link is named by its claim in the outline below the map (aria-labelledby): the page
  // writes each claim once. For the mouse the whole claim comes back as the link's tooltip, a
  // <title>, which then names the link instead: the same words, said once.
  function tooltips(svg) {
    svg.addEventListener("pointerover", (event) => {
      const link = event.target.closest && event.target.closest("a[aria-labelledby]");
      const claim = link && document.getElementById(link.getAttribute("aria-labelledby"));
      if (!claim) return;
      const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = claim.textContent;
      link.prepend(title);
      link.removeAttribute("aria-labelledby");
    });
  }

  document.querySelectorAll("[data-argmap]").forEach(enhance);
  document.querySelectorAll("svg.argmap-svg").forEach(tooltips);
})();
