// The benchmark (issue 6, item 4): `make bench` (or `node bench/run.mjs`).
// Builds the page and a minimal Yew app the same way, then prints one table:
// gzip transfer size, first full render in headless Chromium (median of
// BENCH_LOADS cold loads), parse + analyse of a 2,000-snapshot paste in the
// browser and natively, typing lag on a normal paste, and a 10 MB paste.
// A second table puts the engine alone (bench/engine-page: the engine's plain-text
// report on the minimal app, built the same way) beside both: what every feature's
// computing and prose weigh and cost to start, without the page around them (issue 12).
// The table is printed and written to bench/RESULTS.md (with the commit, the date and
// the machine's load, since the machine is shared).
// Env: BENCH_LOADS (default 15), BENCH_NO_BUILD=1 (reuse target/bench/*),
//      CHROMIUM (default /usr/bin/chromium), BENCH_JSON=path (also write JSON),
//      BENCH_RESULTS=path (default bench/RESULTS.md; "-" writes none).
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join, dirname, extname } from "node:path";
import { loadavg, cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { gzipSync, constants as zc } from "node:zlib";
import puppeteer from "puppeteer-core";
import { serve } from "./serve.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "target", "bench");
const LOADS = Number(process.env.BENCH_LOADS || 15);
const SNAPSHOTS = 2000;
const BUDGET = { transfer: 2.5, render: 1.5, analyseMs: 20, typingMs: 50, frameMs: 16 };
const loadBefore = loadavg()[0];

const env = { ...process.env, PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH}`, TRUNK_SKIP_VERSION_CHECK: "true" };
const run = (cmd, args, cwd = ROOT) => execFileSync(cmd, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
const say = (msg) => console.error(`bench: ${msg}`);

// --- build -----------------------------------------------------------------
mkdirSync(OUT, { recursive: true });
const appDist = join(OUT, "converge");
const baseDist = join(OUT, "baseline");
const engineDist = join(OUT, "engine");
if (!process.env.BENCH_NO_BUILD) {
  // The `bench` feature adds the timing hooks (src/ui/bench.rs); the shipped build has none.
  say("building the page (trunk build --release --features bench)");
  run("trunk", ["build", "--release", "--features", "bench", "--dist", appDist]);
  say("building the minimal Yew app the same way");
  run("trunk", ["build", "--release", "--dist", baseDist], join(ROOT, "bench", "baseline"));
  say("building the engine alone on the minimal app the same way");
  run("trunk", ["build", "--release", "--dist", engineDist], join(ROOT, "bench", "engine-page"));
}
say("building the native timer and the 2,000-snapshot paste");
run("cargo", ["build", "--quiet", "--release", "--manifest-path", join(ROOT, "bench", "native", "Cargo.toml")]);
const nativeBin = join(ROOT, "bench", "native", "target", "release", "converge-bench-native");
const pastePath = join(OUT, `paste-${SNAPSHOTS}.txt`);
const native = JSON.parse(execFileSync(nativeBin, [join(ROOT, "tests", "data", "corpus", "runs"), String(SNAPSHOTS), pastePath, "21"], { encoding: "utf8" }));
const paste = readFileSync(pastePath, "utf8");

// A normal paste: one whole real session (every snapshot of one run).
const runDir = join(ROOT, "tests", "data", "corpus", "runs", "10.0.2-B", "snapshots");
const normalPaste = readdirSync(runDir).filter((f) => f.endsWith("_hmp.txt")).sort()
  .map((f) => "(qemu) info migrate\r\n" + readFileSync(join(runDir, f), "utf8")).join("");
// 10 MB: the 2,000-snapshot paste repeated.
const hugePaste = paste.repeat(Math.ceil(10e6 / paste.length)).slice(0, 10e6);

// --- transfer size -----------------------------------------------------------
function transfer(dir) {
  const kinds = { wasm: 0, js: 0, css: 0 };
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  for (const f of walk(dir)) {
    const k = extname(f).slice(1);
    if (k in kinds) kinds[k] += gzipSync(readFileSync(f), { level: zc.Z_BEST_COMPRESSION }).length;
  }
  return { ...kinds, total: kinds.wasm + kinds.js + kinds.css };
}
const size = { app: transfer(appDist), base: transfer(baseDist), engine: transfer(engineDist) };

// --- browser ---------------------------------------------------------------
// Injected before any page script: when did the DOM last change before it went
// quiet with a textarea in it (the app's first full render), and the frame after;
// and when the wasm was instantiated (downloaded and compiled: what its size costs).
const PROBE = `(() => {
  const p = (window.__probe = { last: 0, paint: 0, done: false, fcp: null, wasm: null });
  const instantiate = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = (...a) => instantiate.apply(WebAssembly, a).then((r) => { p.wasm = performance.now(); return r; });
  let timer;
  const arm = () => { clearTimeout(timer); timer = setTimeout(() => { if (document.querySelector("textarea")) p.done = true; else arm(); }, 400); };
  new MutationObserver(() => { const t = performance.now(); p.last = t; requestAnimationFrame(() => { if (p.last === t) p.paint = performance.now(); }); arm(); })
    .observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name === "first-contentful-paint") p.fcp = e.startTime; }).observe({ type: "paint", buffered: true });
  arm();
})();`;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const servers = { app: await serve(appDist), base: await serve(baseDist), engine: await serve(engineDist) };

async function freshPage(which) {
  const ctx = await browser.createBrowserContext(); // empty cache, no service worker
  const page = await ctx.newPage();
  await page.evaluateOnNewDocument(PROBE);
  await page.goto(servers[which].url, { waitUntil: "load" });
  await page.waitForFunction(() => window.__probe.done, { timeout: 60000, polling: 50 });
  return { ctx, page };
}

const renders = { app: [], base: [], engine: [], appFcp: [], baseFcp: [], engineFcp: [], appWasm: [], baseWasm: [], engineWasm: [] };
const ORDER = ["app", "base", "engine"];
for (let i = 0; i < LOADS; i++) {
  for (const which of ORDER.map((_, k) => ORDER[(i + k) % ORDER.length])) { // rotated against drift
    const { ctx, page } = await freshPage(which);
    const p = await page.evaluate(() => window.__probe);
    renders[which].push(p.paint || p.last);
    renders[which + "Fcp"].push(p.fcp ?? NaN);
    renders[which + "Wasm"].push(p.wasm ?? NaN);
    await ctx.close();
  }
}

// Paste through the DOM: set the textarea and fire `input`, as a paste does.
// handlerMs: the page's own work (Yew's input handler, analysis, re-render);
// frozenMs: until the next frame is drawn, which adds the browser's own layout
// of the textarea's text: what a person sees as a freeze.
const DOM_PASTE = async (text) => {
  const ta = document.querySelector("textarea");
  const t0 = performance.now();
  ta.value = text;
  ta.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  const t1 = performance.now();
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return { handlerMs: t1 - t0, frozenMs: performance.now() - t0, alive: !!document.querySelector("textarea") };
};
// As Ctrl+V delivers it: a paste event the page may take over (src/ui/big_paste.rs).
const EVENT_PASTE = async (text) => {
  const ta = document.querySelector("textarea");
  ta.focus();
  const dt = new DataTransfer();
  dt.setData("text/plain", text);
  const t0 = performance.now();
  ta.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  const t1 = performance.now();
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return { handlerMs: t1 - t0, frozenMs: performance.now() - t0, alive: !!document.querySelector("textarea"), kept: ta.value.length };
};
async function pasteIn(which, text, how = DOM_PASTE) {
  const { ctx, page } = await freshPage(which);
  const r = await page.evaluate(how, text);
  r.responds = await Promise.race([page.evaluate(() => 1 + 1).then((v) => v === 2), new Promise((res) => setTimeout(() => res(false), 10000))]);
  await ctx.close();
  return r;
}

const { ctx: ctxA, page: pageA } = await freshPage("app");
const hook = await pageA.evaluate(() => typeof window.wasmBindings?.bench_analyse === "function");
let browserAnalyse = null;
if (hook) {
  const times = await pageA.evaluate((t) => Array.from(window.wasmBindings.bench_analyse(t, 21)), paste);
  browserAnalyse = { median: median(times), min: Math.min(...times), snapshots: await pageA.evaluate((t) => window.wasmBindings.bench_snapshots(t), paste) };
  // What every keystroke's re-analysis costs on a normal paste.
  const small = await pageA.evaluate((t) => Array.from(window.wasmBindings.bench_analyse(t, 21)), normalPaste);
  browserAnalyse.normal = { median: median(small), min: Math.min(...small) };
}
await ctxA.close();
const domPaste = { app: await pasteIn("app", paste), base: await pasteIn("base", paste) };

// Typing into a normal paste. What a person sees as lag is a frame that comes
// late, so this records the longest gap between animation frames while keys are
// typed (every 60 ms) and, separately, when the results update after the keys.
// (Event Timing's presentation times are not reliable in headless Chromium.)
async function typingLag(which) {
  const { ctx, page } = await freshPage(which);
  await page.evaluate((t) => { const ta = document.querySelector("textarea"); ta.value = t; ta.dispatchEvent(new InputEvent("input", { bubbles: true })); }, normalPaste);
  await new Promise((r) => setTimeout(r, 1500));
  await page.evaluate(() => {
    const g = (window.__gaps = { typing: 0, after: 0, phase: "typing" });
    let last = performance.now();
    const raf = () => { const n = performance.now(); g[g.phase] = Math.max(g[g.phase], n - last); last = n; requestAnimationFrame(raf); };
    requestAnimationFrame(raf);
    const ta = document.querySelector("textarea");
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
  });
  await page.keyboard.type("\n(qemu) info migrate", { delay: 60 });
  await page.evaluate(() => { window.__gaps.phase = "after"; });
  await new Promise((r) => setTimeout(r, 1500));
  const gaps = await page.evaluate(() => window.__gaps);
  await ctx.close();
  return { worstMs: gaps.typing, updateMs: gaps.after };
}
const typing = { app: await typingLag("app"), base: await typingLag("base") };

// 10 MB paste: does the tab survive, and how long is it frozen? The baseline's
// textarea shows what the browser itself costs for the same text.
// The page gets a real paste event; the baseline has no paste handler, so it gets
// the text the browser's way (value + input), which is what any page pays.
const huge = { app: await pasteIn("app", hugePaste, EVENT_PASTE), base: await pasteIn("base", hugePaste) };

await browser.close();
await servers.app.close();
await servers.base.close();
await servers.engine.close();

// --- report ----------------------------------------------------------------
function median(v) {
  const s = [...v].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}
const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 1)} ms` : "n/a");
const verdict = (ok) => (ok === null ? "" : ok ? "ok" : "OVER");
const rApp = median(renders.app), rBase = median(renders.base);
const normalSnapshots = normalPaste.split("(qemu)").length - 1;
const rows = [
  ["transfer wasm (gzip -9)", kb(size.app.wasm), kb(size.base.wasm), (size.app.wasm / size.base.wasm).toFixed(2) + "x", "", ""],
  ["transfer js (gzip -9)", kb(size.app.js), kb(size.base.js), (size.app.js / size.base.js).toFixed(2) + "x", "", ""],
  ["transfer css (gzip -9)", kb(size.app.css), kb(size.base.css), "", "", ""],
  ["transfer wasm+js+css", kb(size.app.total), kb(size.base.total), (size.app.total / size.base.total).toFixed(2) + "x", `<= ${BUDGET.transfer}x`, verdict(size.app.total / size.base.total <= BUDGET.transfer)],
  [`first full render (median of ${LOADS})`, ms(rApp), ms(rBase), (rApp / rBase).toFixed(2) + "x", `<= ${BUDGET.render}x`, verdict(rApp / rBase <= BUDGET.render)],
  ["first contentful paint (median)", ms(median(renders.appFcp)), ms(median(renders.baseFcp)), (median(renders.appFcp) / median(renders.baseFcp)).toFixed(2) + "x", "", ""],
  [`parse+analyse ${SNAPSHOTS} snapshots, browser (median of 21)`, browserAnalyse ? ms(browserAnalyse.median) : "no hook", "", "", `<= ${BUDGET.analyseMs} ms`, browserAnalyse ? verdict(browserAnalyse.median <= BUDGET.analyseMs) : "n/a"],
  [`parse+analyse ${SNAPSHOTS} snapshots, native (median of ${native.runs})`, ms(native.median_ms), "", "", "", ""],
  [`parse+analyse a ${normalSnapshots}-snapshot paste, browser (median of 21)`, browserAnalyse ? ms(browserAnalyse.normal.median) : "no hook", "", "", `<= ${BUDGET.frameMs} ms`, browserAnalyse ? verdict(browserAnalyse.normal.median <= BUDGET.frameMs) : "n/a"],
  [`paste ${SNAPSHOTS} snapshots (${(paste.length / 1e6).toFixed(1)} MB) via DOM: input handler`, ms(domPaste.app.handlerMs), ms(domPaste.base.handlerMs), "", "", ""],
  [`paste ${SNAPSHOTS} snapshots via DOM: frozen until next frame`, ms(domPaste.app.frozenMs), ms(domPaste.base.frozenMs), (domPaste.app.frozenMs / domPaste.base.frozenMs).toFixed(2) + "x", "", ""],
  [`typing into a ${normalSnapshots}-snapshot paste: longest frame gap`, ms(typing.app.worstMs), ms(typing.base.worstMs), "", `<= ${BUDGET.typingMs} ms`, verdict(typing.app.worstMs <= BUDGET.typingMs)],
  ["  ... when the results update after the keys", ms(typing.app.updateMs), ms(typing.base.updateMs), "", "", ""],
  [`10 MB paste event (page keeps ${huge.app.kept} chars): handler`, ms(huge.app.handlerMs), ms(huge.base.handlerMs), "", "", ""],
  ["10 MB paste: frozen until next frame", ms(huge.app.frozenMs), ms(huge.base.frozenMs), (huge.app.frozenMs / huge.base.frozenMs).toFixed(2) + "x", "", ""],
  ["10 MB paste: tab alive and responding", huge.app.alive && huge.app.responds ? "yes" : "NO", huge.base.alive && huge.base.responds ? "yes" : "NO", "", "yes", verdict(huge.app.alive && huge.app.responds)],
];
// A Markdown table with its columns padded to their widest cell.
function markdown(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => "| " + r.map((c, i) => String(c).padEnd(widths[i])).join(" | ") + " |";
  return [line(head), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.map(line)].join("\n");
}
const table = markdown(["measure", "converge", "yew baseline", "ratio", "budget", ""], rows);
// The engine alone beside the page and the baseline.
const rEngine = median(renders.engine);
const x = (a, b) => (a / b).toFixed(2) + "x";
const floorRows = [
  ["transfer wasm+js+css", kb(size.engine.total), kb(size.app.total), kb(size.base.total), x(size.engine.total, size.base.total), x(size.app.total, size.base.total)],
  ["wasm instantiated (median)", ms(median(renders.engineWasm)), ms(median(renders.appWasm)), ms(median(renders.baseWasm)), x(median(renders.engineWasm), median(renders.baseWasm)), x(median(renders.appWasm), median(renders.baseWasm))],
  [`first full render (median of ${LOADS})`, ms(rEngine), ms(rApp), ms(rBase), x(rEngine, rBase), x(rApp, rBase)],
];
const floorTable = markdown(["the engine alone, beside", "engine alone", "converge", "yew baseline", "engine / baseline", "converge / baseline"], floorRows);
const pastes = `paste: ${native.bytes} bytes, ${native.snapshots_in} snapshots in, parsed natively: ${native.snapshots_parsed}${browserAnalyse ? `, in the browser: ${browserAnalyse.snapshots}` : ""}; normal paste ${normalPaste.length} bytes; huge paste ${hugePaste.length} bytes`;
console.log(table);
console.log(`\n${floorTable}`);
console.log(`\n${pastes}`);
const resultsPath = process.env.BENCH_RESULTS || join(ROOT, "bench", "RESULTS.md");
if (resultsPath !== "-") {
  let commit = "unknown";
  try { commit = execFileSync("git", ["describe", "--always", "--dirty"], { cwd: ROOT, encoding: "utf8" }).trim(); } catch {}
  const machine = `${cpus().length} cores, load average ${loadBefore.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end`;
  writeFileSync(resultsPath, `# Benchmark results

Written by \`make bench\` (bench/run.mjs); do not edit by hand. Commit ${commit}, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC,
${machine} (a shared machine: expect ±25 % between runs; ratios are taken within one run).

Both apps are built with the same release profile and \`wasm-opt -Oz\` (the page with its
\`bench\` timing hooks, a few hundred bytes); every load is a cold load in a fresh headless
Chromium context; medians of ${LOADS} loads and of 21 analysis runs.

${table}

The engine alone (bench/engine-page): the page's engine on the minimal app, showing the
plain-text report of the seed the page opens with (everything the page computes and says,
as \`converge FILE\` prints it) with no page around it: no form, options table, charts,
styles or links. Built and loaded the same way, in the same run.

${floorTable}

${pastes}
`);
  say(`wrote ${resultsPath}`);
}
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ size, renders, native, browserAnalyse, domPaste, typing, huge }, null, 2));
