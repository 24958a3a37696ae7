// Small progressive enhancements; every page works without this file.
document.addEventListener("keydown", (event) => {
  // Escape closes the search suggestions.
  if (event.key === "Escape") {
    const box = document.getElementById("search-suggestions");
    if (box) box.replaceChildren();
  }
});
document.addEventListener("click", (event) => {
  const box = document.getElementById("search-suggestions");
  if (box && !event.target.closest(".search")) box.replaceChildren();
});
// On a phone the filters start folded, so the products come first.
if (window.matchMedia("(max-width: 720px)").matches) {
  for (const box of document.querySelectorAll("details.filters-box")) box.open = false;
}
// The invoice's Print button (no inline handlers under our CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
// After htmx swaps the cart, keep keyboard focus on the cart rather than losing it.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target && event.detail.target.id === "cart") {
    const cart = document.getElementById("cart");
    if (cart && !cart.contains(document.activeElement)) cart.setAttribute("tabindex", "-1"), cart.focus({ preventScroll: true });
  }
});
// A form that only hands the shopper on to a bank submits itself.
for (const form of document.querySelectorAll("form[data-autosubmit]")) form.submit();
