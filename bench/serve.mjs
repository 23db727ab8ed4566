// A plain static file server, as a docs host or GitHub Pages would be: files
// only, correct MIME types, nothing else. `mount` is the URL prefix the files
// live under (the --public-url of the build). Every served path is logged.
import http from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize, extname } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".txt": "text/plain; charset=utf-8",
};

export function serve(dir, mount = "/") {
  const log = [];
  const server = http.createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    log.push(path);
    let rel = path.startsWith(mount) ? path.slice(mount.length) : null;
    if (rel === null || rel.includes("..")) return notFound(res);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    try {
      const body = await readFile(join(dir, normalize(rel)));
      // no-store: every benchmark load is a cold load.
      res.writeHead(200, { "Content-Type": TYPES[extname(rel)] || "application/octet-stream", "Cache-Control": "no-store" });
      res.end(body);
    } catch {
      notFound(res);
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}${mount}`, log, close: () => { server.closeAllConnections(); return new Promise((r) => server.close(r)); } }))
  );
}

function notFound(res) {
  res.writeHead(404, { "Content-Type": "text/plain" });
  res.end("not found");
}
