"""comments.simhash: a 64-bit SimHash of the body, for the near-duplicate check.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: comments stored before this revision are compared by their text instead.
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("simhash", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("simhash")
