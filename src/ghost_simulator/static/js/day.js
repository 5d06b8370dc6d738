// A competition day's page.
//
// - It names the pages a day without a network needs (the day's page and
//   the matches still to shoot): the service worker is asked to keep them
//   now, so each opens on the range even if it was never opened online.
// - Printing opens every round of the bracket (a closed one would print
//   closed), and closes again the ones that were closed.
// Without the script the page works as it is; nothing is kept ahead.

const holder = document.querySelector("[data-keep-pages]");
if (holder && "serviceWorker" in navigator) {
  const urls = JSON.parse(holder.dataset.keepPages || "[]");
  navigator.serviceWorker.ready.then((registration) => {
    const worker = navigator.serviceWorker.controller || registration.active;
    if (worker && urls.length) worker.postMessage({ type: "keep-pages", urls });
  });
}

let closed = [];
window.addEventListener("beforeprint", () => {
  closed = [...document.querySelectorAll(".bracket details:not([open])")];
  for (const round of closed) round.open = true;
});
window.addEventListener("afterprint", () => {
  for (const round of closed) round.open = false;
  closed = [];
});
