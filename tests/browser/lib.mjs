// What the browser scripts share: Chromium, check(), axe-core and screenshots.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
export const [base, shots] = process.argv.slice(2);
const failures = [];

export function check(cond, msg) {
  if (!cond) failures.push(msg);
  console.log(`${cond ? "ok  " : "FAIL"} ${msg}`);
}

// A critical or serious violation fails the run.
export async function axe(page, label) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => await window.axe.run(document));
  const bad = result.violations.filter((v) => v.impact === "critical" || v.impact === "serious");
  for (const v of bad) {
    console.log(`  axe ${v.impact}: ${v.id} (${v.help}) on ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }
  check(bad.length === 0, `${label}: no critical or serious accessibility violations`);
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

// True when a 390 px phone page needs no sideways scrolling.
export async function fitsPhone(page) {
  return !(await page.evaluate(() => document.documentElement.scrollWidth > 391));
}

export function finish() {
  if (failures.length) {
    console.log(`browser: ${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log("browser: all checks passed");
}
