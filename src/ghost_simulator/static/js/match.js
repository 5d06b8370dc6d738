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
  const help = form.querySelector(".keypad-help");
  if (help) help.hidden = false;

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

  // "In the order I shot them": this phone remembers the archer's choice
  // (a form reset, as the phone's own sheet does after an end, keeps it too).
  const inOrder = form.querySelector("input[data-remember=in-order]");
  const remembered = () => {
    try {
      return localStorage.getItem("ghost-sim:in-order") === "1";
    } catch {
      return false; // no storage (a private window): the box starts unticked
    }
  };
  if (inOrder) {
    inOrder.checked = remembered();
    inOrder.addEventListener("change", () => {
      try {
        localStorage.setItem("ghost-sim:in-order", inOrder.checked ? "1" : "0");
      } catch {
        // Not remembered; this end still goes as ticked.
      }
    });
  }

  total.addEventListener("input", render);
  form.addEventListener("offline:reset", () => {
    if (inOrder) inOrder.checked = remembered();
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

/** What is typed so far in the entry form (the end it is for, its arrows,
 * or its total), or null. */
function typedSoFar() {
  const form = sheet.querySelector("form#entry[data-enhance=keypad]");
  const end = form?.querySelector("input[name=end]");
  if (!end) return null;
  const labels = [...form.querySelectorAll(".slots select")].map((s) => s.value).filter(Boolean);
  const total = form.querySelector("input[name=total]")?.value ?? "";
  return labels.length || total ? { end: end.value, labels, total } : null;
}

/** Type it again into the new form, when that is for the same end: arrows
 * tapped while the server's answer to the last end was on its way are kept. */
function typeAgain(typed) {
  const form = sheet.querySelector("form#entry[data-enhance=keypad]");
  if (!typed || form?.querySelector("input[name=end]")?.value !== typed.end) return null;
  for (const label of typed.labels) {
    form.querySelector(`.keypad [data-value="${CSS.escape(label)}"]`)?.click();
  }
  const total = form.querySelector("input[name=total]");
  if (typed.total && total) {
    total.value = typed.total;
    total.dispatchEvent(new Event("input"));
  }
  return form;
}

/** Put a sheet the server drew in the page (``drawn``: then what else is to
 * be drawn on it), and move on to what is next. */
function swap(html, drawn = null) {
  const typed = typedSoFar();
  sheet.innerHTML = html;
  dirty = false;
  enhance(sheet);
  if (drawn) drawn();
  const retyped = typeAgain(typed);
  const send = retyped?.querySelector("[data-submit]:not(:disabled)");
  const next =
    send ||
    sheet.querySelector("[role=alert]") ||
    sheet.querySelector(".keypad .key") ||
    sheet.querySelector("#entry select, #entry input[type=radio]") ||
    sheet.querySelector("[data-testid=status]");
  // With the shooting clock on, its panel covers the foot of the screen:
  // the scoreboard goes to the top, the next end's keys under it, clear of it.
  const clockOn = document.documentElement.classList.contains("clock-on");
  const top = clockOn && sheet.querySelector("#entry") && sheet.querySelector(".score-cards");
  if (top) top.scrollIntoView({ block: "start" });
  if (next) {
    if (!next.matches("button, select, input")) next.setAttribute("tabindex", "-1");
    next.focus({ preventScroll: Boolean(top) });
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

/** The match's version as this page has it (the entry form's, or the
 * offline plan's), or null for a page with nothing to enter. */
function pageVersion() {
  const field = sheet.querySelector("input[name=version]");
  if (field) return field.value;
  const plan = document.getElementById("ghost-plan");
  return plan ? String(JSON.parse(plan.textContent).version) : null;
}

/** A page shown again from the browser's memory or cache (Back, Forward) may
 * be older than the match: it asks the server first, and a page behind it is
 * loaded again before it takes a tap. Offline, the page is what the phone has. */
async function freshen() {
  const version = pageVersion();
  if (version === null || !sheet.dataset.stateUrl) return;
  sheet.inert = true;
  try {
    const response = await fetch(sheet.dataset.stateUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
    const pending = offline && offline.entries.length;
    if (response.ok && !pending && String((await response.json()).version) !== version) {
      dirty = false;
      window.location.reload();
      return;
    }
  } catch {
    // No network: the sheet as the phone keeps it.
  }
  sheet.inert = false;
}

window.addEventListener("pageshow", (event) => {
  const [navigation] = performance.getEntriesByType("navigation");
  if (sheet && (event.persisted || navigation?.type === "back_forward")) freshen();
});

if (sheet) enhance(sheet);
if (offline) offline.start();
