"""Competition days: a field, the archer's qualification score, and the day's
matches by stage (owned as matches are).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

Two new tables: no existing row is changed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "competition_days",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_key", sa.String(length=64), nullable=False),
        sa.Column("archer_id", sa.Integer(), nullable=True),
        sa.Column("bow", sa.String(length=16), nullable=False),
        sa.Column("indoor", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("round_code", sa.String(length=64), nullable=False),
        sa.Column("scheme", sa.String(length=8), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("field_source", sa.String(length=16), nullable=False),
        sa.Column("field", sa.JSON(), nullable=False),
        sa.Column("archer_name", sa.String(length=100), nullable=False),
        sa.Column("archer_score", sa.Float(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["archer_id"],
            ["archers.id"],
            name=op.f("fk_competition_days_archer_id_archers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_days")),
    )
    op.create_index(
        op.f("ix_competition_days_archer_id"),
        "competition_days",
        ["archer_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_competition_days_owner_key"),
        "competition_days",
        ["owner_key"],
        unique=False,
    )
    op.create_table(
        "day_matches",
        sa.Column("day_id", sa.String(length=32), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("match_id", sa.String(length=32), nullable=False),
        sa.Column("opponent", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["day_id"],
            ["competition_days.id"],
            name=op.f("fk_day_matches_day_id_competition_days"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name=op.f("fk_day_matches_match_id_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("day_id", "stage", name=op.f("pk_day_matches")),
        sa.UniqueConstraint("match_id", name=op.f("uq_day_matches_match_id")),
    )


def downgrade() -> None:
    op.drop_table("day_matches")
    op.drop_index(op.f("ix_competition_days_owner_key"), table_name="competition_days")
    op.drop_index(op.f("ix_competition_days_archer_id"), table_name="competition_days")
    op.drop_table("competition_days")
