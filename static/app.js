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
// A form with data-confirm asks first (destructive staff actions).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
// Moderation queue keys: a approves, r goes to the reason, j/k move through
// the queue. Not while typing, and not with a modifier key held.
document.addEventListener("keydown", (event) => {
  const queue = document.querySelector("[data-queue]");
  if (!queue || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  // Content htmx has swapped in but not yet wired (until it settles) would
  // post as a plain form and reload the page; a key that early is dropped.
  if (queue.classList.contains("htmx-added")) return;
  const el = queue.querySelector(`[data-key="${event.key}"]`);
  if (!el) return;
  event.preventDefault();
  if (el.tagName === "TEXTAREA") el.focus();
  else el.click();
});
// After the next queue item slides in, keyboard focus goes to it.
document.addEventListener("htmx:afterSwap", (event) => {
  const queue = document.getElementById("queue");
  if (queue && event.detail.target && event.detail.target.id === "queue") {
    const heading = queue.querySelector("h2") || queue;
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }
});
// Upload progress for large files sent through htmx (data-upload-progress names the bar).
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target.closest && event.target.closest("form[data-upload-progress]");
  const bar = form && document.querySelector(form.dataset.uploadProgress);
  if (bar && event.detail.lengthComputable) {
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  }
});
// A list worked like a queue (vendors waiting): j/k move between rows, a and r
// act on the row that has focus (a verifies, r goes to its reason).
document.addEventListener("keydown", (event) => {
  const list = document.querySelector("[data-queue-list]");
  if (!list || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  const rows = [...list.querySelectorAll("[data-row]")];
  if (!rows.length) return;
  const current = event.target.closest("[data-row]");
  const at = rows.indexOf(current);
  if (event.key === "j" || event.key === "k") {
    event.preventDefault();
    const next = event.key === "j" ? Math.min(at + 1, rows.length - 1) : Math.max(at - 1, 0);
    rows[at < 0 ? 0 : next].focus();
    return;
  }
  const el = current && current.querySelector(`[data-row-key="${event.key}"]`);
  if (!el) return;
  event.preventDefault();
  if (el.tagName === "INPUT") el.focus();
  else el.click();
});
// On a phone the back-office links scroll sideways: bring the current one into view.
document.addEventListener("DOMContentLoaded", () => {
  const current = document.querySelector(".bo-nav [aria-current]");
  if (current) current.scrollIntoView({ block: "nearest", inline: "nearest" });
});
