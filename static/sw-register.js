// Registers the service worker that keeps the page usable offline.
// Relative URL: the worker's scope is the directory the page is served from,
// whatever --public-url the build used. Failure only means no offline copy.
// The CSP enforces Trusted Types, and register() is a script-URL sink: the
// one policy allowed ("sw", see index.html) passes exactly this URL, nothing else.
if ("serviceWorker" in navigator && window.isSecureContext) {
  const SW = "./sw.js";
  const url = window.trustedTypes
    ? window.trustedTypes.createPolicy("sw", { createScriptURL: (u) => (u === SW ? u : "about:blank") }).createScriptURL(SW)
    : SW;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register(url).catch(() => {});
  });
}
