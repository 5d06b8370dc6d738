"""Team and mixed-team matches against ghosts (owned as matches are).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

One new table: no existing row is changed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_matches",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_key", sa.String(length=64), nullable=False),
        sa.Column("archer_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("bow", sa.String(length=16), nullable=False),
        sa.Column("indoor", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("system", sa.String(length=16), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["archer_id"],
            ["archers.id"],
            name=op.f("fk_team_matches_archer_id_archers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_matches")),
    )
    op.create_index(
        op.f("ix_team_matches_archer_id"), "team_matches", ["archer_id"], unique=False
    )
    op.create_index(
        op.f("ix_team_matches_owner_key"), "team_matches", ["owner_key"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_team_matches_owner_key"), table_name="team_matches")
    op.drop_index(op.f("ix_team_matches_archer_id"), table_name="team_matches")
    op.drop_table("team_matches")
