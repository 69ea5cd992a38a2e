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
