"""The training log: the arrow counter (arrows shot per day, from matches and
counted by hand, with weekly and monthly totals and a calendar), the archer's
bows and arrows, and each bow's sight marks with the marks for distances not
shot yet estimated from a fitted sight curve, on a printable bow card.

Signed-in archers only; another archer's row answers 404. Views read forms
(``training_forms``), call the store (``store.training``) and the engine
(``engine.sightmarks``), and render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import login_required

from ...engine import sightmarks
from ...services.accounts import Parsed
from ...services.labels import bow_names
from ...services.numbers import parse_whole
from ...services.training_rules import (
    entry_kind_names,
    parse_arrow_entry,
    parse_arrow_set,
    parse_bow,
    parse_sight_mark,
    unit_names,
)
from ...store import training as stored
from ...store.models import ArrowSet, Bow
from ..common import charts
from ..common.viewer import required_archer, signed_in_archer

bp = Blueprint("training", __name__)

#: Months the monthly totals go back, the shown month included.
MONTHS_SHOWN = 12
#: The calendar's shades: a day's arrows against the month's busiest day.
SHADES = 4


def today() -> date:
    return datetime.now(UTC).date()


@bp.app_context_processor
def equipment_globals() -> dict[str, Any]:
    return {
        "training_equipment": equipment_choices,
        "format_date": format_date,
        "format_decimal": format_decimal,
    }


# -- the arrow counter -----------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: date | None  # None: a cell of the next or last month
    arrows: int = 0
    shade: int = 0
    title: str = ""


@dataclass
class Counter:
    """One month of the log, with its weeks and the months before it."""

    month: date
    weeks: list[tuple[date, list[CalendarDay], int]] = field(default_factory=list)
    month_total: int = 0
    months: list[tuple[date, int]] = field(default_factory=list)
    days: dict[date, stored.Day] = field(default_factory=dict)


def add_months(month: date, count: int) -> date:
    """The first of the month ``count`` months after ``month``'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def shade(arrows: int, busiest: int) -> int:
    """0 for no arrows, else 1 to ``SHADES`` by the share of the busiest day."""
    if arrows <= 0 or busiest <= 0:
        return 0
    return max(1, min(SHADES, -(-arrows * SHADES // busiest)))


def counter(archer_id: int, month: date) -> Counter:
    """The month's calendar (Monday first), the total of each of its weeks
    (whole weeks, into the months either side) and of the ``MONTHS_SHOWN``
    months up to it."""
    first = month.replace(day=1)
    next_month = add_months(first, 1)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = next_month + timedelta(days=(7 - next_month.weekday()) % 7)
    since = min(add_months(first, 1 - MONTHS_SHOWN), grid_start)
    days = stored.arrows_by_day(archer_id, since, max(grid_end, next_month))
    result = Counter(first, days=days)
    in_month = [d.total for day, d in days.items() if first <= day < next_month]
    busiest = max(in_month, default=0)
    result.month_total = sum(in_month)
    cursor = grid_start
    while cursor < grid_end:
        cells = []
        week_total = 0
        for offset in range(7):
            day = cursor + timedelta(days=offset)
            arrows = days[day].total if day in days else 0
            week_total += arrows
            if day.month != first.month:
                cells.append(CalendarDay(None))
                continue
            title = ngettext(
                "%(day)s: %(count)s arrow",
                "%(day)s: %(count)s arrows",
                arrows,
                day=format_date(day, "full"),
                count=format_decimal(arrows),
            )
            cells.append(CalendarDay(day, arrows, shade(arrows, busiest), title))
        result.weeks.append((cursor, cells, week_total))
        cursor += timedelta(days=7)
    for back in range(MONTHS_SHOWN - 1, -1, -1):
        start = add_months(first, -back)
        end = add_months(start, 1)
        total = sum(d.total for day, d in days.items() if start <= day < end)
        result.months.append((start, total))
    return result


def _month(text: str | None) -> date | None:
    if not text:
        return today().replace(day=1)
    try:
        year, month = (parse_whole(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def _log_page(
    month: date, form: Parsed | None = None, status: int = 200
) -> ResponseReturnValue:
    archer = required_archer()
    found = counter(archer.id, month)
    next_month = add_months(month, 1)
    bars = charts.bar_chart(
        [(format_date(m, "MMM"), float(total)) for m, total in found.months],
        titles=[
            ngettext(
                "%(month)s: %(count)s arrow",
                "%(month)s: %(count)s arrows",
                total,
                month=format_date(m, "MMMM yyyy"),
                count=format_decimal(total),
            )
            for m, total in found.months
        ],
    )
    page = render_template(
        "log.html",
        counter=found,
        bars=bars,
        month=month,
        previous=add_months(month, -1),
        following=next_month if next_month <= today() else None,
        entries=stored.arrow_entries(archer.id, month, next_month),
        kinds=entry_kind_names(),
        form=form or Parsed(values={"shot_on": today(), "kind": "practice"}),
        weekdays=[
            format_date(date(2024, 1, 1) + timedelta(days=i), "EEE") for i in range(7)
        ],
        today=today(),
        shades=SHADES,
    )
    return page, status


@bp.get("/log")
@login_required
def log() -> ResponseReturnValue:
    month = _month(request.args.get("month"))
    if month is None or not date(2000, 1, 1) <= month <= today():
        abort(400, _("Choose a month as year-month, such as 2026-03, up to this one."))
    return _log_page(month)


@bp.post("/log/entries")
@login_required
def add_entry() -> ResponseReturnValue:
    form = parse_arrow_entry(request.form, today())
    shown = form.values["shot_on"].replace(day=1)
    if form.errors:
        return _log_page(shown, form, 400)
    try:
        stored.add_arrow_entry(required_archer().id, form.values)
    except stored.TooMany as exc:
        form.errors["arrows"] = _(
            "At most %(count)s entries a day: change one of that day's instead.",
            count=exc.most,
        )
        return _log_page(shown, form, 400)
    arrows = form.values["arrows"]
    flash(
        ngettext(
            "%(count)s arrow counted.",
            "%(count)s arrows counted.",
            arrows,
            count=format_decimal(arrows),
        )
    )
    return redirect(url_for("training.log", month=shown.strftime("%Y-%m")), 303)


@bp.route("/log/entries/<int:entry_id>", methods=["GET", "POST"])
@login_required
def edit_entry(entry_id: int) -> ResponseReturnValue:
    archer = required_archer()
    entry = stored.arrow_entry(archer.id, entry_id)
    if entry is None:
        abort(404)
    if request.method == "GET":
        values = {n: getattr(entry, n) for n in ("arrows", "kind", "shot_on", "notes")}
        form = Parsed(values=values)
        return render_template(
            "log_entry.html", entry=entry, form=form, kinds=entry_kind_names()
        )
    form = parse_arrow_entry(request.form, today())
    if form.errors:
        page = render_template(
            "log_entry.html", entry=entry, form=form, kinds=entry_kind_names()
        )
        return page, 400
    stored.update_arrow_entry(archer.id, entry_id, form.values)
    flash(_("The entry is changed."))
    month = form.values["shot_on"].strftime("%Y-%m")
    return redirect(url_for("training.log", month=month), 303)


@bp.post("/log/entries/<int:entry_id>/delete")
@login_required
def delete_entry(entry_id: int) -> ResponseReturnValue:
    archer = required_archer()
    entry = stored.arrow_entry(archer.id, entry_id)
    if entry is None:
        abort(404)
    month = entry.shot_on.strftime("%Y-%m")
    stored.delete_arrow_entry(archer.id, entry_id)
    flash(_("The entry is deleted."))
    return redirect(url_for("training.log", month=month), 303)


# -- equipment -----------------------------------------------------------------------


def _equipment_page(
    bow_form: Parsed | None = None,
    arrow_form: Parsed | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    archer = required_archer()
    page = render_template(
        "equipment.html",
        bows=stored.bows(archer.id),
        arrow_sets=stored.arrow_sets(archer.id),
        bow_form=bow_form or Parsed(values={"bowstyle": archer.bowstyle}),
        arrow_form=arrow_form or Parsed(),
        bowstyles=bow_names(),
    )
    return page, status


@bp.get("/equipment")
@login_required
def equipment() -> ResponseReturnValue:
    return _equipment_page()


@bp.post("/equipment/bows")
@login_required
def add_bow() -> ResponseReturnValue:
    form = parse_bow(request.form)
    if not form.errors:
        try:
            stored.add_bow(required_archer().id, form.values)
        except stored.TooMany as exc:
            form.errors["name"] = _(
                "You keep %(count)s bows, the most there can be: delete one first.",
                count=exc.most,
            )
    if form.errors:
        return _equipment_page(bow_form=form, status=400)
    flash(_("The bow %(name)s is added.", name=form.values["name"]))
    return redirect(url_for("training.equipment"), 303)


@bp.post("/equipment/arrows")
@login_required
def add_arrow_set() -> ResponseReturnValue:
    form = parse_arrow_set(request.form)
    if not form.errors:
        try:
            stored.add_arrow_set(required_archer().id, form.values)
        except stored.TooMany as exc:
            form.errors["model"] = _(
                "You keep %(count)s arrow sets, the most there can be: delete one"
                " first.",
                count=exc.most,
            )
    if form.errors:
        return _equipment_page(arrow_form=form, status=400)
    flash(_("The arrows %(model)s are added.", model=form.values["model"]))
    return redirect(url_for("training.equipment"), 303)


def _own_bow(bow_id: int) -> Bow:
    bow = stored.bow(required_archer().id, bow_id)
    if bow is None:
        abort(404)
    return bow


def _own_arrow_set(set_id: int) -> ArrowSet:
    arrows = stored.arrow_set(required_archer().id, set_id)
    if arrows is None:
        abort(404)
    return arrows


@bp.route("/equipment/bows/<int:bow_id>", methods=["GET", "POST"])
@login_required
def edit_bow(bow_id: int) -> ResponseReturnValue:
    bow = _own_bow(bow_id)
    if request.method == "GET":
        values = {
            n: getattr(bow, n) for n in ("name", "bowstyle", "draw_weight", "notes")
        }
        form = Parsed(values=values)
    else:
        form = parse_bow(request.form)
        if not form.errors:
            stored.update_bow(required_archer().id, bow_id, form.values)
            flash(_("The bow %(name)s is changed.", name=form.values["name"]))
            return redirect(url_for("training.equipment"), 303)
    page = render_template(
        "equipment_bow.html", bow=bow, form=form, bowstyles=bow_names()
    )
    return page, 400 if form.errors else 200


@bp.post("/equipment/bows/<int:bow_id>/delete")
@login_required
def delete_bow(bow_id: int) -> ResponseReturnValue:
    bow = _own_bow(bow_id)
    stored.delete_bow(required_archer().id, bow_id)
    flash(_("The bow %(name)s and its sight marks are deleted.", name=bow.name))
    return redirect(url_for("training.equipment"), 303)


@bp.route("/equipment/arrows/<int:set_id>", methods=["GET", "POST"])
@login_required
def edit_arrow_set(set_id: int) -> ResponseReturnValue:
    arrows = _own_arrow_set(set_id)
    if request.method == "GET":
        values = {
            n: getattr(arrows, n) for n in ("model", "diameter", "count", "notes")
        }
        form = Parsed(values=values)
    else:
        form = parse_arrow_set(request.form)
        if not form.errors:
            stored.update_arrow_set(required_archer().id, set_id, form.values)
            flash(_("The arrows %(model)s are changed.", model=form.values["model"]))
            return redirect(url_for("training.equipment"), 303)
    page = render_template("equipment_arrows.html", arrows=arrows, form=form)
    return page, 400 if form.errors else 200


@bp.post("/equipment/arrows/<int:set_id>/delete")
@login_required
def delete_arrow_set(set_id: int) -> ResponseReturnValue:
    arrows = _own_arrow_set(set_id)
    stored.delete_arrow_set(required_archer().id, set_id)
    flash(_("The arrows %(model)s are deleted.", model=arrows.model))
    return redirect(url_for("training.equipment"), 303)


# -- the equipment a match is shot with ------------------------------------------------


def equipment_choices() -> dict[str, Any] | None:
    """For the new-match form: the signed-in archer's bows and arrow sets,
    and the ones their last match noted (None: nobody signed in)."""
    archer = signed_in_archer()
    if archer is None:
        return None
    bow_id, arrow_set_id = stored.last_used(archer.id)
    wanted = request.values
    return {
        "bows": stored.bows(archer.id),
        "arrow_sets": stored.arrow_sets(archer.id),
        "bow": str(wanted.get("bow_id", bow_id or "")),
        "arrow_set": str(wanted.get("arrow_set_id", arrow_set_id or "")),
    }


# -- sight marks ---------------------------------------------------------------------


@dataclass(frozen=True)
class CardLine:
    """A line of the bow card: a distance, its mark, measured or estimated."""

    label: str
    metres: float
    mark: float | None
    margin: float | None
    measured: bool
    extrapolated: bool = False
    date: date | None = None


def _label(distance: float, unit: str) -> str:
    return f"{format_decimal(round(distance, 1))} {unit}"


def standard_distances(bowstyle: str) -> list[tuple[float, str]]:
    """The distances (as named: value and unit) of the rounds the new-match
    form offers, for that bow: what a bow card lists."""
    from ...engine import get_round
    from ...services.setups import COMMON_ROUNDS

    found: set[tuple[float, str]] = set()
    for codes in COMMON_ROUNDS.values():
        for code in codes:
            if (code.endswith("_c") and bowstyle != "compound") or (
                code.endswith("_b") and bowstyle != "barebow"
            ):
                continue
            for distance in get_round(code, bow=bowstyle).distances:
                value = (
                    distance.metres / sightmarks.YARD
                    if distance.unit == "yd"
                    else distance.metres
                )
                found.add((round(value, 1), distance.unit))
    return sorted(found, key=lambda d: sightmarks.metres(*d))


def bow_card(
    archer_id: int, bow: Bow
) -> tuple[list[CardLine], sightmarks.SightCurve | None]:
    """Every distance of the bow's rounds and of its marks, nearest first:
    the latest mark measured there, or the curve's estimate (and how sure it
    is), or nothing when the marks do not reach that far."""
    latest: dict[tuple[float, str], Any] = {}
    for mark in stored.sight_marks(archer_id, bow.id):
        key = (round(mark.distance, 1), mark.unit)
        if key not in latest:  # newest first at a distance
            latest[key] = mark
    curve = sightmarks.fit(
        sightmarks.Mark(sightmarks.metres(d, unit), m.mark)
        for (d, unit), m in latest.items()
    )
    distances = set(latest) | set(standard_distances(bow.bowstyle))
    lines = []
    for value, unit in sorted(distances, key=lambda d: sightmarks.metres(*d)):
        at = sightmarks.metres(value, unit)
        if (value, unit) in latest:
            mark = latest[(value, unit)]
            lines.append(
                CardLine(
                    _label(value, unit), at, mark.mark, None, True, date=mark.shot_on
                )
            )
            continue
        estimate = curve.estimate(at) if curve is not None else None
        if estimate is None:
            lines.append(CardLine(_label(value, unit), at, None, None, False))
        else:
            lines.append(
                CardLine(
                    _label(value, unit),
                    at,
                    estimate.value,
                    estimate.margin,
                    False,
                    estimate.extrapolated,
                )
            )
    return lines, curve


def _marks_page(
    bow: Bow, form: Parsed | None = None, status: int = 200
) -> ResponseReturnValue:
    archer = required_archer()
    lines, curve = bow_card(archer.id, bow)
    page = render_template(
        "sight_marks.html",
        bow=bow,
        marks=stored.sight_marks(archer.id, bow.id),
        lines=lines,
        curve=curve,
        form=form or Parsed(values={"unit": "m", "shot_on": today()}),
        units=unit_names(),
    )
    return page, status


@bp.get("/equipment/bows/<int:bow_id>/sight-marks")
@login_required
def sight_marks(bow_id: int) -> ResponseReturnValue:
    return _marks_page(_own_bow(bow_id))


@bp.post("/equipment/bows/<int:bow_id>/sight-marks")
@login_required
def add_sight_mark(bow_id: int) -> ResponseReturnValue:
    bow = _own_bow(bow_id)
    form = parse_sight_mark(request.form, today())
    if not form.errors:
        try:
            stored.add_sight_mark(required_archer().id, bow_id, form.values)
        except stored.TooMany as exc:
            form.errors["distance"] = _(
                "This bow holds %(count)s sight marks, the most there can be:"
                " delete old ones first.",
                count=exc.most,
            )
    if form.errors:
        return _marks_page(bow, form, 400)
    flash(_("The sight mark is added."))
    return redirect(url_for("training.sight_marks", bow_id=bow_id), 303)


@bp.route("/sight-marks/<int:mark_id>", methods=["GET", "POST"])
@login_required
def edit_sight_mark(mark_id: int) -> ResponseReturnValue:
    archer = required_archer()
    mark = stored.sight_mark(archer.id, mark_id)
    if mark is None:
        abort(404)
    bow = _own_bow(mark.bow_id)
    if request.method == "GET":
        names = ("distance", "unit", "mark", "shot_on", "notes")
        form = Parsed(values={n: getattr(mark, n) for n in names})
    else:
        form = parse_sight_mark(request.form, today())
        if not form.errors:
            stored.update_sight_mark(archer.id, mark_id, form.values)
            flash(_("The sight mark is changed."))
            return redirect(url_for("training.sight_marks", bow_id=bow.id), 303)
    page = render_template(
        "sight_mark.html", bow=bow, mark=mark, form=form, units=unit_names()
    )
    return page, 400 if form.errors else 200


@bp.post("/sight-marks/<int:mark_id>/delete")
@login_required
def delete_sight_mark(mark_id: int) -> ResponseReturnValue:
    archer = required_archer()
    mark = stored.sight_mark(archer.id, mark_id)
    if mark is None:
        abort(404)
    bow_id = mark.bow_id
    stored.delete_sight_mark(archer.id, mark_id)
    flash(_("The sight mark is deleted."))
    return redirect(url_for("training.sight_marks", bow_id=bow_id), 303)


@bp.get("/equipment/bows/<int:bow_id>/card")
@login_required
def card(bow_id: int) -> ResponseReturnValue:
    bow = _own_bow(bow_id)
    lines, curve = bow_card(required_archer().id, bow)
    return render_template(
        "bow_card.html",
        bow=bow,
        lines=lines,
        curve=curve,
        bowstyles=bow_names(),
        today=today(),
    )
