"""Webhook secrets sealed at rest (Fernet, key derived from PARLEY_SECRET_KEY).

Revision ID: 0005
Revises: 0004

A sealed secret is longer than the clear one, so the column widens first.
Sealing needs the secret key the service will open them with: ``parley db
upgrade`` passes it (``upgrade_database(..., secret_key=...)``). Without one,
a database that has webhooks is left untouched and the upgrade stops, rather
than sealing them with a key nobody has. The downgrade opens them again.
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_webhooks = sa.table("webhooks", sa.column("id", sa.Integer), sa.column("secret", sa.String))


def _secret_key_for(conn) -> str | None:
    """The key, checked before anything changes: SQLite cannot roll back a table rebuild."""
    if conn.execute(sa.select(sa.func.count()).select_from(_webhooks)).scalar() == 0:
        return None
    secret_key = context.config.attributes.get("secret_key")
    if not secret_key:
        raise RuntimeError(
            "migration 0005 seals webhook secrets with PARLEY_SECRET_KEY: "
            "run it with `parley db upgrade` and the key set"
        )
    return secret_key


def _rewrite(conn, change) -> None:
    for row_id, value in conn.execute(sa.select(_webhooks.c.id, _webhooks.c.secret)).all():
        conn.execute(
            _webhooks.update().where(_webhooks.c.id == row_id).values(secret=change(value))
        )


def upgrade() -> None:
    from service.notifications.sealed_secrets import seal

    conn = op.get_bind()
    secret_key = _secret_key_for(conn)
    with op.batch_alter_table("webhooks") as batch:
        batch.alter_column("secret", type_=sa.String(512), existing_type=sa.String(128))
    if secret_key:
        # Clear secrets begin with whsec_; a sealed one never does (Fernet's base64).
        _rewrite(conn, lambda v: seal(secret_key, v) if v.startswith("whsec_") else v)


def downgrade() -> None:
    from service.notifications.sealed_secrets import unseal

    conn = op.get_bind()
    secret_key = _secret_key_for(conn)
    if secret_key:
        _rewrite(conn, lambda v: v if v.startswith("whsec_") else unseal(secret_key, v))
    with op.batch_alter_table("webhooks") as batch:
        batch.alter_column("secret", type_=sa.String(128), existing_type=sa.String(512))
