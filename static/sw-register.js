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
  const register = () => navigator.serviceWorker.register(url).catch(() => {});
  // Not while the page starts: installing fetches every file again (sw.js), which
  // held the first render back by ~35 ms (bench/run.mjs, 25 loads). After the first
  // paint, when the main thread is idle (the rest of the page renders right after
  // the paint); 3 s after load where paint timing is missing.
  const idle = (f) => (window.requestIdleCallback ? window.requestIdleCallback(f, { timeout: 2000 }) : setTimeout(f, 500));
  let asked = false;
  const soon = () => {
    if (!asked) {
      asked = true;
      idle(register);
    }
  };
  try {
    new PerformanceObserver((l) => {
      if (l.getEntriesByName("first-contentful-paint").length) soon();
    }).observe({ type: "paint", buffered: true });
  } catch {}
  window.addEventListener("load", () => setTimeout(soon, 3000));
}
