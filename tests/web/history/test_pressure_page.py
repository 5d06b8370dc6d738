"""Under pressure on a match format's progress page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator.engine.pressure import pressure_ends

from ...engine.test_pressure import simulated
from .test_history import assert_accessible_chart, sign_in, store, svgs

PAGE = "/history/rounds/match_recurve_outdoor"


def keep_simulated(app: Flask, archer_id: int, count: int, **options: object) -> None:
    for day, match in enumerate(simulated(count, **options)):  # type: ignore[arg-type]
        store(app, archer_id, match, day)


def test_the_match_formats_page_says_how_the_archer_shoots_under_pressure(
    app: Flask, client: FlaskClient
) -> None:
    me = sign_in(app, client)
    keep_simulated(app, me, 60)
    answer = client.get(PAGE)
    assert answer.status_code == 200
    page = answer.text
    assert 'data-testid="pressure"' in page
    assert "Under pressure" in page
    assert "From your 60 finished matches on this format" in page
    assert "deciding sets you averaged" in page
    assert "your level predicted" in page
    assert "That is percentile" in page
    assert 'data-testid="pressure-sets-verdict"' in page
    assert "shoot-off" in page
    assert "unless you tick “In the order I shot them”" in page
    chart = svgs(page)["pressure-chart"]
    assert_accessible_chart(chart)
    assert 1 <= len(list(chart.iter("circle"))) <= 2
    # A ranking round's page has no such section.
    assert 'data-testid="pressure"' not in client.get("/history/rounds/wa18").text


def test_a_choker_reads_below_their_level(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client)
    keep_simulated(app, me, 60, choke=3)
    page = client.get(PAGE).text
    assert "below your level under pressure." in page


def test_too_few_moments_say_not_enough_yet(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client)
    played = simulated(40)
    deciding = [m for m in played if pressure_ends(m)][:2]
    assert deciding
    for day, match in enumerate(deciding):
        store(app, me, match, day)
    page = client.get(PAGE).text
    assert 'data-testid="pressure"' in page
    assert "Not enough yet: a verdict needs 5 deciding sets." in page
    assert "pressure-chart" not in page


def test_no_page_without_a_match_and_calm_words_without_a_moment(
    app: Flask, client: FlaskClient
) -> None:
    me = sign_in(app, client)
    # A match format's page shows how you shoot in its matches: none, no page.
    assert client.get(PAGE).status_code == 404
    # Matches that never came to a deciding moment: the page says so.
    calm = [m for m in simulated(20) if not pressure_ends(m) and not m.shoot_offs]
    assert calm
    for day, match in enumerate(calm):
        store(app, me, match, day)
    page = client.get(PAGE).text
    assert "No set of yours has been shot at a deciding moment yet." in page
    assert "No match of yours has gone to a shoot-off yet." in page
    assert "pressure-chart" not in page


def test_only_the_owner_sees_their_figures(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client)
    keep_simulated(app, me, 30)
    sign_in(app, client, "bob")
    assert client.get(PAGE).status_code == 404
    visitor = app.test_client().get(PAGE)
    assert visitor.status_code in (302, 303, 401)


def test_a_half_match_format_is_no_page(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client)
    assert client.get(PAGE + "?half=1").status_code == 404
    assert client.get("/history/rounds/match_crossbow_outdoor").status_code == 404


def test_sets_in_the_order_shot_compare_the_last_arrow(
    app: Flask, client: FlaskClient
) -> None:
    from ...engine.test_pressure import ordered_matches

    me = sign_in(app, client)
    for day, match in enumerate(ordered_matches(30, seed=4, drop=0.5)):
        store(app, me, match, day)
    page = client.get(PAGE).text
    assert "sets entered in the order shot, your last arrow averaged" in page
    assert 'data-testid="pressure-last-arrow-verdict"' in page
    assert "your last arrow drops under pressure." in page
    chart = svgs(page)["pressure-chart"]
    assert "The last arrow of a set: percentile" in ET.tostring(chart, "unicode")
