// Drives the storefront in Debian's Chromium: RTL home page, Arabic-letter
// search through htmx suggestions, a product page, the switch to English.
// axe-core runs on every page; a critical or serious violation fails the run.
// Usage: node storefront.mjs BASE_URL SCREENSHOT_DIR
import { axe, base, check, finish, fitsPhone, launch, shot } from "./lib.mjs";

const browser = await launch();
try {
  // bypassCSP lets the test inject axe-core; the app's own pages need no inline script.
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await desktop.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  await page.goto(`${base}/fa/`);
  check((await page.getAttribute("html", "dir")) === "rtl", "fa home is RTL");
  check((await page.getAttribute("html", "lang")) === "fa", "fa home has lang=fa");
  check(await page.evaluate(() => typeof window.htmx === "object"), "htmx loaded");
  await shot(page, "fa-home-desktop");
  await axe(page, "fa home");

  // Type Arabic letters: ك and ي must find the Persian spelling.
  await page.fill("#site-search", "");
  await page.type("#site-search", "كتاب", { delay: 30 });
  const suggestion = page.locator("#search-suggestions .suggestion-list a").first();
  await suggestion.waitFor({ timeout: 5000 });
  check((await suggestion.textContent()).includes("کتاب دیوان حافظ"), "htmx suggestion finds کتاب from كتاب");
  await shot(page, "fa-search-suggestions");
  await page.press("#site-search", "Enter");
  await page.waitForURL(/\/fa\/search\?q=/);
  const first = page.locator(".card a").first();
  check((await first.textContent()).includes("کتاب دیوان حافظ"), "results page lists the book first");
  await axe(page, "fa search");
  await first.click();
  await page.waitForURL(/\/fa\/p\/divan-of-hafez/);
  check((await page.textContent("h1")).trim() === "کتاب دیوان حافظ", "product page in Persian");
  check((await page.textContent(".summary .price")).includes("۴۵٬۰۰۰"), "price in Toman with Persian digits");
  await shot(page, "fa-product-desktop");
  await axe(page, "fa product");

  await page.click(".lang-switch a[lang=en]");
  await page.waitForURL(/\/en\/p\/divan-of-hafez/);
  check((await page.getAttribute("html", "dir")) === "ltr", "English page is LTR");
  check((await page.textContent("h1")).trim() === "Divan of Hafez", "same product in English");
  await shot(page, "en-product-desktop");
  await axe(page, "en product");

  await page.goto(`${base}/ar/c/electronics`);
  check((await page.getAttribute("html", "dir")) === "rtl", "ar category is RTL");
  await shot(page, "ar-category-desktop");
  await axe(page, "ar category");
  await page.goto(`${base}/en/login`);
  await axe(page, "en login");
  check(errors.length === 0, `no script errors (${errors.join("; ")})`);

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, bypassCSP: true });
  const p2 = await phone.newPage();
  for (const [url, name] of [["/fa/", "fa-home-phone"], ["/ar/p/samsung-galaxy-s24", "ar-product-phone"], ["/en/c/electronics", "en-category-phone"]]) {
    await p2.goto(`${base}${url}`);
    check(await fitsPhone(p2), `${name}: no sideways scrolling on a phone`);
    await shot(p2, name);
  }
} finally {
  await browser.close();
}
finish();
