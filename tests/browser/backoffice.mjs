// The back-office in Debian's Chromium: a vendor creates a product in Persian
// with Arabic and English names and an image; staff enrol in two-step
// sign-in, approve it in the moderation queue with the keyboard (htmx, no
// reload); it appears in the store; staff lock a customer, who can then no
// longer log in. axe-core checks each page; screenshots in fa, ar and en.
// Usage: node backoffice.mjs BASE_URL SCREENSHOT_DIR (SCREENSHOT_DIR/upload.png is the image)
import crypto from "node:crypto";
import path from "node:path";
import { axe, base, check, finish, fitsPhone, launch, shot, shots } from "./lib.mjs";

// RFC 6238 with SHA-1, six digits: what an authenticator app computes.
function totp(secretBase32, unix) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secretBase32.replace(/\s|=/g, "")) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unix / 30)));
  const mac = crypto.createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, "0");
}

async function login(page, lang, email, password) {
  await page.goto(`${base}/${lang}/login`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForNavigation(), page.click("#main form button[type=submit]")]);
}

const browser = await launch();
try {
  // 1. The vendor creates a product in Persian, with Arabic and English names.
  const vctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const vendor = await vctx.newPage();
  const errors = [];
  vendor.on("pageerror", (e) => errors.push(String(e)));
  await login(vendor, "fa", "vendor@nextgen.local", "Vendor123!");
  await vendor.goto(`${base}/fa/vendor`);
  check((await vendor.locator(".chart").count()) === 1, "the vendor dashboard draws its sales chart");
  await shot(vendor, "fa-vendor-dashboard");
  await vendor.goto(`${base}/fa/vendor/products/new`);
  await axe(vendor, "fa vendor product form");
  await vendor.fill("#f-name_fa", "کتری برقی شیشه‌ای");
  await vendor.fill("#f-name_ar", "غلاية كهربائية زجاجية");
  await vendor.fill("#f-name_en", "Glass electric kettle");
  await vendor.fill("#f-description_fa", "یک و نیم لیتر، با چراغ آبی");
  await vendor.fill("#f-sku", "KETTLE-GL-15");
  await vendor.selectOption("#f-category_id", { index: 1 });
  await vendor.fill("#f-price", "۲٬۴۵۰٬۰۰۰");
  await vendor.fill("#f-stock", "7");
  await shot(vendor, "fa-vendor-product-form");
  await vendor.click(".product-form button[type=submit]");
  await vendor.waitForURL(/saved=submitted/);
  check((await vendor.textContent(".alert.ok")).includes("بررسی"), "the vendor is told the product waits for review");
  await vendor.click("#product-rows a:has-text('کتری برقی')");
  await vendor.setInputFiles("#f-image", path.join(shots, "upload.png"));
  await vendor.click("form[enctype] button[type=submit]");
  await vendor.waitForURL(/saved=image/);
  check((await vendor.locator("#image-list img").count()) === 1, "the uploaded image is listed");
  await shot(vendor, "fa-vendor-product-image");
  await vendor.setViewportSize({ width: 390, height: 844 });
  const wide = await vendor.evaluate(() => [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > 391 || e.getBoundingClientRect().left < -1)
    .slice(0, 5).map((e) => `${e.tagName}.${e.className}#${e.id}`).join(", "));
  check(await fitsPhone(vendor), `the product form fits a phone (${wide})`);
  await shot(vendor, "fa-vendor-product-phone");

  // 2. Staff enrol in two-step sign-in, then approve with the keyboard.
  const sctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const staff = await sctx.newPage();
  staff.on("pageerror", (e) => errors.push(String(e)));
  staff.on("dialog", (d) => d.accept());
  await login(staff, "fa", "admin@nextgen.local", "Admin123!");
  await staff.goto(`${base}/fa/admin/moderation/products`);
  await staff.waitForURL(/account\/2fa/);
  check((await staff.locator(".qr svg").count()) === 1, "enrolment shows a QR code");
  await axe(staff, "fa two-step enrolment");
  await shot(staff, "fa-2fa-enrol");
  const secret = (await staff.textContent("#totp-secret")).trim();
  await staff.fill("#code", totp(secret, Date.now() / 1000));
  await staff.click("#main form button[type=submit]");
  check((await staff.locator("#recovery-codes li").count()) === 10, "ten recovery codes are shown once");
  await staff.click("a.button.primary");
  await staff.waitForURL(/admin\/moderation\/products/);
  await staff.locator(".queue-item h2", { hasText: "کتری برقی" }).waitFor({ timeout: 5000 });
  check((await staff.locator(".queue-item img").getAttribute("src")).startsWith("/media/"), "the queue shows the upload");
  await axe(staff, "fa moderation queue");
  await shot(staff, "fa-moderation-queue");
  await staff.evaluate(() => { window.__notReloaded = true; });
  await staff.keyboard.press("a");
  await staff.locator("#queue-notice", { hasText: "تأیید شد" }).waitFor({ timeout: 5000 });
  check(await staff.evaluate(() => window.__notReloaded === true), "approving swapped the queue through htmx, no reload");
  check((await staff.textContent("#queue-count")).trim() === "۰", "the counter dropped to zero");
  await shot(staff, "fa-moderation-approved");

  // 3. It is in the store, with its image.
  const shop = await (await browser.newContext({ bypassCSP: true })).newPage();
  const res = await shop.goto(`${base}/fa/p/kettle-gl-15`);
  check(res.status() === 200, "the approved product is live");
  check((await shop.textContent("h1")).includes("کتری برقی شیشه‌ای"), "with its Persian name");
  check((await shop.locator("img[src^='/media/']").count()) >= 1, "with the uploaded image");
  await shop.goto(`${base}/ar/p/kettle-gl-15`);
  check((await shop.textContent("h1")).includes("غلاية كهربائية"), "and its Arabic name");
  await shot(shop, "ar-approved-product");

  // 4. Staff lock a customer, who can then no longer log in.
  await staff.goto(`${base}/fa/admin/users?q=customer`);
  await staff.click("#user-rows a");
  await axe(staff, "fa user page");
  await staff.click("form[data-confirm] button");
  await staff.locator("#user-notice").waitFor({ timeout: 5000 });
  check((await staff.textContent("#user-state")).includes("قفل"), "the user shows as locked");
  await shot(staff, "fa-user-locked");
  const cust = await (await browser.newContext({ bypassCSP: true })).newPage();
  await login(cust, "fa", "customer@nextgen.local", "Customer123!");
  check((await cust.textContent("#login-error")).includes("قفل"), "the locked customer cannot log in");
  await shot(cust, "fa-login-locked");

  // 5. The vendor queue, by keyboard: j/k move, a verifies, r goes to the reason.
  await staff.goto(`${base}/fa/admin/moderation/vendors`);
  const title = async () => (await staff.textContent(".queue-item h2")).trim();
  // Keys go to the queue once htmx has wired what it swapped in.
  const settled = () => staff.locator("#queue:not(.htmx-added)").waitFor({ timeout: 5000 });
  check((await title()) === "فروشگاه نخست", "the oldest waiting shop first");
  check((await staff.textContent("#queue-count")).trim() === "۲", "two shops wait");
  await staff.evaluate(() => { window.__notReloaded = true; });
  await staff.keyboard.press("j");
  await staff.locator(".queue-item h2", { hasText: "فروشگاه دوم" }).waitFor({ timeout: 5000 });
  await settled();
  await staff.keyboard.press("k");
  await staff.locator(".queue-item h2", { hasText: "فروشگاه نخست" }).waitFor({ timeout: 5000 });
  await settled();
  await axe(staff, "fa vendor queue");
  await shot(staff, "fa-vendor-queue");
  await staff.keyboard.press("a");
  await staff.locator("#queue-notice", { hasText: "تأیید شد" }).waitFor({ timeout: 5000 });
  check((await title()) === "فروشگاه دوم", "the next shop slid in");
  check((await staff.textContent("#queue-count")).trim() === "۱", "the counter dropped to one");
  await settled();
  await staff.keyboard.press("r");
  check(await staff.evaluate(() => document.activeElement.name === "reason"), "r puts the cursor in the reason");
  await staff.keyboard.type("مجوز کسب پیوست نشده است");
  await staff.click(".reject-form button");
  await staff.locator("#queue-empty").waitFor({ timeout: 5000 });
  check((await staff.textContent("#queue-notice")).includes("تعلیق شد"), "suspended, with the reason kept");
  check(await staff.evaluate(() => window.__notReloaded === true), "the whole queue was worked without a reload");
  await shot(staff, "fa-vendor-queue-done");

  // 6. The other pages, in each language and on a phone.
  for (const [lang, page] of [["fa", "/admin"], ["ar", "/admin/moderation/products"], ["en", "/admin/audit"], ["en", "/admin/roles"], ["ar", "/admin/users"], ["fa", "/admin/catalog"], ["en", "/admin/discounts"], ["ar", "/admin/shipping"], ["fa", "/admin/vendors"], ["ar", "/admin/moderation/vendors"]]) {
    await staff.setViewportSize({ width: 1280, height: 900 });
    await staff.goto(`${base}/${lang}${page}`);
    await axe(staff, `${lang} ${page}`);
    await shot(staff, `${lang}-${page.replaceAll("/", "-").slice(1)}`);
    await staff.setViewportSize({ width: 390, height: 844 });
    check(await fitsPhone(staff), `${lang} ${page} fits a phone`);
    await shot(staff, `${lang}-${page.replaceAll("/", "-").slice(1)}-phone`);
  }
  check(errors.length === 0, `no script errors (${errors.join("; ")})`);
} finally {
  await browser.close();
}
finish();
