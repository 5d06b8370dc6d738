"""Rounds: every archeryutils round, end sizes, halves, bows, corrections."""

from __future__ import annotations

import pytest
from archeryutils import load_rounds

from ghost_simulator.engine.rounds import (
    COLLECTIONS,
    RoundError,
    all_rounds,
    custom_round,
    get_round,
    round_from_ref,
    search_rounds,
)


def archeryutils_rounds() -> dict[str, object]:
    found: dict[str, object] = {}
    for collection in COLLECTIONS:
        found.update(getattr(load_rounds, collection))
    return found


def test_every_archeryutils_round_is_available() -> None:
    library = archeryutils_rounds()
    assert len(library) > 200
    assert set(library) == set(all_rounds())
    for codename, au_round in library.items():
        rnd = get_round(codename)
        assert rnd.arrows == au_round.n_arrows  # type: ignore[attr-defined]
        assert get_round(au_round.name).name == au_round.name  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "codename"),
    [
        ("WA 18m", "wa18"),
        ("wa 70m", "wa720_70"),
        ("WA1440 (90m)", "wa1440_90"),
        ("York", "york"),
    ],
)
def test_readable_names(name: str, codename: str) -> None:
    assert get_round(name).codename == codename


@pytest.mark.parametrize(
    ("codename", "arrows", "end_size", "ends", "max_score"),
    [
        ("wa18", 60, 3, 20, 600),
        ("wa25", 60, 3, 20, 600),
        ("wa720_70", 72, 6, 12, 720),
        ("wa720_50_c", 72, 6, 12, 720),
        ("wa1440_90", 144, 6, 24, 1440),
        ("york", 144, 6, 24, 1296),
        ("portsmouth", 60, 3, 20, 600),
    ],
)
def test_wa_and_national_rounds(
    codename: str, arrows: int, end_size: int, ends: int, max_score: int
) -> None:
    rnd = get_round(codename)
    assert (rnd.arrows, rnd.end_size, rnd.ends, rnd.max_score) == (
        arrows,
        end_size,
        ends,
        max_score,
    )


def test_compound_720_is_on_the_80cm_six_ring_face() -> None:
    rnd = get_round("wa720_50_c")
    for distance in rnd.distances:
        assert distance.metres == 50
        assert distance.face.system == "10_zone_6_ring"
        assert distance.face.diameter == pytest.approx(0.8)


def test_recurve_720_and_indoor_faces() -> None:
    assert {d.face.system for d in get_round("wa720_70").distances} == {"10_zone"}
    assert get_round("wa720_70").distances[0].face.diameter == pytest.approx(1.22)
    assert get_round("wa18").distances[0].face.diameter == pytest.approx(0.40)


def test_half_round() -> None:
    half = get_round("wa1440_90", half=True)
    assert half.arrows == 72
    assert [d.metres for d in half.distances] == [90, 70]
    assert half.name == "WA 1440 (90m) (half)"
    wa900 = get_round("wa900", half=True)
    assert [d.arrows for d in wa900.distances] == [30, 15]
    assert get_round("wa18", half=True).ends == 10


def test_ends_never_span_two_distances() -> None:
    plan = get_round("wa900").end_plan()
    assert plan == [(0, 6)] * 5 + [(1, 6)] * 5 + [(2, 6)] * 5


def test_compound_bow_changes_indoor_faces_only() -> None:
    assert (
        get_round("wa18", bow="compound").distances[0].face.system == "10_zone_compound"
    )
    assert (
        get_round("wa18_triple", bow="compound").distances[0].face.system
        == "10_zone_5_ring_compound"
    )
    assert (
        get_round("wa720_70", bow="compound").distances
        == get_round("wa720_70").distances
    )


def test_unknown_round_suggests() -> None:
    with pytest.raises(RoundError, match=r"Did you mean .*wa720_70"):
        get_round("wa720_7")
    with pytest.raises(RoundError, match="Unknown bow"):
        get_round("wa18", bow="crossbow")


def test_search() -> None:
    found = {r.codename for r in search_rounds("wa 720")}
    assert {"wa720_70", "wa720_60", "wa720_50_c"} <= found
    assert all("wa" in c for c in found)


def test_custom_round() -> None:
    rnd = custom_round(
        "Club 30",
        [(30, 30.0, "10_zone", 80), (30, 20.0, "10_zone", 80)],
        end_size=6,
        indoor=False,
    )
    assert (rnd.arrows, rnd.ends, rnd.max_score) == (60, 10, 600)
    assert round_from_ref(rnd.ref) == rnd
    with pytest.raises(RoundError, match="positive"):
        custom_round("x", [(10, -1.0, "10_zone", 80)], end_size=3, indoor=True)
    with pytest.raises(RoundError, match="Invalid Target Face Type"):
        custom_round("x", [(10, 10.0, "nope", 80)], end_size=3, indoor=True)
    with pytest.raises(RoundError):
        custom_round("x", [(0, 10.0, "10_zone", 80)], end_size=3, indoor=True)


@pytest.mark.parametrize(
    ("codename", "bow", "half"),
    [("wa18", None, False), ("wa18", "compound", True), ("wa1440_70", "recurve", True)],
)
def test_round_refs_rebuild_the_round(
    codename: str, bow: str | None, half: bool
) -> None:
    rnd = get_round(codename, bow=bow, half=half)
    assert round_from_ref(rnd.ref) == rnd


def test_ends_between() -> None:
    rnd = get_round("wa1440_90")  # 4 distances of 6 ends of 6
    shot = rnd.ends_between(0, 8)
    assert [(d.metres, d.arrows) for d in shot.distances] == [(90, 36), (70, 12)]
    left = rnd.ends_between(8)
    assert [(d.metres, d.arrows) for d in left.distances] == [
        (70, 24),
        (50, 36),
        (30, 36),
    ]
    assert shot.arrows + left.arrows == rnd.arrows
    with pytest.raises(RoundError):
        rnd.ends_between(24)
