// Service worker: after the first visit the page works with the network cut.
// Trunk hashes file names, so the list of files to keep is written into this
// file at build time by scripts/post_build.mjs (the line below is replaced).
// All URLs are relative to this file, so any --public-url (sub-path) works.
const BUILD = { version: "unbuilt", files: [] };

const PREFIX = "converge-";
const CACHE = PREFIX + BUILD.version;
const SCOPE = new URL("./", self.location).href;

self.addEventListener("install", (event) => {
  // cache: "reload" skips the HTTP cache so the precache holds fresh bytes.
  const requests = ["./", ...BUILD.files].map((f) => new Request(new URL(f, SCOPE), { cache: "reload" }));
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(requests)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // Drop caches of older builds; hashed files of a new build replace them.
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || !req.url.startsWith(SCOPE)) return; // not ours: browser default
  if (req.mode === "navigate") {
    // The page itself: newest from the network, the cached copy when offline.
    event.respondWith(
      fetch(req).then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(new URL("./", SCOPE).href, copy));
        }
        return res;
      }).catch(() => caches.open(CACHE).then((c) => c.match(req, { ignoreSearch: true }).then((hit) => hit || c.match(SCOPE))))
    );
    return;
  }
  // Hashed assets never change under one name: cache first, network as fallback.
  event.respondWith(caches.open(CACHE).then((c) => c.match(req, { ignoreSearch: true }).then((hit) => hit || fetch(req))));
});
