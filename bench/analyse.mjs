// Quick check of the page's own parse + analyse time in headless Chromium, without the
// rest of `make bench`: `node bench/analyse.mjs DIST [PASTE_FILE...]` on a build made with
// `trunk build --release --features bench`. Prints the median of 21 runs per paste.
import { readFileSync } from "node:fs";
import puppeteer from "puppeteer-core";
import { serve } from "./serve.mjs";

const [dist, ...pastes] = process.argv.slice(2);
const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
const server = await serve(dist);
const page = await browser.newPage();
await page.goto(server.url, { waitUntil: "load" });
await page.waitForFunction(() => typeof window.wasmBindings?.bench_analyse === "function", { timeout: 60000 });
for (const f of pastes) {
  const text = readFileSync(f, "utf8");
  const times = await page.evaluate((t) => Array.from(window.wasmBindings.bench_analyse(t, 21)), text);
  const s = [...times].sort((a, b) => a - b);
  const snaps = await page.evaluate((t) => window.wasmBindings.bench_snapshots(t), text);
  console.log(`${f}: ${text.length} bytes, ${snaps} snapshots: median ${s[10].toFixed(2)} ms, min ${s[0].toFixed(2)} ms`);
}
await browser.close();
await server.close();
