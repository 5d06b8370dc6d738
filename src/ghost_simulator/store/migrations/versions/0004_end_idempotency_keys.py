"""Idempotency keys for ends (a phone's offline ends sent exactly once).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

A new table only: no existing row is changed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "end_keys",
        sa.Column("match_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("end_number", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name=op.f("fk_end_keys_match_id_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("match_id", "key", name=op.f("pk_end_keys")),
    )


def downgrade() -> None:
    op.drop_table("end_keys")
