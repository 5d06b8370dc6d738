// Every page: register the service worker (pages then open offline), and
// forget the pages it kept when the archer signs out (the next archer on this
// phone must not read them offline).

const PAGES = "ghost-pages";
const script = document.getElementById("offline-script");

async function register() {
  if (!("serviceWorker" in navigator) || !script) return;
  try {
    const registration = await navigator.serviceWorker.register(script.dataset.worker, {
      scope: script.dataset.scope,
      type: "classic",
      updateViaCache: "none",
    });
    const worker = navigator.serviceWorker.controller || registration.active;
    if (worker) worker.postMessage({ type: "language", lang: document.documentElement.lang });
  } catch {
    // No worker (a private window, an old browser, plain HTTP): pages need the network.
  }
}

/** Delete the pages kept on this phone, from the page and through the worker. */
export async function forgetPages() {
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (worker) worker.postMessage({ type: "forget-pages" });
  if ("caches" in window) await caches.delete(PAGES);
}

if (script) {
  for (const form of document.querySelectorAll(`form[action="${script.dataset.logout}"]`)) {
    // The worker is told at once (it finishes the work after this page has
    // gone); the signed-out page's new X-Offline-Scope would clear them too.
    form.addEventListener("submit", () => {
      forgetPages();
    });
  }
  register();
}
