// The shooting clock's rules and timing, with no DOM, audio or timers: a pure
// state machine the page drives (clock.js) and the tests run on its own.
//
// World Archery, Book 3 (Target Archery), chapter 14 "Control of shooting":
// - the end starts with two signals: the athletes come to the shooting line and
//   have 10 seconds to do so (red light); one signal starts the shooting (green);
//   a warning when 30 seconds are left (yellow); three signals end the shooting
//   and send the athletes to score and collect (red);
// - time limits: 2 minutes for an end of 3 arrows, 4 minutes for an end of 6;
//   in an individual match shot with alternate shooting, 20 seconds per arrow,
//   the athletes shooting one arrow each in turn; 40 seconds for an individual
//   shoot-off arrow (we keep alternating, one arrow each, 40 s each);
// - alternate shooting: the higher-ranked athlete decides who shoots first in
//   the first end; after that the athlete with the lower cumulative score (set
//   points in the set system) shoots first in the next end, and when they are
//   level the athlete who began the match does. A shoot-off is always level, so
//   whoever began the match shoots first in it.
// - team matches (both teams shooting at the same time): 2 minutes for a
//   team's end of 6 arrows, 80 seconds for a mixed team's 4; a team
//   shoot-off, 1 minute for 3 arrows, a mixed team's 40 seconds for 2: every
//   one 20 seconds an arrow of the team (each member shooting their arrows
//   in turn, one on the line at a time, within the team's time).
// Against the ghost there is no ranking: the archer chooses who begins the
// match (by default the archer), as the higher-ranked athlete would.
// (Article numbers are not given here: the 2026 text of Book 3 could not be
// read while this was written; the figures are the ones World Archery's
// competitions use, as the ghost model's sources say: docs/developers/ghost-model.md.)

export const WALK_UP_SECONDS = 10;
export const WARNING_SECONDS = 30;
export const ARROW_SECONDS = 20;
export const SHOOT_OFF_SECONDS = 40;
/** A team's time, per arrow of the team's end or shoot-off. */
export const TEAM_ARROW_SECONDS = 20;
/** How long the ghost takes over an arrow in its turn (of its 20 or 40 s). */
export const GHOST_SHOT_SECONDS = 12;

/** Signals (blasts) at each change: two to come to the line, one to shoot,
 * three to collect. */
export const SIGNALS = { toLine: 2, shoot: 1, collect: 3 };

/** Seconds allowed for an end of `arrows` shot together: 40 s an arrow
 * (2 minutes for 3, 4 minutes for 6). */
export function endSeconds(arrows) {
  return Math.max(1, arrows) * 40;
}

/** Who shoots first in an alternating end: the side with the lower score so
 * far (set points in a set match, the total in a cumulative one), the one who
 * began the match when they are level (so in the first end and a shoot-off). */
export function firstShooter({ began = "archer", archer = 0, ghost = 0 } = {}) {
  if (archer < ghost) return "archer";
  if (ghost < archer) return "ghost";
  return began === "ghost" ? "ghost" : "archer";
}

const other = (side) => (side === "archer" ? "ghost" : "archer");

/**
 * The periods of one end, in order. `mode` is "end" (qualification: every
 * arrow within one time limit), "alternate" (a match's end: one arrow each in
 * turn), "shoot-off" (one arrow each in turn, 40 s each) or "team" (a team
 * match's end or shoot-off: `arrows` is the team's, 20 s each, both teams
 * together).
 * Each period: {phase: "walk-up" | "shoot" | "turn", shooter: null | "both" |
 * "archer" | "ghost", arrow (the shooter's arrow in this end, from 0), seconds
 * (the allowance shown), stopAt (seconds left when the ghost has shot: the
 * period ends there), warnAt (seconds left for the yellow warning, 0 = none),
 * signal (blasts when it starts)}. After the last period: collect (3 blasts).
 */
export function schedule({
  mode = "end",
  arrows = 3,
  first = "archer",
  walkUp = WALK_UP_SECONDS,
  ghostSeconds = GHOST_SHOT_SECONDS,
} = {}) {
  const periods = [];
  if (walkUp > 0) {
    periods.push({
      phase: "walk-up",
      shooter: null,
      arrow: null,
      seconds: walkUp,
      stopAt: 0,
      warnAt: 0,
      signal: SIGNALS.toLine,
    });
  }
  if (mode === "end" || mode === "team") {
    periods.push({
      phase: "shoot",
      shooter: "both",
      arrow: null,
      seconds: mode === "team" ? Math.max(1, arrows) * TEAM_ARROW_SECONDS : endSeconds(arrows),
      stopAt: 0,
      warnAt: WARNING_SECONDS,
      signal: SIGNALS.shoot,
    });
  } else {
    const seconds = mode === "shoot-off" ? SHOOT_OFF_SECONDS : ARROW_SECONDS;
    const count = mode === "shoot-off" ? 1 : arrows;
    let shooter = first === "ghost" ? "ghost" : "archer";
    for (let turn = 0; turn < count * 2; turn += 1) {
      periods.push({
        phase: "turn",
        shooter,
        arrow: Math.floor(turn / 2),
        seconds,
        stopAt: shooter === "ghost" ? Math.max(0, seconds - ghostSeconds) : 0,
        // 30 s left is warned only where there is time to act on it.
        warnAt: seconds > WARNING_SECONDS * 2 ? WARNING_SECONDS : 0,
        signal: turn === 0 ? SIGNALS.shoot : 0,
      });
      shooter = other(shooter);
    }
  }
  return periods;
}

/** A clock at rest before the end: index -1 (idle), then the period running,
 * then periods.length once the end is over (collect). Times in milliseconds. */
export function createClock(periods) {
  return { periods, index: -1, left: 0, running: false, warned: false };
}

function enter(state, index, events) {
  const { periods } = state;
  state.warned = false;
  if (index >= periods.length) {
    state.index = periods.length;
    state.left = 0;
    state.running = false;
    events.push({ type: "signal", count: SIGNALS.collect });
    events.push({ type: "phase", phase: "collect", shooter: null, arrow: null });
    return;
  }
  const period = periods[index];
  state.index = index;
  state.left = period.seconds * 1000;
  if (period.signal) events.push({ type: "signal", count: period.signal });
  events.push({
    type: "phase",
    phase: period.phase,
    shooter: period.shooter,
    arrow: period.arrow,
  });
}

function leave(state, events, timedOut) {
  const period = state.periods[state.index];
  if (period.shooter === "ghost") {
    events.push({ type: "ghost-arrow", arrow: period.arrow });
  } else if (timedOut && period.shooter) {
    events.push({ type: "time-up", shooter: period.shooter, arrow: period.arrow });
  }
}

const copy = (state) => ({ ...state });

/** Two signals and the walk-up (or straight to shooting without one). */
export function start(state) {
  const next = copy(state);
  const events = [];
  if (next.index >= 0 && next.index < next.periods.length) {
    return resume(state);
  }
  next.running = next.periods.length > 0;
  enter(next, 0, events);
  return { state: next, events };
}

export function pause(state) {
  const next = copy(state);
  const events = [];
  if (next.running) {
    next.running = false;
    events.push({ type: "paused" });
  }
  return { state: next, events };
}

export function resume(state) {
  const next = copy(state);
  const events = [];
  if (!next.running && next.index >= 0 && next.index < next.periods.length) {
    next.running = true;
    events.push({ type: "resumed" });
  }
  return { state: next, events };
}

/** Back to the start of the end, silent. */
export function reset(state) {
  return { state: createClock(state.periods), events: [{ type: "reset" }] };
}

/** The archer has shot: in their turn the turn passes to the ghost; in an end
 * shot together, the archer is done and the end goes to collecting. */
export function shot(state) {
  const next = copy(state);
  const events = [];
  const period = next.periods[next.index];
  if (!next.running || !period || !["archer", "both"].includes(period.shooter)) {
    return { state: next, events };
  }
  leave(next, events, false);
  enter(next, next.index + 1, events);
  return { state: next, events };
}

/** `ms` milliseconds go by: the warning, the ghost's arrows, the turns and the
 * end of the end happen in order, however large the step. */
export function tick(state, ms) {
  const next = copy(state);
  const events = [];
  let rest = Math.max(0, ms);
  while (next.running && next.index < next.periods.length) {
    const period = next.periods[next.index];
    const stopAt = period.stopAt * 1000;
    const step = Math.min(rest, next.left - stopAt);
    next.left -= step;
    rest -= step;
    if (!next.warned && period.warnAt && next.left <= period.warnAt * 1000) {
      next.warned = true;
      events.push({ type: "warning", seconds: period.warnAt });
    }
    if (next.left > stopAt) break;
    leave(next, events, stopAt === 0);
    enter(next, next.index + 1, events);
  }
  return { state: next, events };
}

/** What the clock shows: phase, who shoots, whole seconds left (rounded up,
 * as range clocks do) and the tone: "idle", "stop" (red: to the line, or time
 * up), "go" (green), "warn" (yellow, 30 s left) or "wait" (the ghost's turn). */
export function view(state) {
  const { periods, index } = state;
  if (index < 0) {
    const firstShot = periods.find((p) => p.phase !== "walk-up");
    return {
      phase: "idle",
      shooter: firstShot ? firstShot.shooter : null,
      arrow: firstShot ? firstShot.arrow : null,
      seconds: firstShot ? firstShot.seconds : 0,
      tone: "idle",
      running: false,
    };
  }
  if (index >= periods.length) {
    return {
      phase: "collect",
      shooter: null,
      arrow: null,
      seconds: 0,
      tone: "stop",
      running: false,
    };
  }
  const period = periods[index];
  let tone = "go";
  if (period.phase === "walk-up") tone = "stop";
  else if (period.shooter === "ghost") tone = "wait";
  else if (state.warned) tone = "warn";
  return {
    phase: period.phase,
    shooter: period.shooter,
    arrow: period.arrow,
    seconds: Math.ceil(state.left / 1000),
    tone,
    running: state.running,
  };
}

/** The ghost's arrows of an end in the order it shoots them. The sheet lists
 * an end highest first; shown one by one in that order, the first arrow would
 * tell the archer the rest are no better. So the order is shuffled, the same
 * way each time for the same end (a reload shows the same order): a 32-bit
 * FNV-1a hash of the end seeds a small generator (mulberry32). */
export function inShootingOrder(labels, endIndex) {
  const key = `${endIndex}:${labels.join(",")}`;
  let seed = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    seed ^= key.charCodeAt(i);
    seed = Math.imul(seed, 0x01000193) >>> 0;
  }
  const random = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = [...labels];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** "2:00", "0:09". */
export function formatSeconds(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
