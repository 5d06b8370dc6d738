"""Ghost ladders: a ladder (its format, target win rate and starting level,
owned as matches are) and the matches shot on it, in order.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

Two new tables: no existing row is changed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ladders",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_key", sa.String(length=64), nullable=False),
        sa.Column("archer_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("bow", sa.String(length=16), nullable=False),
        sa.Column("indoor", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("round_code", sa.String(length=64), nullable=True),
        sa.Column("scheme", sa.String(length=8), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("start_level", sa.Float(), nullable=False),
        sa.Column("start_source", sa.String(length=16), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["archer_id"],
            ["archers.id"],
            name=op.f("fk_ladders_archer_id_archers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ladders")),
    )
    op.create_index(
        op.f("ix_ladders_archer_id"), "ladders", ["archer_id"], unique=False
    )
    op.create_index(
        op.f("ix_ladders_owner_key"), "ladders", ["owner_key"], unique=False
    )
    op.create_table(
        "ladder_matches",
        sa.Column("ladder_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.String(length=32), nullable=False),
        sa.Column("ghost_handicap", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ladder_id"],
            ["ladders.id"],
            name=op.f("fk_ladder_matches_ladder_id_ladders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name=op.f("fk_ladder_matches_match_id_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ladder_id", "number", name=op.f("pk_ladder_matches")),
        sa.UniqueConstraint("match_id", name=op.f("uq_ladder_matches_match_id")),
    )


def downgrade() -> None:
    op.drop_table("ladder_matches")
    op.drop_index(op.f("ix_ladders_owner_key"), table_name="ladders")
    op.drop_index(op.f("ix_ladders_archer_id"), table_name="ladders")
    op.drop_table("ladders")
