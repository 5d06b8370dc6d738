"""Archers' profiles, and a summary of each match for the history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Every row made by release 0001 is kept: the new columns are filled from the
stored state of each match (a state that cannot be read keeps them empty).
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def archer_columns() -> list[sa.Column[Any]]:
    """Fresh columns each time: a column belongs to one table."""
    return [
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column(
            "bowstyle", sa.String(length=16), server_default="recurve", nullable=False
        ),
        sa.Column("sex", sa.String(length=8), nullable=True),
        sa.Column(
            "age_class", sa.String(length=16), server_default="adult", nullable=False
        ),
        sa.Column(
            "season", sa.String(length=8), server_default="outdoor", nullable=False
        ),
        sa.Column("default_round", sa.String(length=64), nullable=True),
        sa.Column("scheme", sa.String(length=8), server_default="AGB", nullable=False),
        sa.Column("session_version", sa.Integer(), server_default="0", nullable=False),
    ]


def match_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("bow", sa.String(length=16), nullable=True),
        sa.Column("half", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("ghost_kind", sa.String(length=16), nullable=True),
        sa.Column("ghost_handicap", sa.Float(), nullable=True),
        sa.Column("model", sa.Integer(), nullable=True),
        sa.Column("archer_total", sa.Integer(), nullable=True),
        sa.Column("ghost_total", sa.Integer(), nullable=True),
        sa.Column("ends_shot", sa.Integer(), server_default="0", nullable=False),
        sa.Column("arrows_shot", sa.Integer(), server_default="0", nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=True),
        sa.Column("archer_handicap", sa.Float(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("archers") as batch_op:
        for column in archer_columns():
            batch_op.add_column(column)
    with op.batch_alter_table("matches") as batch_op:
        for column in match_columns():
            batch_op.add_column(column)
        batch_op.create_index(
            "ix_matches_archer_created", ["archer_id", "created_at"], unique=False
        )
    _fill_summaries()


def _fill_summaries() -> None:
    from ghost_simulator.engine import Match

    connection = op.get_bind()
    matches = sa.table(
        "matches",
        sa.column("id", sa.String),
        sa.column("state", sa.JSON),
        sa.column("status", sa.String),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        *(sa.column(c.name, c.type) for c in match_columns()),
    )
    rows = connection.execute(
        sa.select(matches.c.id, matches.c.state, matches.c.status, matches.c.updated_at)
    ).all()
    for match_id, state, status, updated_at in rows:
        try:
            summary = Match.from_dict(state).summary()
        except (ValueError, KeyError, TypeError):
            continue  # an unreadable state keeps no summary
        # Only this revision's columns (a later summary has more).
        values: dict[str, Any] = {
            c.name: summary[c.name] for c in match_columns() if c.name in summary
        }
        if status in ("won", "lost", "tied"):
            values["finished_at"] = updated_at
        connection.execute(
            matches.update().where(matches.c.id == match_id).values(**values)
        )


def downgrade() -> None:
    with op.batch_alter_table("matches") as batch_op:
        batch_op.drop_index("ix_matches_archer_created")
        for column in reversed(match_columns()):
            batch_op.drop_column(column.name)
    with op.batch_alter_table("archers") as batch_op:
        for column in reversed(archer_columns()):
            batch_op.drop_column(column.name)
