"""Moments as the databases give them back."""

from __future__ import annotations

from datetime import UTC, datetime


def aware(moment: datetime) -> datetime:
    """SQLite keeps no time zone: what it returns was stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
