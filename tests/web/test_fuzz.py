"""Whatever a client sends, the answer is a page or a clear 400, never a 500."""

from __future__ import annotations

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            *("", "0", "1", "2", "-1", "30", "1e309", "nan", "inf", "10.5", "X", "M"),
            *("wa18", "wa18_triple", "wa720_50_c", "on"),
        ]
    ),
)
FIELDS = [
    "kind",
    "bow",
    "indoor",
    "round",
    "ghost",
    "handicap",
    "score",
    "preset",
    "min_end",
    "max_end",
    "form",
    "scheme",
    "seed",
    "model",
    "steady",
]
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def app(app: Flask) -> Flask:
    """Every example posts to one app: its match creation limit set aside."""
    app.config["MATCH_CREATION_LIMIT"] = "1000000 per minute"
    return app


@FUZZ
@given(form=st.dictionaries(st.sampled_from(FIELDS), text, max_size=8))
def test_new_match_form(app: Flask, form: dict[str, str]) -> None:
    client = app.test_client()
    assert client.post("/matches", data=form).status_code in (303, 400)
    assert client.get("/new", query_string=form).status_code == 200


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(
            [
                "type",
                "location",
                "modality",
                "min_points",
                "max_points",
                "competition_split",
            ]
        ),
        st.one_of(
            text,
            st.sampled_from(
                [
                    "eliminatorias",
                    "competicion",
                    "interior",
                    "exterior",
                    "qualifiers",
                    "competition",
                    "indoor",
                    "outdoor",
                    "compound",
                    "other",
                ]
            ),
        ),
        max_size=6,
    )
)
def test_legacy_links(app: Flask, query: dict[str, str]) -> None:
    response = app.test_client().get("/simulator.php", query_string=query)
    assert response.status_code in (200, 400)


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["sex", "category", "age", "location"]),
        st.one_of(
            text,
            st.sampled_from(
                [
                    *("h", "m", "c", "o", "i", "lb", "d", "s15", "s19", "s21", "a"),
                    *("indoor", "outdoor", "interior", "exterior", "H", "LB", "S15"),
                ]
            ),
        ),
        max_size=4,
    )
)
def test_legacy_ghost_links(app: Flask, query: dict[str, str]) -> None:
    client = app.test_client()
    response = client.get("/ghost.php", query_string=query)
    assert response.status_code in (200, 400)


@FUZZ
@given(
    entries=st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "arrow": st.lists(text, max_size=5),
                "total": text,
                "end": text,
                "closer": text,
            },
        ),
        max_size=8,
    ),
    action=st.sampled_from(["ends", "correction", "shoot-off"]),
)
def test_match_entries(
    app: Flask, entries: list[dict[str, object]], action: str
) -> None:
    client = app.test_client()
    created = client.post(
        "/matches", data={"kind": "set", "ghost": "preset", "preset": "perfect"}
    )
    url = created.headers["Location"]
    for entry in entries:
        for path in (f"{url}/ends", f"{url}/{action}"):
            # 409: an entry for another end than the one due
            assert client.post(path, data=entry).status_code in (303, 400, 409)
    assert client.get(url).status_code == 200


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["handicap", "kind", "bow", "indoor", "round", "scheme"]), text
    )
)
def test_expected_score_hint(app: Flask, query: dict[str, str]) -> None:
    assert app.test_client().get("/api/expected", query_string=query).status_code in (
        200,
        400,
    )
