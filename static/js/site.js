// The little htmx does not do: move keyboard focus into content it swapped in, where the
// server marked it (data-autofocus), so keyboard and screen-reader users land on the result.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-autofocus]").forEach((el) => el.removeAttribute("data-autofocus"));
});
document.addEventListener("htmx:afterSettle", () => {
  const el = document.querySelector("[data-autofocus]");
  if (el) {
    el.removeAttribute("data-autofocus");
    el.focus();
  }
});

// "Show 4 answers" (data-expand) loads a level of answers in place the first time; then it
// says "Hide answers" and toggles that level without asking the server again. Without
// JavaScript it is a plain link to that part of the debate.
(() => {
  "use strict";
  const region = (toggle) => document.getElementById(toggle.getAttribute("aria-controls"));
  const label = (toggle) => toggle.querySelector("span") || toggle;

  function setExpanded(toggle, expanded) {
    if (!toggle.dataset.showLabel) toggle.dataset.showLabel = label(toggle).textContent;
    toggle.setAttribute("aria-expanded", String(expanded));
    label(toggle).textContent = expanded ? toggle.dataset.hideLabel : toggle.dataset.showLabel;
    region(toggle).hidden = !expanded;
  }

  document.addEventListener("htmx:beforeRequest", (event) => {
    const toggle = event.detail.elt;
    if (!(toggle instanceof Element) || !toggle.matches("[data-expand]")) return;
    const loaded = region(toggle)?.hasChildNodes() && region(toggle).textContent.trim() !== "";
    if (toggle.getAttribute("aria-expanded") === "true") {
      event.preventDefault();
      setExpanded(toggle, false);
    } else if (loaded) {
      event.preventDefault();
      setExpanded(toggle, true);
    }
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const toggle = event.detail.requestConfig?.elt;
    if (toggle instanceof Element && toggle.matches("[data-expand]")) setExpanded(toggle, true);
  });
})();
