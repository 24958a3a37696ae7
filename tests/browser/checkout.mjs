// The buying flow in Debian's Chromium: a guest adds two vendors' products to
// the cart through htmx (no page reload), logs in (the cart is kept), checks
// out, pays on the Zarinpal sandbox, sees the order paid and opens its
// invoice. axe-core checks each page; screenshots go to SCREENSHOT_DIR.
// Usage: node checkout.mjs BASE_URL SCREENSHOT_DIR
import path from "node:path";
import { axe, base, check, finish, fitsPhone, launch, shot, shots } from "./lib.mjs";

const browser = await launch();
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  // A guest adds the lamp (Home Comfort) from the category page through htmx.
  await page.goto(`${base}/fa/c/home-kitchen`);
  await page.evaluate(() => { window.__notReloaded = true; });
  const lampCard = page.locator(".card", { hasText: "چراغ" }).first();
  await lampCard.locator(".add-form button").click();
  await page.locator("#mini-cart .count", { hasText: "۱" }).waitFor({ timeout: 5000 });
  check(await page.evaluate(() => window.__notReloaded === true), "add to cart swapped a fragment, no reload");
  check((await page.textContent("#toast")).includes("افزوده شد"), "a status message says it was added");
  await shot(page, "fa-cart-added-toast");

  // Then the book (Ketab Sara) from its product page, two of them.
  await page.goto(`${base}/fa/p/divan-of-hafez`);
  await page.fill("#buy-qty", "2");
  await page.click(".buy-form button");
  await page.locator("#mini-cart .count", { hasText: "۳" }).waitFor({ timeout: 5000 });
  check(true, "product page adds two through htmx");

  // The cart: change a quantity with htmx.
  await page.goto(`${base}/fa/cart`);
  check((await page.locator(".cart-line").count()) === 2, "cart lists both vendors' products");
  await page.evaluate(() => { window.__notReloaded = true; });
  const qty = page.locator(".cart-line").first().locator("input[name=quantity]");
  await qty.fill("3");
  await page.locator(".cart-line").first().locator(".qty-form button").click();
  await page.locator("#mini-cart .count", { hasText: "۵" }).waitFor({ timeout: 5000 });
  check(await page.evaluate(() => window.__notReloaded === true), "quantity change swapped the cart fragment");
  await shot(page, "fa-cart-desktop");
  await axe(page, "fa cart");

  // Log in: the cart is kept.
  await page.click(".cart-summary a.button.primary"); // checkout asks a guest to log in first
  await page.waitForURL(/\/fa\/login/);
  await page.fill("#email", "customer@nextgen.local");
  await page.fill("#password", "Customer123!");
  await page.click("main form button[type=submit]");
  await page.waitForURL(/\/fa\/checkout/);
  check((await page.textContent("#mini-cart .count")).trim() === "۵", "the guest cart survived the login");
  await shot(page, "fa-checkout-empty-form");

  // A wrong postal code is reported beside its field.
  await page.fill("#f-name", "سارا محمدی");
  await page.fill("#f-mobile", "۰۹۱۲۱۱۱۰۰۰۲");
  await page.selectOption("#f-province", "THR");
  await page.fill("#f-city", "تهران");
  await page.fill("#f-street", "خیابان ولیعصر، پلاک ۱۲");
  await page.fill("#f-postal", "12345");
  await page.click("button[value=place]");
  await page.waitForLoadState();
  check((await page.textContent("#e-postal")).includes("۱۰ رقم"), "postal code error beside the field");
  await shot(page, "fa-checkout-errors");
  await axe(page, "fa checkout");
  await page.fill("#f-postal", "۱۳۱۶۹-۳۶۳۱۵");
  await page.fill("#f-code", "WELCOME10");
  await page.click("button[value=apply]");
  await page.waitForLoadState();
  check((await page.textContent(".field-ok")).includes("اعمال شد"), "discount code applied");
  await page.click("button[value=place]");
  await page.waitForURL(/\/fa\/account\/orders\/\d{4}-\d+$/);
  check((await page.textContent("#order-status")).includes("در انتظار پرداخت"), "order waits for payment");
  check((await page.locator(".part").count()) === 2, "one part per vendor");
  await shot(page, "fa-order-unpaid");

  // Pay on the Zarinpal sandbox.
  await page.click("button[value=ZARINPAL]");
  await page.waitForURL(/\/sandbox\/zarinpal\/pg\/StartPay\/A\d{35}/);
  await shot(page, "zarinpal-sandbox");
  await page.click("#sandbox-pay");
  await page.waitForURL(/\/fa\/account\/orders\/.*msg=paid/);
  check((await page.textContent("#order-status")).includes("پرداخت‌شده"), "order is PAID after the gateway");
  await shot(page, "fa-order-paid");
  await axe(page, "fa order");

  // The invoice.
  await page.click("text=مشاهدهٔ صورتحساب");
  await page.waitForURL(/\/invoice$/);
  const taxid = (await page.textContent("#invoice-taxid")).trim();
  check(/^[A-Z0-9]{21}[0-9]$/.test(taxid), `invoice carries a 22-character taxid (${taxid})`);
  check((await page.getAttribute("html", "dir")) === "rtl", "invoice is RTL");
  check(await page.locator("img.qr").evaluate((img) => img.complete && img.naturalWidth > 0), "QR code renders");
  await shot(page, "fa-invoice");
  await page.emulateMedia({ media: "print" });
  await page.pdf({ path: path.join(shots, "fa-invoice-a4.pdf"), format: "A4" }).catch(() => {});
  await shot(page, "fa-invoice-print");
  await page.emulateMedia({ media: "screen" });
  await axe(page, "fa invoice");

  // Phone widths: cart, order and invoice without sideways scrolling.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, bypassCSP: true });
  await phone.addCookies(await ctx.cookies());
  const p2 = await phone.newPage();
  const orderUrl = page.url().replace(/\/invoice$/, "");
  for (const [url, name] of [[orderUrl, "fa-order-phone"], [`${orderUrl}/invoice`, "fa-invoice-phone"],
    [orderUrl.replace("/fa/", "/ar/"), "ar-order-phone"], [orderUrl.replace("/fa/", "/en/"), "en-order-phone"],
    [`${base}/en/account/orders`, "en-orders-phone"], [`${base}/ar/cart`, "ar-cart-phone"]]) {
    await p2.goto(url);
    check(await fitsPhone(p2), `${name}: no sideways scrolling on a phone`);
    await shot(p2, name);
  }
  check(errors.length === 0, `no script errors (${errors.join("; ")})`);
} finally {
  await browser.close();
}
finish();
