"""Sign-ins kept on the server, and row ids that are never given out twice.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

A session used to name its archer by the archer's id and a counter that
started at 0 for every account. SQLite gives a deleted row's id to the next
row, so a browser still signed in to a deleted account was signed in to the
next account registered. Now a session names a sign-in: a random token, kept
here as its SHA-256, that belongs to one account for its whole life and ends
when that browser signs out (or every other one does, or the account goes).

On SQLite the tables with integer ids are rebuilt with ``AUTOINCREMENT``,
which never hands out an id again (PostgreSQL's sequences never did). The
rebuild copies every row and keeps every id; ``store.migrate`` turns SQLite's
foreign keys off while it runs, so that no child row is touched, and checks
them all before it commits. ``archers.session_version`` goes: the sign-ins
replace it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: Every table whose primary key is an integer the database chooses.
INTEGER_ID_TABLES = (
    "archers",
    "api_tokens",
    "bows",
    "arrow_sets",
    "sight_marks",
    "arrow_entries",
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in INTEGER_ID_TABLES:
        with op.batch_alter_table(
            table,
            recreate="always" if sqlite else "auto",
            table_kwargs={"sqlite_autoincrement": True},
        ) as batch:
            if table == "archers":
                batch.drop_column("session_version")
    op.create_table(
        "sign_ins",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("archer_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["archer_id"],
            ["archers.id"],
            name=op.f("fk_sign_ins_archer_id_archers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sign_ins")),
    )
    op.create_index(
        op.f("ix_sign_ins_archer_id"), "sign_ins", ["archer_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_ins_archer_id"), table_name="sign_ins")
    op.drop_table("sign_ins")
    with op.batch_alter_table("archers") as batch:
        batch.add_column(
            sa.Column(
                "session_version", sa.Integer(), server_default="0", nullable=False
            )
        )
