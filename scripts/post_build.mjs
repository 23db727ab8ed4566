// Trunk post_build hook (see Trunk.toml). Runs in the staging dir, after Trunk
// has written the final index.html and before it moves everything to dist/.
//  1. The Content-Security-Policy allows no inline script, but Trunk injects
//     one (the wasm loader; in `trunk serve` also the autoreload client):
//     put the sha256 of each inline script where index.html says
//     TRUNK_INLINE_SCRIPT_HASHES.
//  2. Trunk hashes file names, so the service worker's list of files to keep
//     offline is only known now: write it, with a build version, into sw.js.
// Usage outside Trunk: node scripts/post_build.mjs DIR
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, sep } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) fail("no directory: set TRUNK_STAGING_DIR (Trunk does) or pass one");

function fail(msg) {
  console.error(`post_build: ${msg}`);
  process.exit(1);
}

const sha256 = (data) => createHash("sha256").update(data).digest("base64");

// --- 1. CSP hashes of inline scripts -------------------------------------
const htmlPath = join(dir, "index.html");
let html = readFileSync(htmlPath, "utf8");
const hashes = [];
const code = html.replace(/<!--[\s\S]*?-->/g, ""); // a comment's "<script>" is no script
for (const m of code.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  const [, attrs, body] = m;
  if (/\bsrc\s*=/i.test(attrs) || body.length === 0) continue; // external: covered by 'self'
  hashes.push(`'sha256-${sha256(body)}'`);
}
const PLACEHOLDER = "TRUNK_INLINE_SCRIPT_HASHES";
if (html.includes(PLACEHOLDER)) {
  html = html.split(PLACEHOLDER).join([...new Set(hashes)].join(" "));
  writeFileSync(htmlPath, html);
} else if (/http-equiv=["']?Content-Security-Policy/i.test(html) && hashes.length > 0) {
  fail(`index.html has a CSP but no ${PLACEHOLDER} to put ${hashes.length} inline script hash(es) in; the page would not start`);
}

// --- 2. precache list for the service worker ------------------------------
function walk(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
const swPath = join(dir, "sw.js");
if (existsSync(swPath)) {
  const files = walk(dir)
    .map((p) => relative(dir, p).split(sep).join("/"))
    .filter((f) => f !== "sw.js")
    .sort();
  // The version changes whenever any file's bytes change, so browsers install
  // the new worker and drop the old cache.
  const h = createHash("sha256");
  for (const f of files) h.update(f).update("\0").update(readFileSync(join(dir, f))).update("\0");
  const version = h.digest("hex").slice(0, 16);
  const sw = readFileSync(swPath, "utf8");
  const line = /^const BUILD = .*;$/m;
  if (!line.test(sw)) fail("sw.js has no `const BUILD = ...;` line to fill in");
  writeFileSync(swPath, sw.replace(line, `const BUILD = ${JSON.stringify({ version, files })};`));
  console.log(`post_build: ${hashes.length} inline script hash(es) in the CSP; ${files.length} files precached (version ${version})`);
} else {
  console.log(`post_build: ${hashes.length} inline script hash(es) in the CSP; no sw.js to fill in`);
}
