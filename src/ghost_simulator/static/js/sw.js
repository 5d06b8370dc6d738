// The service worker: served as /sw.js by web/offline.py, which puts
// self.GHOST_SW = {release, static, offline, pages, staticPrefix} above it.
//
// - Static files carry a content hash (?v=...): cache first, kept until a
//   release changes them (a new worker then starts a new cache). Modules
//   import each other by plain address: those network first, kept too.
// - Pages the archer opens (KEPT_PAGES): network first; offline, the copy kept
//   from the last visit, else the offline page (in the archer's language).
// - Nothing else is kept: no POST, no JSON, no account page. Every page says
//   whose it is (X-Offline-Scope): when that changes (signed out, another
//   archer) the pages kept for the previous one are deleted first.

const CONFIG = self.GHOST_SW;
// One static cache per release (its files' hashes): older ones are deleted.
const STATIC = `ghost-static-${CONFIG.release}`;
const PAGES = "ghost-pages";
const OFFLINE = "ghost-offline"; // the offline page, and whose pages are kept
const SCOPE_KEY = "/__ghost-scope";
const SCOPE_HEADER = "X-Offline-Scope";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC);
      await cache.addAll(CONFIG.static);
      await (await caches.open(OFFLINE)).add(CONFIG.offline);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("ghost-static-") && name !== STATIC) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

function kept(url) {
  return CONFIG.pages.some((prefix) =>
    prefix.endsWith("/") && prefix !== "/" ? url.pathname.startsWith(prefix) : url.pathname === prefix,
  );
}

async function forgetPages() {
  await caches.delete(PAGES);
}

/** Keep a page, after forgetting everyone else's. */
async function keepPage(request, response) {
  const scope = response.headers.get(SCOPE_HEADER);
  const cacheControl = response.headers.get("Cache-Control") || "";
  if (!scope || /no-store/.test(cacheControl)) return;
  const offline = await caches.open(OFFLINE);
  const known = await offline.match(SCOPE_KEY);
  if (!known || (await known.text()) !== scope) {
    await forgetPages();
    await offline.put(SCOPE_KEY, new Response(scope));
  }
  await (await caches.open(PAGES)).put(request, response);
}

async function page(event) {
  const { request } = event;
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (response.ok && kept(url) && !response.redirected) {
      const type = response.headers.get("Content-Type") || "";
      if (type.startsWith("text/html")) event.waitUntil(keepPage(request, response.clone()));
    }
    return response;
  } catch (error) {
    const cached = kept(url) && (await caches.match(request, { cacheName: PAGES, ignoreVary: true }));
    if (cached) return cached;
    const fallback = await caches.match(CONFIG.offline, { cacheName: OFFLINE });
    if (fallback) return fallback;
    throw error;
  }
}

async function staticFile(request) {
  const cache = await caches.open(STATIC);
  if (new URL(request.url).searchParams.has("v")) {
    // A content-hashed address never changes: the copy kept is the file.
    const hit = await cache.match(request);
    if (hit) return hit;
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  }
  // A plain address (what one module imports from another): network first.
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(request);
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return; // POSTs go to the server, or fail
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event));
  }
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "forget-pages") {
    event.waitUntil(
      (async () => {
        await forgetPages();
        await (await caches.open(OFFLINE)).delete(SCOPE_KEY);
      })(),
    );
  } else if (message.type === "keep-pages") {
    // Pages a day without a network will need (a competition day's matches):
    // fetched and kept now, as if opened, each only if it may be kept.
    const urls = Array.isArray(message.urls) ? message.urls.slice(0, 20) : [];
    event.waitUntil(
      Promise.all(
        urls.map(async (address) => {
          const url = new URL(address, self.location.origin);
          if (url.origin !== self.location.origin || !kept(url)) return;
          const request = new Request(url.href, { credentials: "same-origin" });
          try {
            const response = await fetch(request);
            const type = response.headers.get("Content-Type") || "";
            if (response.ok && !response.redirected && type.startsWith("text/html")) {
              await keepPage(request, response);
            }
          } catch (error) {
            // Offline now: the page is kept the next time.
          }
        }),
      ),
    );
  } else if (message.type === "language") {
    // The offline page in the language the archer reads now.
    event.waitUntil(
      (async () => {
        const offline = await caches.open(OFFLINE);
        const kept = await offline.match(CONFIG.offline);
        if (kept && kept.headers.get("Content-Language") === message.lang) return;
        await offline.add(CONFIG.offline);
      })(),
    );
  }
});
