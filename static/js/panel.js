// The argument panel beside an article's text (templates/articles/article_detail.html).
//
// htmx does the fetching: a highlight's hx-get swaps its argument into #reading-panel, and links
// inside the panel swap other arguments into it. This script does the rest: it remembers which
// highlight opened the panel and marks it, moves keyboard focus to the panel's heading without
// scrolling the text, and closes the panel (its Close button, or Escape) with focus back on that
// highlight. A panel that cannot be loaded falls back to the highlight's own link, the argument
// page. Without JavaScript the highlights are plain links to the argument pages.
(() => {
  "use strict";

  const SLOT_ID = "reading-panel";
  let opener = null; // the highlight that opened the panel

  const slot = () => document.getElementById(SLOT_ID);
  const isOpen = () => !!slot()?.firstElementChild;
  const intoSlot = (event) => event.detail.target?.id === SLOT_ID;

  function mark(highlight) {
    document.querySelectorAll(".quote.is-open, .quote-marker.is-open").forEach((el) => {
      el.classList.remove("is-open");
    });
    if (highlight) highlight.classList.add("is-open");
  }

  function close() {
    if (!isOpen()) return;
    slot().replaceChildren();
    mark(null);
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  }

  document.addEventListener("htmx:beforeRequest", (event) => {
    // A highlight in the text opens the panel; a link inside the panel only changes what it shows.
    if (intoSlot(event) && !slot().contains(event.detail.elt)) opener = event.detail.elt;
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    if (!intoSlot(event)) return;
    mark(opener);
    // The panel stands beside the text (sticky) or over its foot: in view, nothing to scroll.
    slot().querySelector("#panel-heading")?.focus({ preventScroll: true });
  });

  function fallBack(event) {
    if (!intoSlot(event)) return;
    const href = event.detail.elt?.getAttribute("href");
    if (href) window.location.assign(href);
  }
  document.addEventListener("htmx:responseError", fallBack);
  document.addEventListener("htmx:sendError", fallBack);

  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("[data-panel-close]")) close();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented || !isOpen()) return;
    const target = event.target instanceof Element ? event.target : document.body;
    // Escape belongs to the form it is pressed in elsewhere on the page (the extraction tool),
    // and in the panel it does not throw away what someone is writing (a rebuttal).
    if (!slot().contains(target) && target.closest("form")) return;
    const field = target.closest("textarea, input");
    if (field && field.value) return;
    close();
  });
})();
