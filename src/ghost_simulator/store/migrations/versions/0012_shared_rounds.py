"""Shared rounds: an archer's finished ranking round shared with a club or
as a link (only the link token's SHA-256 is kept), until revoked.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

One new table: no existing row is changed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shared_rounds",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("archer_id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.String(length=32), nullable=False),
        sa.Column("club_id", sa.String(length=32), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["archer_id"],
            ["archers.id"],
            name=op.f("fk_shared_rounds_archer_id_archers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name=op.f("fk_shared_rounds_match_id_matches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["clubs.id"],
            name=op.f("fk_shared_rounds_club_id_clubs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_rounds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_shared_rounds_token_hash")),
    )
    op.create_index(
        op.f("ix_shared_rounds_archer_id"), "shared_rounds", ["archer_id"], unique=False
    )
    op.create_index(
        op.f("ix_shared_rounds_club_id"), "shared_rounds", ["club_id"], unique=False
    )
    op.create_index(
        op.f("ix_shared_rounds_match_id"), "shared_rounds", ["match_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_shared_rounds_match_id"), table_name="shared_rounds")
    op.drop_index(op.f("ix_shared_rounds_club_id"), table_name="shared_rounds")
    op.drop_index(op.f("ix_shared_rounds_archer_id"), table_name="shared_rounds")
    op.drop_table("shared_rounds")
