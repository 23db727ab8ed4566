// Registers the service worker that keeps the page usable offline.
// Relative URL: the worker's scope is the directory the page is served from,
// whatever --public-url the build used. Failure only means no offline copy.
if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("./sw.js").catch(() => {});
  });
}
