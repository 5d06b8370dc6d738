// A match played on the phone: every entry the page's script makes goes into
// an outbox in IndexedDB first (per match, in order, each with a random
// idempotency key drawn when it was entered), then to the server. With no
// network the page scores the match itself (offline-score.js, from the
// ghost's plan the page holds) and reveals the ghost's ends as usual; when the
// network is back the outbox is sent in order, each entry exactly once, and
// the server's sheet replaces the phone's. Nothing typed is dropped silently:
// an entry the server refuses (the match changed elsewhere) stays on the
// phone, shown beside the server's sheet, until the archer discards it.

import * as score from "./offline-score.js";

const DB_NAME = "ghost-simulator";
const STORE = "outbox";
const PAGES = "ghost-pages";
const RETRY_MS = 15000;

// -- IndexedDB -------------------------------------------------------------------

let dbPromise = null;

function db() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: "key" });
        store.createIndex("match", ["match", "seq"]);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return dbPromise;
}

async function transact(mode, work) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const tx = database.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** The match's unsent entries, oldest first. */
export async function outbox(matchId) {
  const range = IDBKeyRange.bound([matchId, 0], [matchId, Number.MAX_SAFE_INTEGER]);
  return (await transact("readonly", (store) => store.index("match").getAll(range))) || [];
}

/** Every unsent entry on this phone, any match. */
export async function allUnsent() {
  return (await transact("readonly", (store) => store.getAll())) || [];
}

async function put(entry) {
  await transact("readwrite", (store) => store.put(entry));
}

async function remove(keys) {
  await transact("readwrite", (store) => {
    for (const key of keys) store.delete(key);
  });
}

/** A random idempotency key (also on plain HTTP, where randomUUID is missing). */
function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// -- the page --------------------------------------------------------------------

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

export class OfflineMatch {
  /**
   * @param sheet the #sheet element (its content is swapped by match.js)
   * @param swap (html) => void: match.js puts a server sheet in and enhances it
   */
  constructor(sheet, swap) {
    this.sheet = sheet;
    this.swap = swap;
    this.matchId = sheet.dataset.matchId;
    this.stateUrl = sheet.dataset.stateUrl;
    this.parts = document.getElementById("offline-parts").content;
    this.statusBox = document.getElementById("offline-status");
    this.syncing = false;
    this.followUp = false;
    this.sending = false;
    this.conflict = null;
    this.entries = [];
    this.retry = null;
    window.addEventListener("online", () => this.sync());
  }

  part(name) {
    return this.parts.querySelector(`[data-part="${name}"]`);
  }

  /** A text of the page's, filled in; where its count is 1, its singular
   * ("name-one") when the page has one. */
  text(name, values = {}) {
    const count = values.count ?? values.size;
    const one = Number(count) === 1 && this.parts.querySelector(`[data-part="${name}-one"]`);
    return fill((one || this.part(name)).textContent.trim(), values);
  }

  /** The plan in the sheet as the server drew it (null: nothing to play). */
  plan() {
    const block = this.sheet.querySelector("#ghost-plan");
    return block ? JSON.parse(block.textContent) : null;
  }

  async start() {
    this.entries = await outbox(this.matchId);
    if (this.entries.length) {
      this.render();
      this.status("queued", { count: this.entries.length });
      await this.sync();
    }
  }

  // -- entering --------------------------------------------------------------

  /** The entry a form holds, as an outbox entry (or an error message). */
  read(form, plan, local) {
    if (form.classList.contains("shoot-off")) {
      const closer = form.querySelector("input[name=closer]:checked");
      const arrow = form.querySelector("select[name=arrow]");
      if (arrow) {
        const made = score.addShootOff(plan, local.ends, local.shootOffs, arrow.value, null);
        if (made.error) return { error: this.text(made.error === "needs_network" ? "needs-network" : "shoot-off-error") };
        return { entry: { kind: "shoot_off", label: made.shootOffs.at(-1).label, closer: null } };
      }
      const made = score.addShootOff(plan, local.ends, local.shootOffs, null, closer ? closer.value : null);
      if (made.error || !closer) return { error: this.text("closer-error") };
      return { entry: { kind: "closer", closer: closer.value } };
    }
    const labels = [...form.querySelectorAll("select[name=arrow]")].map((s) => s.value).filter(Boolean);
    const totalText = (form.querySelector("input[name=total]")?.value || "").trim();
    const useTotal = totalText !== "" && labels.length === 0;
    const total = useTotal ? Number(totalText) : null;
    const made = score.makeEnd(plan, local.ends, local.shootOffs, useTotal ? null : labels, total);
    if (made.error) {
      const name = { arrow_count: "count-error", bad_label: "count-error", bad_total: "total-error" }[made.error];
      return { error: this.text(name || "needs-network", made) };
    }
    const entry = { kind: "end", number: local.ends.length + 1, ...made.end };
    // In the order shot: the arrows as typed are sent as they are.
    if (made.end.labels && form.querySelector("input[name=in_order]")?.checked) entry.shot = labels;
    return { entry };
  }

  /**
   * An entry the archer made: kept on the phone, shown, then sent. Returns
   * false when this page cannot take it offline (no plan: let the form go).
   */
  async enter(form) {
    const plan = this.plan();
    if (!plan || !this.matchId) return false;
    const local = this.local(plan);
    // The same end sent twice in one instant (a double tap, two submits in
    // the same tick): the form says which end it is for, and an end the phone
    // has already is kept once, whatever the timing.
    const field = form.querySelector("input[name=end]");
    if (field && !form.classList.contains("shoot-off") && Number(field.value) !== local.ends.length + 1) {
      return true;
    }
    const { entry, error } = this.read(form, plan, local);
    if (error) {
      this.showError(error);
      return true;
    }
    const last = this.entries.at(-1);
    entry.key = newKey();
    entry.match = this.matchId;
    entry.seq = last ? last.seq + 1 : Date.now();
    entry.enteredAt = new Date().toISOString();
    this.entries.push(entry); // at once: a second submit now sees it
    try {
      await put(entry);
    } catch (failure) {
      this.entries = this.entries.filter((e) => e !== entry);
      throw failure;
    }
    if (navigator.onLine && this.syncing && !this.conflict) {
      this.render({ sending: true });
      this.sync(); // already sending: it goes on to this entry
      return true;
    } else if (navigator.onLine && !this.conflict) {
      // Online, one entry in the outbox: the page's own version and token do
      // (no state to ask for first). The sheet is the server's when it answers.
      const csrf = form.querySelector("input[name=csrf_token]");
      const page = this.entries.length === 1 && csrf;
      const known = page ? { version: plan.version, csrf_token: csrf.value, keys: [] } : null;
      this.render({ sending: true }); // the tap answered now; the server's sheet follows
      await this.sync(known);
    } else if (!this.syncing && !this.conflict) {
      this.status("queued", { count: this.entries.length });
    }
    // Not sent (no network, server trouble): the phone's sheet, kept.
    if (this.entries.length && !this.conflict) this.render();
    return true;
  }

  /** The match as the phone has it: the server's entries, then the outbox's. */
  local(plan) {
    const ends = [...plan.archer_ends];
    let shootOffs = [...plan.archer_shoot_offs];
    const kept = [];
    for (const entry of this.entries) {
      if (entry.kind === "end") {
        ends.push(entry.total !== undefined ? { total: entry.total } : { labels: entry.labels });
        kept.push(ends.length - 1);
      } else {
        const made = score.addShootOff(plan, ends, shootOffs, entry.label ?? null, entry.closer);
        if (!made.error) shootOffs = made.shootOffs;
      }
    }
    return { ends, shootOffs, kept };
  }

  // -- showing ---------------------------------------------------------------

  status(name, values = {}, extra = null) {
    this.statusBox.replaceChildren();
    if (name) {
      const p = document.createElement("p");
      p.textContent = this.text(name, values);
      this.statusBox.append(p);
    }
    if (extra) this.statusBox.append(extra);
    this.statusBox.hidden = !name && !extra;
  }

  showError(message) {
    let alert = this.sheet.querySelector("[data-offline-error]");
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "error";
      alert.setAttribute("role", "alert");
      alert.dataset.offlineError = "";
      alert.dataset.testid = "error";
      this.sheet.querySelector(".scoreboard").after(alert);
    }
    alert.textContent = message;
  }

  /** Draw the phone's entries onto the server's sheet. ``sending``: online,
   * the server's answer on its way (drawn at once, so a tap is answered at
   * once; the server's sheet replaces it when it comes). */
  render({ sending = false } = {}) {
    this.sending = sending;
    try {
      this.draw();
    } finally {
      this.sending = false;
    }
  }

  draw() {
    const plan = this.plan();
    if (!plan) return;
    const local = this.local(plan);
    const verdict = score.verdict(plan, local.ends, local.shootOffs);
    const sheet = this.sheet;
    sheet.querySelector("[data-offline-error]")?.remove();
    sheet.querySelector("[data-testid=error]")?.remove();
    sheet.querySelector("[data-testid=archer-score]").textContent = String(verdict.archer ?? 0);
    sheet.querySelector("[data-testid=ghost-score]").textContent = String(verdict.ghost ?? 0);
    const leader =
      verdict.archer === verdict.ghost ? "level" : (verdict.archer ?? 0) > (verdict.ghost ?? 0) ? "ahead" : "behind";
    const statusName = score.finished(verdict.status) || verdict.status === "shoot_off" ? verdict.status : leader;
    const status = sheet.querySelector("[data-testid=status]");
    status.replaceChildren();
    const strong = document.createElement("strong");
    strong.textContent = this.text(`status-${statusName}`);
    status.append(strong);
    if (!this.sending) status.append(" ", this.text("odds-later"));
    for (const stale of sheet.querySelectorAll("figure.target, details.correct, .score-card .small")) {
      stale.hidden = true;
    }
    this.renderRows(plan, local);
    this.renderShootOffs(plan, local);
    this.renderEntry(plan, local, verdict);
  }

  renderRows(plan, local) {
    let table = this.sheet.querySelector("[data-testid=score-sheet]");
    if (!table) {
      const wrap = this.part("table").cloneNode(true);
      delete wrap.dataset.part;
      const before = this.sheet.querySelector("figure.target, details.correct, p.share");
      if (before) before.before(wrap);
      else this.sheet.append(wrap);
      table = wrap.querySelector("table");
    }
    const body = table.tBodies[0];
    for (const row of body.querySelectorAll("tr[data-kept]")) row.remove();
    const isSet = plan.kind === "set";
    let archerRunning = 0;
    let ghostRunning = 0;
    let points = [0, 0];
    local.ends.forEach((end, i) => {
      const face = score.faceOf(plan, i);
      const archerTotal = score.endTotal(end, face);
      const ghostTotal = plan.end_totals[i];
      archerRunning += archerTotal;
      ghostRunning += ghostTotal;
      points = score.setPoints(archerTotal, ghostTotal);
      if (!local.kept.includes(i)) return;
      const tr = document.createElement("tr");
      tr.dataset.kept = "";
      tr.className = this.sending ? "sending" : "kept";
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = String(i + 1);
      if (!this.sending) {
        const mark = this.part("kept-mark").cloneNode(true);
        delete mark.dataset.part;
        th.append(" ", mark);
      }
      tr.append(th, this.arrows(end.labels, archerTotal), this.num(archerRunning));
      tr.append(this.arrows(plan.ends[i], ghostTotal), this.num(ghostRunning));
      if (isSet) tr.append(this.num(`${points[0]}–${points[1]}`));
      body.append(tr);
    });
  }

  arrows(labels, total) {
    const td = document.createElement("td");
    td.className = "arrows";
    if (labels) {
      for (const label of labels) {
        const span = document.createElement("span");
        span.className = `arrow v-${label.toLowerCase()}`;
        span.textContent = label;
        td.append(span);
      }
    } else {
      const span = document.createElement("span");
      span.className = "muted";
      span.textContent = this.text("total-word");
      td.append(span);
    }
    const end = document.createElement("span");
    end.className = "end-total";
    end.textContent = String(total);
    td.append(end);
    return td;
  }

  num(value) {
    const td = document.createElement("td");
    td.className = "num";
    td.textContent = String(value);
    return td;
  }

  renderShootOffs(plan, local) {
    this.sheet.querySelector("ul.shoot-offs[data-kept]")?.remove();
    const known = plan.archer_shoot_offs.length;
    if (local.shootOffs.length <= known) return;
    const list = document.createElement("ul");
    list.className = "shoot-offs";
    list.dataset.kept = "";
    local.shootOffs.forEach((s, i) => {
      if (i < known) return;
      const li = document.createElement("li");
      li.textContent = this.text("shoot-off-line", {
        n: i + 1,
        you: s.label,
        ghost: plan.shoot_off[i][0],
        mm: plan.shoot_off_mm[i] ?? "?",
      });
      list.append(li);
    });
    this.sheet.querySelector(".scoreboard").after(list);
  }

  renderEntry(plan, local, verdict) {
    const form = this.sheet.querySelector("#entry");
    const size = score.expectedArrows(plan, local.ends, local.shootOffs);
    if (size > 0) {
      if (!form || form.classList.contains("shoot-off")) return this.needReload(form);
      const face = score.faceOf(plan, local.ends.length);
      const selects = form.querySelectorAll(".slots select");
      const keys = [...form.querySelectorAll(".keypad [data-value]")].map((b) => b.dataset.value);
      if (selects.length !== size || keys.join() !== face.labels.join()) return this.needReload(form);
      form.querySelector("input[name=end]").value = String(local.ends.length + 1);
      form.querySelector(".slots legend").textContent = this.text("legend", {
        number: local.ends.length + 1,
        count: size,
      });
      form.reset();
      form.dispatchEvent(new CustomEvent("offline:reset"));
      form.hidden = false;
      return undefined;
    }
    if (form && !form.classList.contains("shoot-off")) {
      form.hidden = true;
      form.removeAttribute("id"); // the phone's shoot-off form is the entry now
    }
    this.sheet.querySelector("form[data-offline-shoot-off]")?.remove();
    if (verdict.status !== "shoot_off") return undefined;
    const last = local.shootOffs.at(-1);
    const pending = last && score.shootOffResult(plan, local.shootOffs.length - 1, last) === null;
    if (!pending && local.shootOffs.length >= plan.shoot_off.length) {
      this.showError(this.text("needs-network"));
      return undefined;
    }
    if (form && form.classList.contains("shoot-off")) form.remove();
    const shootOff = this.part(pending ? "closer-form" : "shoot-off-form").cloneNode(true);
    delete shootOff.dataset.part;
    shootOff.dataset.offlineShootOff = "";
    shootOff.id = "entry";
    if (pending) {
      const index = local.shootOffs.length - 1;
      const question = shootOff.querySelector("[data-question]");
      question.textContent = fill(question.textContent, {
        value: last.label,
        mm: plan.shoot_off_mm[index] ?? "?",
      });
    } else {
      const select = shootOff.querySelector("select[data-arrow]");
      select.name = "arrow"; // named only here: the page's own forms are the only "arrow" fields
      for (const label of plan.faces[plan.shoot_off_face].labels) {
        select.append(new Option(label, label));
      }
    }
    shootOff.addEventListener("submit", async (event) => {
      event.preventDefault();
      await this.enter(shootOff);
    });
    this.sheet.querySelector(".scoreboard").after(shootOff);
    return undefined;
  }

  needReload(form) {
    // The next end is on a face or of a size the page's form does not have
    // (a ranking round's next distance): it needs the server's page (on its
    // way, when sending).
    if (form) form.hidden = true;
    if (this.sending) return;
    this.showError(this.text("needs-network"));
  }

  // -- sending ---------------------------------------------------------------

  schedule() {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.sync(), RETRY_MS);
  }

  /** Send the outbox, in order, each entry once; then show the server's sheet. */
  async sync(known = null) {
    if (this.syncing) {
      // An end typed while the last one's answer was still being kept (the
      // next keypad is already on the screen): send it once this round ends.
      this.followUp = true;
      return;
    }
    if (this.conflict || !this.entries.length) return;
    this.syncing = true;
    try {
      let state = known;
      do {
        this.followUp = false;
        if ((await this.sendAll(state)) === "again") await this.sendAll(null);
        state = null;
      } while (this.followUp && this.entries.length && !this.conflict);
    } finally {
      this.syncing = false;
    }
  }

  async sendAll(known) {
    let state = known;
    if (!state) {
      try {
        state = await this.fetchState();
      } catch {
        return this.status("queued", { count: this.entries.length }); // still offline
      }
      if (state === 404) return this.status("signed-out");
      if (state === null) {
        this.schedule();
        return this.status("server-error");
      }
    }
    // Entries the server already has (sent, but the answer was lost): done.
    const stored = new Set(state.keys);
    const done = this.entries.filter((e) => stored.has(e.key)).map((e) => e.key);
    if (done.length) {
      await remove(done);
      this.entries = this.entries.filter((e) => !stored.has(e.key));
    }
    let version = state.version;
    let html = null;
    if (!known) this.status("sending");
    while (this.entries.length) {
      const entry = this.entries[0];
      let response;
      try {
        response = await this.post(entry, version, state.csrf_token);
      } catch {
        return this.status("queued", { count: this.entries.length });
      }
      const body = await response.text();
      const isSheet = body.includes('class="scoreboard"');
      if (response.ok && isSheet) {
        await remove([entry.key]);
        this.entries.shift();
        html = body;
        // The server's sheet at once, so that the page's plan and the outbox
        // agree on which end is next; ends typed since drawn on it.
        this.swap(html, () => {
          if (this.entries.length && !this.conflict) this.render({ sending: true });
        });
        // The version the next entry is made on: the sheet just put in.
        const field = this.sheet.querySelector("input[name=version]");
        const nextPlan = this.plan();
        version = field ? field.value : nextPlan ? nextPlan.version : version;
        continue;
      }
      if ((response.status === 409 || response.status === 400) && isSheet) {
        if (known) {
          // Typed just now, on a page the server has moved past (another tab),
          // or refused: the server's sheet says why, and what was not saved.
          await remove([entry.key]);
          this.entries.shift();
          this.swap(body);
          return this.status("not-sent", { phone: this.describe(entry) });
        }
        return this.showConflict(body);
      }
      if (response.status === 404) return this.status("signed-out");
      if (known && response.status === 400) return "again"; // the page's token expired
      this.schedule(); // 5xx, a rate limit: try again later
      return this.status("server-error");
    }
    if (html !== null) await this.keepPage(html);
    return this.status(known ? null : "sent");
  }

  /** The match as the server has it now: its version, the keys it stored and
   * a fresh CSRF token; 404 (not this browser's now), or null (server trouble). */
  async fetchState() {
    const response = await fetch(this.stateUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
    if (response.status === 404) return 404;
    if (!response.ok) return null;
    return response.json();
  }

  post(entry, version, csrf) {
    const data = new FormData();
    data.append("csrf_token", csrf);
    data.append("version", String(version));
    data.append("idempotency_key", entry.key);
    // When it was entered on this phone: a ghost night counts an end sent
    // after its close if it was shot in time.
    if (entry.enteredAt) data.append("shot_at", entry.enteredAt);
    let url = `${this.sheet.dataset.matchUrl}/ends`;
    if (entry.kind === "end") {
      data.append("end", String(entry.number));
      if (entry.shot) data.append("in_order", "1");
      if (entry.labels) for (const label of entry.shot || entry.labels) data.append("arrow", label);
      else data.append("total", String(entry.total));
    } else {
      url = `${this.sheet.dataset.matchUrl}/shoot-off`;
      if (entry.kind === "shoot_off") data.append("arrow", entry.label);
      if (entry.closer) data.append("closer", entry.closer);
    }
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      keepalive: true, // an end on its way is not dropped when the archer leaves the page
    });
  }

  /** An entry as the archer typed it: "End 3: X 10 9". */
  describe(entry) {
    if (entry.kind === "end") {
      const arrows = entry.labels ? entry.labels.join(" ") : `${this.text("total-word")} ${entry.total}`;
      return `${this.text("end-word")} ${entry.number}: ${arrows}`;
    }
    return `${this.text("shoot-off-word")}: ${entry.label ?? entry.closer}`;
  }

  /** The server's sheet, and beside it what the phone kept and did not send. */
  showConflict(serverHtml) {
    this.conflict = serverHtml;
    const kept = this.entries.map((e) => this.describe(e));
    this.swap(serverHtml);
    const panel = this.part("conflict").cloneNode(true);
    delete panel.dataset.part;
    const server = this.plan();
    const serverEnds = server ? server.archer_ends.length : this.sheet.querySelectorAll("[data-testid=score-sheet] tbody tr").length;
    for (const slot of panel.querySelectorAll("[data-fill]")) {
      slot.textContent = fill(slot.textContent, {
        server: this.text("server-ends", { count: serverEnds }),
        phone: kept.join("; "),
      });
    }
    panel.querySelector("[data-discard]").addEventListener("click", async () => {
      await remove(this.entries.map((e) => e.key));
      this.entries = [];
      this.conflict = null;
      this.status("discarded");
    });
    this.status(null, {}, panel);
  }

  /** Keep the page with the server's sheet in it for the next offline visit. */
  async keepPage(sheetHtml) {
    if (!("caches" in window)) return;
    try {
      const cache = await caches.open(PAGES);
      const old = await cache.match(window.location.href, { ignoreSearch: false, ignoreVary: true });
      if (!old) return;
      const page = new DOMParser().parseFromString(await old.text(), "text/html");
      const target = page.querySelector("[data-sheet]");
      if (!target) return;
      target.innerHTML = sheetHtml;
      const html = `<!doctype html>\n${page.documentElement.outerHTML}`;
      await cache.put(window.location.href, new Response(html, { headers: old.headers }));
    } catch {
      // The kept copy stays as it was: the next online visit replaces it.
    }
  }
}
