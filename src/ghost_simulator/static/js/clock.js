// The shooting clock on the match page: the DOM, the sound, the vibration and
// the screen's wake lock around the pure timing rules of clock-core.js.
// Optional (a switch remembered on this device, off by default); entering an
// end stops it. The ghost's arrows come from the page's #ghost-plan data block,
// each revealed only in the ghost's turn.

const root = document.querySelector("[data-clock]");
const STORE = "ghost-sim:clock";
const BEGAN = "ghost-sim:clock-began";
const SOUND = "ghost-sim:clock-sound";

function remembered(key, fallback) {
  try {
    return window.localStorage.getItem(key) ?? fallback;
  } catch {
    return fallback; // storage blocked: the page still works, unremembered
  }
}

function remember(key, value) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // storage blocked or full: nothing to keep
  }
}

/** A translated string from the template, with {n}/{value}/{time} filled in. */
function text(name, values = {}) {
  const key = "t" + name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());
  let result = root.dataset[key] ?? "";
  for (const [field, value] of Object.entries(values)) {
    result = result.replaceAll(`{${field}}`, String(value));
  }
  return result;
}

// -- the range's signals: sound and vibration ------------------------------------

let audio = null;

/** `count` blasts of a whistle-like tone (2.9 kHz with a fast warble), made in
 * WebAudio: nothing to download. The first call comes from a tap (Start), as
 * browsers require before they let a page make a sound. */
function blasts(count) {
  try {
    audio ??= new window.AudioContext();
    if (audio.state === "suspended") audio.resume();
    const begin = audio.currentTime + 0.05;
    for (let i = 0; i < count; i += 1) {
      const at = begin + i * 0.6;
      const tone = audio.createOscillator();
      const warble = audio.createOscillator();
      const depth = audio.createGain();
      const volume = audio.createGain();
      tone.type = "square";
      tone.frequency.setValueAtTime(2900, at);
      warble.frequency.setValueAtTime(28, at);
      depth.gain.setValueAtTime(140, at);
      warble.connect(depth).connect(tone.frequency);
      volume.gain.setValueAtTime(0.0001, at);
      volume.gain.exponentialRampToValueAtTime(0.35, at + 0.02);
      volume.gain.setValueAtTime(0.35, at + 0.38);
      volume.gain.exponentialRampToValueAtTime(0.0001, at + 0.42);
      tone.connect(volume).connect(audio.destination);
      for (const node of [tone, warble]) {
        node.start(at);
        node.stop(at + 0.45);
      }
    }
    root.dataset.sound = audio.state; // "running" once a tap has allowed it
  } catch {
    root.dataset.sound = "unavailable"; // the light, words and vibration remain
  }
}

let signalCount = 0;
// Sound can be turned off (a shared range has its own whistle); the vibration
// and the light remain.
let soundOn = true;

function signal(count) {
  if (soundOn) blasts(count);
  else root.dataset.sound = "off";
  if (typeof navigator.vibrate === "function") {
    const pattern = [];
    for (let i = 0; i < count; i += 1) pattern.push(350, 250);
    pattern.pop();
    let accepted = false;
    try {
      accepted = navigator.vibrate(pattern);
    } catch {
      // vibration refused: the sound and the light remain
    }
    root.dataset.vibration = accepted ? pattern.join(" ") : "refused";
  }
  signalCount += 1;
  // For tests and curious users: what the clock asked the speaker for.
  root.dataset.lastSignal = String(count);
  root.dataset.signals = String(signalCount);
}

// -- the screen kept awake while the clock runs -----------------------------------

let wakeLock = null;
let wantAwake = false;

async function keepAwake(on) {
  wantAwake = on;
  if (!on) {
    const held = wakeLock;
    wakeLock = null;
    root.dataset.wakeLock = "released";
    if (held) held.release().catch(() => {});
    return;
  }
  if (wakeLock || !("wakeLock" in navigator) || document.visibilityState !== "visible") {
    if (!("wakeLock" in navigator)) root.dataset.wakeLock = "unavailable";
    return;
  }
  try {
    const lock = await navigator.wakeLock.request("screen");
    if (!wantAwake) {
      lock.release().catch(() => {});
      return;
    }
    wakeLock = lock;
    root.dataset.wakeLock = "held";
    lock.addEventListener("release", () => {
      if (wakeLock === lock) wakeLock = null; // the page was hidden: taken back
    });
  } catch {
    root.dataset.wakeLock = "refused"; // low battery, or not allowed
  }
}

// A hidden page loses its lock: take it again when the archer comes back.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && wantAwake) keepAwake(true);
});

// -- the match as the page shows it ------------------------------------------------

/** The end to time, read from the sheet the page shows now (and its plan). */
function readMatch() {
  const sheet = document.querySelector("[data-sheet]");
  const entry = sheet?.querySelector("#entry");
  const planBlock = document.getElementById("ghost-plan");
  let plan = null;
  try {
    plan = planBlock ? JSON.parse(planBlock.textContent) : null;
  } catch {
    plan = null;
  }
  const kind = plan?.kind || root.dataset.kind;
  const score = (id) => Number(sheet?.querySelector(`[data-testid=${id}]`)?.textContent) || 0;
  const match = {
    kind,
    archer: score("archer-score"),
    ghost: score("ghost-score"),
    ghostArrows: null,
  };
  // (The offline sheet hides the entry form once the match is over.)
  if (!entry || entry.hidden) return { ...match, mode: null, reason: "over" };
  if (kind === "team" || kind === "mixed") {
    // Both teams shoot together: the team's arrows, in the end or the
    // shoot-off (the entry form says how many).
    const shootOff = entry.classList.contains("shoot-off");
    if (shootOff && entry.querySelector("input[name=closer]")) {
      return { ...match, mode: null, reason: "measure" };
    }
    const endField = entry.querySelector("input[name=end]");
    return {
      ...match,
      mode: "team",
      arrows: Number(entry.dataset.teamArrows) || 6,
      endIndex: shootOff ? null : Number(endField?.value || 1) - 1,
      shootOffs: shootOff ? sheet.querySelectorAll(".shoot-offs li").length : undefined,
    };
  }
  if (entry.classList.contains("shoot-off")) {
    const shot = sheet.querySelectorAll(".shoot-offs li").length;
    if (entry.querySelector("input[name=closer]")) {
      return { ...match, mode: null, reason: "measure", shootOffs: shot };
    }
    const arrow = plan?.shoot_off?.[shot];
    return {
      ...match,
      mode: "shoot-off",
      arrows: 1,
      endIndex: null,
      shootOffs: shot,
      ghostArrows: arrow ?? null,
    };
  }
  const endField = entry.querySelector("input[name=end]");
  const endIndex = endField ? Number(endField.value) - 1 : 0;
  return {
    ...match,
    mode: kind === "ranking" ? "end" : "alternate",
    arrows: Number(entry.dataset.arrows) || 3,
    endIndex,
    ghostArrows: plan?.ends?.[endIndex] ?? null,
  };
}

/** The clock is drawn five times a second: the page changes only when what
 * it shows does. */
function setText(element, value) {
  if (element.textContent !== value) element.textContent = value;
}

/** Where the match stands: the clock starts over when this changes. */
function position(match) {
  return [match.mode, match.endIndex, match.shootOffs, match.reason].join("/");
}

// -- the clock ---------------------------------------------------------------------

async function main() {
  const core = await import(root.dataset.core);
  const toggle = root.querySelector("[data-clock-toggle]");
  const panel = root.querySelector("[data-clock-panel]");
  const label = root.querySelector("[data-clock-label]");
  const digits = root.querySelector("[data-clock-digits]");
  const who = root.querySelector("[data-clock-who]");
  const ghostLine = root.querySelector("[data-clock-ghost-line]");
  const ghostArrows = root.querySelector("[data-clock-ghost]");
  const firstLine = root.querySelector("[data-clock-first-line]");
  const firstSelect = root.querySelector("[data-clock-first]");
  const announcer = root.querySelector("[data-clock-announce]");
  const mainButton = root.querySelector("[data-clock-main]");
  const shotButton = root.querySelector("[data-clock-shot]");
  const resetButton = root.querySelector("[data-clock-reset]");

  let match = null;
  let clock = core.createClock([]);
  let timer = null;
  let last = 0;
  let revealed = [];

  // Said politely, and only at a change (a phase, the warning, the ghost's
  // arrow): never each second. What one moment brings is said in one go.
  let saying = [];
  const say = (message) => {
    saying.push(message);
  };
  const flush = () => {
    if (saying.length) announcer.textContent = saying.join(" ");
    saying = [];
  };

  function build() {
    match = readMatch();
    revealed = [];
    // In a competition day's match the higher seed chooses (World Archery):
    // the page says when that is the ghost, which then shoots first.
    const chosen = root.dataset.began || remembered(BEGAN, "archer");
    const began = chosen === "ghost" ? "ghost" : "archer";
    firstSelect.value = began;
    firstSelect.disabled = Boolean(root.dataset.began);
    const first = core.firstShooter({ began, archer: match.archer, ghost: match.ghost });
    const periods = match.mode
      ? core.schedule({ mode: match.mode, arrows: match.arrows, first })
      : [];
    clock = core.createClock(periods);
    if (match.ghostArrows && match.mode === "alternate") {
      match.ghostArrows = core.inShootingOrder(match.ghostArrows, match.endIndex);
    }
    render();
  }

  function timeText(seconds) {
    if (seconds >= 60) return core.formatSeconds(seconds);
    return text(seconds === 1 ? "second" : "seconds", { n: seconds });
  }

  function render() {
    const view = core.view(clock);
    panel.dataset.tone = view.tone;
    panel.dataset.phase = view.phase;
    panel.dataset.running = String(view.running);
    setText(digits, core.formatSeconds(view.seconds));
    let phaseText = text("ready");
    if (!match.mode) phaseText = text(match.reason === "measure" ? "measure" : "over");
    else if (view.phase === "walk-up") phaseText = text("walk-up");
    else if (view.phase === "collect") phaseText = text("collect");
    else if (view.tone === "warn") phaseText = text("warn");
    else if (view.phase !== "idle") phaseText = text("shoot");
    if (clock.index >= 0 && clock.index < clock.periods.length && !view.running) {
      phaseText = `${text("paused")} · ${phaseText}`;
    }
    setText(label, phaseText);
    // Who shoots now; on the walk to the line, who will shoot first.
    const shooting = view.phase === "walk-up" ? clock.periods[clock.index + 1] : view;
    let whoText = "";
    if (shooting?.shooter === "both") whoText = text(match.mode === "team" ? "teams" : "both");
    else if (shooting?.shooter === "archer") whoText = text("your-turn", { n: shooting.arrow + 1 });
    else if (shooting?.shooter === "ghost") whoText = text("ghost-turn", { n: shooting.arrow + 1 });
    setText(who, whoText);
    ghostLine.hidden = !(match.mode === "alternate" || match.mode === "shoot-off");
    setText(ghostArrows, revealed.length ? revealed.join("  ") : "–");

    const inEnd = clock.index >= 0 && clock.index < clock.periods.length;
    setText(mainButton, view.running ? text("pause") : inEnd ? text("resume") : text("start"));
    mainButton.disabled = !match.mode || view.phase === "collect";
    mainButton.dataset.action = view.running ? "pause" : inEnd ? "resume" : "start";
    setText(shotButton, view.shooter === "both" ? text("done") : text("arrow-shot"));
    shotButton.disabled = !(view.running && (view.shooter === "archer" || view.shooter === "both"));
    resetButton.disabled = clock.index < 0;
    // Who begins the match is chosen before its first end, as the higher-ranked
    // athlete would; from then on the rules decide.
    firstLine.hidden = !(match.mode === "alternate" && match.endIndex === 0 && clock.index < 0);
  }

  function handle(events) {
    for (const event of events) {
      if (event.type === "signal") signal(event.count);
      if (event.type === "warning") say(text("warn"));
      if (event.type === "time-up" && event.shooter === "archer") say(text("time-up"));
      if (event.type === "ghost-arrow") {
        const value = match.ghostArrows?.[event.arrow];
        if (value !== undefined && value !== null) {
          revealed.push(value);
          say(text("ghost-arrow", { value }));
        } else {
          revealed.push("?");
          say(text("ghost-shot"));
        }
      }
      if (event.type === "phase") {
        const period = clock.periods[clock.index];
        const time = period ? timeText(period.seconds) : "";
        if (event.phase === "walk-up") say(text("announce-walk-up", { time }));
        else if (event.phase === "shoot") say(text("announce-shoot", { time }));
        else if (event.phase === "turn" && event.shooter === "archer") {
          say(text("announce-your-turn", { n: event.arrow + 1, time }));
        } else if (event.phase === "turn" && event.shooter === "ghost") {
          say(text("ghost-turn", { n: event.arrow + 1 }));
        } else if (event.phase === "collect") say(text("announce-collect"));
      }
    }
    const running = clock.running;
    if (running && timer === null) {
      last = performance.now();
      timer = window.setInterval(step, 200);
    } else if (!running && timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
    keepAwake(running);
    flush();
    render();
  }

  function apply(action) {
    const result = action(clock);
    clock = result.state;
    handle(result.events);
  }

  function step() {
    const now = performance.now();
    const elapsed = now - last;
    last = now;
    apply((state) => core.tick(state, elapsed));
  }

  function stop(message) {
    if (clock.running) apply(core.pause);
    keepAwake(false);
    if (message) say(message);
    flush();
  }

  // The panel's height, for the page to keep its controls clear of it
  // (style: --clock-panel-height; static/js/match.js brings the scoreboard
  // and the keys above it after each end).
  const measure = () =>
    document.documentElement.style.setProperty("--clock-panel-height", `${panel.offsetHeight}px`);
  if ("ResizeObserver" in window) new ResizeObserver(measure).observe(panel);

  function show(on) {
    panel.hidden = !on;
    root.querySelector("[data-clock-sound-line]").hidden = !on;
    document.documentElement.classList.toggle("clock-on", on);
    if (on) {
      measure();
      // The scoreboard at the top, the keys under it: clear of the panel.
      if (document.getElementById("entry")) {
        document.querySelector(".score-cards")?.scrollIntoView({ block: "start" });
      }
    }
    if (!on) stop();
  }

  mainButton.addEventListener("click", () => {
    const action = mainButton.dataset.action;
    if (action === "start") apply(core.start);
    else if (action === "pause") apply(core.pause);
    else apply(core.resume);
  });
  shotButton.addEventListener("click", () => apply(core.shot));
  resetButton.addEventListener("click", () => {
    stop();
    build();
  });
  firstSelect.addEventListener("change", () => {
    remember(BEGAN, firstSelect.value);
    build();
  });
  const sound = root.querySelector("[data-clock-sound]");
  sound.addEventListener("change", () => {
    soundOn = sound.checked;
    remember(SOUND, soundOn ? "on" : "off");
  });

  toggle.addEventListener("change", () => {
    remember(STORE, toggle.checked ? "on" : "off");
    show(toggle.checked);
  });

  // Entering an end stops the clock (the form's submit reaches the document
  // whether match.js sends it in place or the browser posts it).
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target instanceof HTMLFormElement && event.target.id === "entry") {
        stop(text("stopped"));
        render();
      }
    },
    true,
  );

  // The sheet is redrawn after each end (by match.js from the server, or in
  // place by the offline sheet): once it shows another end, time that one.
  // Taps on the keypad change the sheet too, and leave the clock alone.
  const sheet = document.querySelector("[data-sheet]");
  if (sheet) {
    new MutationObserver(() => {
      if (position(readMatch()) === position(match)) return;
      stop();
      build();
    }).observe(sheet, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
  }

  root.hidden = false;
  toggle.checked = remembered(STORE, "off") === "on";
  soundOn = remembered(SOUND, "on") !== "off";
  sound.checked = soundOn;
  build();
  show(toggle.checked);
  root.dataset.ready = "true";
}

if (root) main();
