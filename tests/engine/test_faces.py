"""Target faces: zones, labels, the X ring, compound scoring, line cutters."""

from __future__ import annotations

import pytest

from ghost_simulator.engine.faces import Face

TEN_ZONE = ("X", "10", "9", "8", "7", "6", "5", "4", "3", "2", "1", "M")


@pytest.mark.parametrize(
    ("system", "size", "labels"),
    [
        ("10_zone", 122, TEN_ZONE),
        ("10_zone_6_ring", 80, ("X", "10", "9", "8", "7", "6", "5", "M")),
        ("10_zone_5_ring", 40, ("X", "10", "9", "8", "7", "6", "M")),
        (
            "10_zone_compound",
            40,
            ("X", "9", "8", "7", "6", "5", "4", "3", "2", "1", "M"),
        ),
        ("10_zone_5_ring_compound", 40, ("X", "9", "8", "7", "6", "M")),
        ("5_zone", 122, ("9", "7", "5", "3", "1", "M")),
    ],
)
def test_labels_highest_first(
    system: str, size: float, labels: tuple[str, ...]
) -> None:
    assert Face.of(system, size).labels == labels


def test_x_ring_is_half_the_ten_ring() -> None:
    face = Face.of("10_zone", 122)
    x, ten = face.zones[0], face.zones[1]
    assert (x.label, ten.label) == ("X", "10")
    assert x.radius == pytest.approx(ten.radius / 2)
    assert ten.radius == pytest.approx(0.061)  # 12.2 cm across on a 122 cm face
    assert x.value == ten.value == 10


def test_compound_scores_only_the_inner_ten() -> None:
    recurve = Face.of("10_zone", 40)
    compound = recurve.compound()
    assert compound.system == "10_zone_compound"
    assert compound.zones[0].radius == pytest.approx(recurve.zones[0].radius)  # X ring
    assert compound.zones[1].label == "9"
    assert compound.zones[1].radius == pytest.approx(recurve.zones[2].radius)
    assert Face.of("10_zone_6_ring", 80).compound().system == "10_zone_6_ring"


def test_compound_six_ring_face() -> None:
    face = Face.of("10_zone_6_ring_compound", 80)
    assert face.labels == ("X", "9", "8", "7", "6", "5", "M")


def test_line_cutter_scores_the_higher_ring() -> None:
    face = Face.of("10_zone", 122)
    ten_edge = face.zones[1].radius
    arrow_radius = 0.00275
    assert (
        face.zones[face.zone_index(ten_edge + arrow_radius, arrow_radius)].label == "10"
    )
    assert (
        face.zones[face.zone_index(ten_edge + arrow_radius * 1.01, arrow_radius)].label
        == "9"
    )
    assert face.zones[face.zone_index(5.0, arrow_radius)].label == "M"


def test_golds() -> None:
    assert Face.of("10_zone", 122).gold_value == 10
    assert Face.of("5_zone", 122).gold_value == 9


def test_unknown_label_lists_the_allowed_ones() -> None:
    with pytest.raises(
        ValueError, match=r"'4' is not a value .*allowed: X, 10, 9, 8, 7, 6"
    ):
        Face.of("10_zone_5_ring", 40).rank("4")


def test_face_names() -> None:
    assert Face.of("10_zone", 122).name == "122 cm 10-zone"
    assert Face.of("10_zone_6_ring", 80).name == "80 cm 6-ring (10 to 5)"
