"""The training log: bows, arrow sets, sight marks, arrows counted by hand,
and the equipment a match was shot with.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

New tables, and two empty columns on matches: no existing row is changed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at",
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        nullable=False,
    )


def _archer(table: str) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    return (
        sa.Column("archer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["archer_id"],
            ["archers.id"],
            name=op.f(f"fk_{table}_archer_id_archers"),
            ondelete="CASCADE",
        ),
    )


def upgrade() -> None:
    op.create_table(
        "bows",
        sa.Column("id", sa.Integer(), nullable=False),
        *_archer("bows"),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("bowstyle", sa.String(length=16), nullable=False),
        sa.Column("draw_weight", sa.Float(), nullable=True),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bows")),
    )
    op.create_index(op.f("ix_bows_archer_id"), "bows", ["archer_id"], unique=False)
    op.create_table(
        "arrow_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        *_archer("arrow_sets"),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("diameter", sa.Float(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arrow_sets")),
    )
    op.create_index(
        op.f("ix_arrow_sets_archer_id"), "arrow_sets", ["archer_id"], unique=False
    )
    op.create_table(
        "sight_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bow_id", sa.Integer(), nullable=False),
        sa.Column("distance", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=2), nullable=False),
        sa.Column("mark", sa.Float(), nullable=False),
        sa.Column("shot_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=True),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["bow_id"],
            ["bows.id"],
            name=op.f("fk_sight_marks_bow_id_bows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sight_marks")),
    )
    op.create_index(
        op.f("ix_sight_marks_bow_id"), "sight_marks", ["bow_id"], unique=False
    )
    op.create_table(
        "arrow_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        *_archer("arrow_entries"),
        sa.Column("shot_on", sa.Date(), nullable=False),
        sa.Column("arrows", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.String(length=200), nullable=True),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arrow_entries")),
    )
    op.create_index(
        "ix_arrow_entries_archer_day",
        "arrow_entries",
        ["archer_id", "shot_on"],
        unique=False,
    )
    with op.batch_alter_table("matches") as batch_op:
        batch_op.add_column(sa.Column("bow_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("arrow_set_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_matches_bow_id_bows"),
            "bows",
            ["bow_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_matches_arrow_set_id_arrow_sets"),
            "arrow_sets",
            ["arrow_set_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("matches") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_matches_arrow_set_id_arrow_sets"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_matches_bow_id_bows"), type_="foreignkey"
        )
        batch_op.drop_column("arrow_set_id")
        batch_op.drop_column("bow_id")
    op.drop_index("ix_arrow_entries_archer_day", table_name="arrow_entries")
    op.drop_table("arrow_entries")
    op.drop_index(op.f("ix_sight_marks_bow_id"), table_name="sight_marks")
    op.drop_table("sight_marks")
    op.drop_index(op.f("ix_arrow_sets_archer_id"), table_name="arrow_sets")
    op.drop_table("arrow_sets")
    op.drop_index(op.f("ix_bows_archer_id"), table_name="bows")
    op.drop_table("bows")
