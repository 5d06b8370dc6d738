"""Postal leagues: a club's season of ghost nights with standings over it;
each night of a league knows its league and its week.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

One new table, and two new nullable columns on ``ghost_nights`` (every
existing night is a night of its own: no existing row is changed).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leagues",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("club_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("best", sa.Integer(), nullable=False),
        sa.Column("ranking", sa.String(length=16), nullable=False),
        sa.Column("nights", sa.Integer(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["clubs.id"],
            name=op.f("fk_leagues_club_id_clubs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["archers.id"],
            name=op.f("fk_leagues_created_by_archers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leagues")),
    )
    op.create_index(op.f("ix_leagues_club_id"), "leagues", ["club_id"], unique=False)
    with op.batch_alter_table("ghost_nights") as batch_op:
        batch_op.add_column(sa.Column("league_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("league_week", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_ghost_nights_league_id_leagues"),
            "leagues",
            ["league_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(
            batch_op.f("ix_ghost_nights_league_id"), ["league_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ghost_nights") as batch_op:
        batch_op.drop_index(batch_op.f("ix_ghost_nights_league_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_ghost_nights_league_id_leagues"), type_="foreignkey"
        )
        batch_op.drop_column("league_week")
        batch_op.drop_column("league_id")
    op.drop_index(op.f("ix_leagues_club_id"), table_name="leagues")
    op.drop_table("leagues")
