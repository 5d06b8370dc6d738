// A match scored on the phone, by the rules of engine/matches.py (a port:
// tests/browser/test_offline_browser.py checks it against the engine on many
// matches). It works from the page's ghost plan (web/sheet.py ghost_plan): the
// ghost's arrows for every end and shoot-off arrow, and the faces.
//
// An archer's end is {labels: [...]} or {total: n}; a shoot-off is
// {label, closer} with closer "archer", "ghost", "equal" or null.

const X = "X";
const MISS = "M";

/** The face an end is shot on: {labels, values}. */
export function faceOf(plan, index) {
  return plan.faces[plan.end_faces[index]];
}

/** A label as the engine reads it ("0" and "" are a miss), or null. */
export function readLabel(face, label) {
  let text = String(label).trim().toUpperCase();
  if (text === "0" || text === "") text = MISS;
  return face.labels.includes(text) ? text : null;
}

function tally(ends, faces) {
  let total = 0;
  let tens = 0;
  let xs = 0;
  ends.forEach((end, i) => {
    if (end.labels) {
      for (const label of end.labels) {
        const value = faces[i].values[label];
        total += value;
        if (value >= 10) tens += 1;
        if (label === X) xs += 1;
      }
    } else {
      total += end.total;
    }
  });
  return { total, tens, xs };
}

export function endTotal(end, face) {
  return end.labels ? end.labels.reduce((sum, label) => sum + face.values[label], 0) : end.total;
}

/** 2 to the set's winner, 1 each for a tie. */
export function setPoints(archer, ghost) {
  if (archer > ghost) return [2, 0];
  if (archer < ghost) return [0, 2];
  return [1, 1];
}

/** The ghost's ends as the plan labels them, for the first ``count`` ends. */
export function ghostEnds(plan, count) {
  return plan.ends.slice(0, count).map((labels) => ({ labels }));
}

/** "archer", "ghost", "again" or null (equal values, closer not said). */
export function shootOffResult(plan, index, shootOff) {
  const face = plan.faces[plan.shoot_off_face];
  const archer = face.values[shootOff.label];
  const ghost = face.values[plan.shoot_off[index][0]];
  if (archer !== ghost) return archer > ghost ? "archer" : "ghost";
  if (shootOff.closer === "archer" || shootOff.closer === "ghost") return shootOff.closer;
  return shootOff.closer === "equal" ? "again" : null;
}

// After a tie. In a set match the shoot-off's winner scores the deciding
// point (World Archery records it as 6-5); totals stay the arrows'.
function shootOffVerdict(plan, shootOffs, a, g) {
  const extra = plan.kind === "set" ? 1 : 0;
  for (let i = 0; i < shootOffs.length; i += 1) {
    const result = shootOffResult(plan, i, shootOffs[i]);
    if (result === "archer") return { status: "won", archer: a + extra, ghost: g, reason: "shoot-off" };
    if (result === "ghost") return { status: "lost", archer: a, ghost: g + extra, reason: "shoot-off" };
  }
  return { status: "shoot_off", archer: a, ghost: g, reason: "" };
}

/**
 * The match's verdict: {status, archer, ghost, reason} where status is
 * "in_progress", "shoot_off", "won", "lost" or "tied", and archer/ghost are
 * set points (a set match) or totals.
 */
export function verdict(plan, archerEnds, shootOffs = []) {
  const count = archerEnds.length;
  const faces = archerEnds.map((_, i) => faceOf(plan, i));
  if (plan.kind === "set") {
    let a = 0;
    let g = 0;
    for (let i = 0; i < count; i += 1) {
      const [pa, pg] = setPoints(endTotal(archerEnds[i], faces[i]), plan.end_totals[i]);
      a += pa;
      g += pg;
      if (a >= plan.points_to_win || g >= plan.points_to_win) {
        return { status: a > g ? "won" : "lost", archer: a, ghost: g, reason: "set points" };
      }
    }
    if (count === plan.end_sizes.length) return shootOffVerdict(plan, shootOffs, a, g);
    return { status: "in_progress", archer: a, ghost: g, reason: "" };
  }
  const archer = tally(archerEnds, faces);
  const ghost = tally(ghostEnds(plan, count), faces);
  if (count < plan.end_sizes.length) {
    return { status: "in_progress", archer: archer.total, ghost: ghost.total, reason: "" };
  }
  if (plan.kind === "cumulative") {
    if (archer.total !== ghost.total) {
      const status = archer.total > ghost.total ? "won" : "lost";
      return { status, archer: archer.total, ghost: ghost.total, reason: "total" };
    }
    return shootOffVerdict(plan, shootOffs, archer.total, ghost.total);
  }
  const mine = [archer.total, archer.tens, archer.xs];
  const theirs = [ghost.total, ghost.tens, ghost.xs];
  const reasons = ["total", "10s", "Xs"];
  for (let i = 0; i < 3; i += 1) {
    if (mine[i] !== theirs[i]) {
      const status = mine[i] > theirs[i] ? "won" : "lost";
      return { status, archer: archer.total, ghost: ghost.total, reason: reasons[i] };
    }
  }
  return { status: "tied", archer: archer.total, ghost: ghost.total, reason: "tie" };
}

export function finished(status) {
  return status === "won" || status === "lost" || status === "tied";
}

/** How many arrows the next end has (0 when no end is due). */
export function expectedArrows(plan, archerEnds, shootOffs = []) {
  const { status } = verdict(plan, archerEnds, shootOffs);
  if (finished(status) || status === "shoot_off") return 0;
  return plan.end_sizes[archerEnds.length];
}

/**
 * Check an end as the engine would, and write it as it does (labels highest
 * first): {end} or {error: "arrow_count" | "bad_label" | "bad_total" |
 * "arrows_or_total" | "not_due", size, top}.
 */
export function makeEnd(plan, archerEnds, shootOffs, labels, total) {
  const size = expectedArrows(plan, archerEnds, shootOffs);
  if (size === 0) return { error: "not_due" };
  const face = faceOf(plan, archerEnds.length);
  const top = size * Math.max(...Object.values(face.values));
  if ((labels === null) === (total === null)) return { error: "arrows_or_total", size, top };
  if (labels !== null) {
    if (labels.length !== size) return { error: "arrow_count", size, top };
    const read = labels.map((label) => readLabel(face, label));
    if (read.includes(null)) return { error: "bad_label", size, top };
    read.sort((a, b) => face.labels.indexOf(a) - face.labels.indexOf(b));
    return { end: { labels: read } };
  }
  if (!Number.isInteger(total) || total < 0 || total > top) return { error: "bad_total", size, top };
  return { end: { total } };
}

/**
 * A shoot-off arrow as the engine takes it: a new arrow, or (when the last
 * one's values tied and nobody said who was closer) who was closer. The new
 * list of shoot-offs, or {error}.
 */
export function addShootOff(plan, archerEnds, shootOffs, label, closer) {
  if (![null, "archer", "ghost", "equal"].includes(closer)) return { error: "bad_closer" };
  if (verdict(plan, archerEnds, shootOffs).status !== "shoot_off") return { error: "no_shoot_off" };
  const last = shootOffs[shootOffs.length - 1];
  if (last && shootOffResult(plan, shootOffs.length - 1, last) === null) {
    return { shootOffs: [...shootOffs.slice(0, -1), { label: last.label, closer }] };
  }
  if (shootOffs.length >= plan.shoot_off.length) return { error: "needs_network" };
  const read = readLabel(plan.faces[plan.shoot_off_face], label);
  if (read === null) return { error: "bad_label" };
  return { shootOffs: [...shootOffs, { label: read, closer }] };
}
