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
