// A ghost night's leaderboard, live: the page listens to the night's stream
// (server-sent events: "the night moved", from whichever instance the end was
// entered on) and fetches its leaderboard again each time, in place. Where
// the stream cannot be had (no EventSource, or the server has as many live
// watchers as it takes), it asks every POLL_MS instead. Without the script,
// the page's Reload button does the same by hand.

const POLL_MS = 2000;
const board = document.querySelector("[data-live]");

if (board && board.dataset.liveUrl && board.dataset.partialUrl) {
  const shownVersion = () =>
    Number(board.querySelector("[data-leaderboard]")?.dataset.version) || 0;
  let version = shownVersion();
  let busy = false;
  let again = false;

  const refresh = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const response = await fetch(board.dataset.partialUrl, {
        headers: { "X-Requested-With": "fetch" },
        cache: "no-store",
        credentials: "same-origin",
      });
      if (response.ok) {
        board.innerHTML = await response.text();
        version = Math.max(version, shownVersion());
        board.dataset.version = String(version);
        board.dataset.updated = String(Date.now());
      }
    } catch {
      // Offline for a moment: the next change (or poll) tries again.
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  };

  const poll = () => {
    board.dataset.live = "polling";
    window.setInterval(refresh, POLL_MS);
  };

  if ("EventSource" in window) {
    const source = new EventSource(board.dataset.liveUrl);
    board.dataset.live = "connecting";
    source.addEventListener("open", () => {
      board.dataset.live = "on";
    });
    source.addEventListener("night", (message) => {
      const moved = Number(message.data);
      if (moved > version) {
        version = moved;
        refresh();
      }
    });
    source.addEventListener("error", () => {
      // A stream that ends is opened again by the browser; one refused
      // (the server is full, or the night is gone) is closed: poll instead.
      if (source.readyState === EventSource.CLOSED) poll();
    });
  } else {
    poll();
  }
}
