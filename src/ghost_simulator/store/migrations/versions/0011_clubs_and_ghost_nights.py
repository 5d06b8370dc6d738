"""Clubs, their members and invitations, and ghost nights with each member's
match.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

Five new tables: no existing row is changed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _created() -> sa.Column:
    return sa.Column(
        "created_at",
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "clubs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("location", sa.String(length=100), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=True),
        _created(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clubs")),
    )
    op.create_table(
        "club_members",
        sa.Column("club_id", sa.String(length=32), nullable=False),
        sa.Column("archer_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column(
            "shown_as", sa.String(length=8), server_default="initials", nullable=False
        ),
        sa.Column(
            "shares_history", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.Column(
            "joined_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["archer_id"],
            ["archers.id"],
            name=op.f("fk_club_members_archer_id_archers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["clubs.id"],
            name=op.f("fk_club_members_club_id_clubs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("club_id", "archer_id", name=op.f("pk_club_members")),
    )
    op.create_index(
        op.f("ix_club_members_archer_id"), "club_members", ["archer_id"], unique=False
    )
    op.create_index(
        op.f("ix_club_members_club_id"), "club_members", ["club_id"], unique=False
    )
    op.create_table(
        "club_invites",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("club_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _created(),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["clubs.id"],
            name=op.f("fk_club_invites_club_id_clubs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["archers.id"],
            name=op.f("fk_club_invites_created_by_archers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_club_invites")),
    )
    op.create_index(
        op.f("ix_club_invites_club_id"), "club_invites", ["club_id"], unique=False
    )
    op.create_table(
        "ghost_nights",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("club_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("match", sa.JSON(), nullable=False),
        sa.Column("ranking", sa.String(length=16), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["clubs.id"],
            name=op.f("fk_ghost_nights_club_id_clubs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["archers.id"],
            name=op.f("fk_ghost_nights_created_by_archers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ghost_nights")),
    )
    op.create_index(
        op.f("ix_ghost_nights_club_id"), "ghost_nights", ["club_id"], unique=False
    )
    op.create_table(
        "night_entries",
        sa.Column("night_id", sa.String(length=32), nullable=False),
        sa.Column("archer_id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.String(length=32), nullable=False),
        sa.Column(
            "joined_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["archer_id"],
            ["archers.id"],
            name=op.f("fk_night_entries_archer_id_archers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name=op.f("fk_night_entries_match_id_matches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["night_id"],
            ["ghost_nights.id"],
            name=op.f("fk_night_entries_night_id_ghost_nights"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("night_id", "archer_id", name=op.f("pk_night_entries")),
        sa.UniqueConstraint("match_id", name=op.f("uq_night_entries_match_id")),
    )
    op.create_index(
        op.f("ix_night_entries_archer_id"), "night_entries", ["archer_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_night_entries_archer_id"), table_name="night_entries")
    op.drop_table("night_entries")
    op.drop_index(op.f("ix_ghost_nights_club_id"), table_name="ghost_nights")
    op.drop_table("ghost_nights")
    op.drop_index(op.f("ix_club_invites_club_id"), table_name="club_invites")
    op.drop_table("club_invites")
    op.drop_index(op.f("ix_club_members_club_id"), table_name="club_members")
    op.drop_index(op.f("ix_club_members_archer_id"), table_name="club_members")
    op.drop_table("club_members")
    op.drop_table("clubs")
