"""A set match's set points in its summary, for the history.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

Two new columns, filled for every stored set match by replaying its state (a
state that cannot be read keeps them empty); other matches keep them empty.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = ("archer_set_points", "ghost_set_points")


def upgrade() -> None:
    with op.batch_alter_table("matches") as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
    _fill()


def _fill() -> None:
    from ghost_simulator.engine import Match

    connection = op.get_bind()
    matches = sa.table(
        "matches",
        sa.column("id", sa.String),
        sa.column("kind", sa.String),
        sa.column("state", sa.JSON),
        *(sa.column(name, sa.Integer) for name in COLUMNS),
    )
    rows = connection.execute(
        sa.select(matches.c.id, matches.c.state).where(matches.c.kind == "set")
    )
    for match_id, state in rows.all():
        try:
            summary = Match.from_dict(state).summary()
        except (ValueError, KeyError, TypeError):
            continue
        values: dict[str, Any] = {name: summary[name] for name in COLUMNS}
        connection.execute(
            matches.update().where(matches.c.id == match_id).values(**values)
        )


def downgrade() -> None:
    with op.batch_alter_table("matches") as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
