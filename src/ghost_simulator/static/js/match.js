// The score sheet, enhanced: a keypad for arrow values, ends sent without a
// page reload, and a warning before leaving with an end half entered. The page
// works without this script: these are plain forms.

import { OfflineMatch } from "./offline-match.js";

const sheet = document.querySelector("[data-sheet]");
let dirty = false;
// A stored match: its entries go through the phone's outbox (sent at once,
// or kept while offline and sent when the network is back).
const offline = sheet && sheet.dataset.matchId && "indexedDB" in window ? new OfflineMatch(sheet, swap) : null;

const KEYS = { x: "X", m: "M", 0: "10" };

function keypad(form) {
  const selects = [...form.querySelectorAll(".slots select")];
  const pad = form.querySelector(".keypad");
  const chosen = pad.querySelector(".chosen");
  const submit = form.querySelector("[data-submit]");
  const total = form.querySelector("input[name=total]");
  const allowed = new Set([...pad.querySelectorAll("[data-value]")].map((b) => b.dataset.value));
  const values = [];

  form.querySelector(".slots").hidden = true;
  pad.hidden = false;

  const render = () => {
    selects.forEach((select, i) => {
      select.value = values[i] ?? "";
    });
    chosen.textContent = values.length ? values.join("  ") : chosen.dataset.empty;
    const complete = values.length === selects.length;
    submit.disabled = !(complete || (values.length === 0 && total.value !== ""));
    dirty = values.length > 0 || total.value !== "";
  };

  const add = (value) => {
    if (values.length < selects.length && allowed.has(value)) values.push(value);
    render();
    if (values.length === selects.length) submit.focus();
  };

  pad.addEventListener("click", (event) => {
    const key = event.target.closest("button");
    if (!key) return;
    if (key.hasAttribute("data-undo")) {
      values.pop();
      render();
    } else {
      add(key.dataset.value);
    }
  });

  form.addEventListener("keydown", (event) => {
    if (event.target === total || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "backspace") {
      values.pop();
      render();
      event.preventDefault();
    } else if (key in KEYS || /^[1-9]$/.test(key)) {
      add(KEYS[key] ?? key.toUpperCase());
      event.preventDefault();
    }
  });

  total.addEventListener("input", render);
  form.addEventListener("offline:reset", () => {
    values.length = 0;
    render();
  });
  render();
}

async function send(event) {
  event.preventDefault();
  const form = event.currentTarget;
  if (offline && form.id === "entry") {
    try {
      if (await offline.enter(form)) {
        dirty = false;
        return;
      }
    } catch {
      // No IndexedDB after all (a private window may refuse it): the plain way.
    }
  }
  const button = form.querySelector("[type=submit]");
  if (button) button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    if (response.redirected) {
      // An old link's first end: the match is stored now, at its own address.
      dirty = false;
      window.location.assign(response.url);
      return;
    }
    // 400: the entry was refused; 409: the match changed in another window.
    // Both come with the sheet as it stands and the reason in it.
    if (!response.ok && response.status !== 400 && response.status !== 409) {
      throw new Error(String(response.status));
    }
    swap(await response.text());
    if (offline) offline.keepPage(sheet.innerHTML);
  } catch {
    dirty = false;
    form.submit(); // the server answers a plain form too
  }
}

/** Put a sheet the server drew in the page, and move on to what is next. */
function swap(html) {
  sheet.innerHTML = html;
  dirty = false;
  enhance(sheet);
  const next =
    sheet.querySelector("[role=alert]") ||
    sheet.querySelector(".keypad .key") ||
    sheet.querySelector("#entry select, #entry input[type=radio]") ||
    sheet.querySelector("[data-testid=status]");
  if (next) {
    if (!next.matches("button, select, input")) next.setAttribute("tabindex", "-1");
    next.focus();
  }
}

function enhance(root) {
  for (const form of root.querySelectorAll("form[data-enhance]")) {
    if (form.dataset.enhance === "keypad") keypad(form);
    form.addEventListener("submit", send);
  }
}

window.addEventListener("beforeunload", (event) => {
  if (dirty) {
    event.preventDefault();
    event.returnValue = "";
  }
});

if (sheet) enhance(sheet);
if (offline) offline.start();
