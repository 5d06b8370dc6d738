"""Helpers for the team match tests: the archer's arrows that win, lose or
tie an end, found by peeking at the ghosts' arrows (a test may; a page never
shows an end before it is shot)."""

from __future__ import annotations

import itertools

from ghost_simulator.engine.teams import TeamMatch


def end_labels(match: TeamMatch, want: str) -> list[str] | None:
    """The archer's two arrows of the next end that make their side ``want``
    ("win", "lose", "tie") it; None when no two arrows can."""
    index = match.ends_shot
    mates = sum(shot.ends[index].total for shot in match.teammate_rounds)
    theirs = sum(shot.ends[index].total for shot in match.opponent_rounds)
    need = theirs - mates
    face = match.face
    for a, b in itertools.combinations_with_replacement(face.labels, 2):
        total = face.values[a] + face.values[b]
        if (
            (want == "win" and total > need)
            or (want == "lose" and total < need)
            or (want == "tie" and total == need)
        ):
            return [a, b]
    return None


def level_plan(match: TeamMatch) -> list[list[str]] | None:
    """Four ends that leave the match level (4-4 in sets: won, lost, won,
    lost; equal totals in the cumulative system), or None."""
    if match.system == "set":
        ends = []
        copy = TeamMatch.from_dict(match.to_dict())
        for want in ("win", "lose", "win", "lose"):
            labels = end_labels(copy, want)
            if labels is None:
                return None
            copy.add_end(labels)
            ends.append(labels)
        return ends
    copy = TeamMatch.from_dict(match.to_dict())
    ends = []
    for want in ("tie", "tie", "tie", "tie"):
        labels = end_labels(copy, want)
        if labels is None:
            return None
        copy.add_end(labels)
        ends.append(labels)
    return ends


def shoot_off_win(match: TeamMatch) -> str | None:
    """The archer's shoot-off arrow that wins the first shoot-off on total."""
    mates, theirs = match._shoot_off_arrows(0)
    need = sum(a.value for a in theirs) - sum(a.value for a in mates)
    face = match.shoot_off_face
    for label in face.labels:
        if face.values[label] > need:
            return label
    return None
