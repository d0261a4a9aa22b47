"""Real dependency outages for tests: connections refused by the server itself."""

from __future__ import annotations

import sqlalchemy as sa


def database_outage(db_url: str, postgres_url: str):
    """Turn connections to this test's PostgreSQL database away, and back on: a real outage."""
    name = sa.engine.make_url(db_url).database
    admin = sa.create_engine(
        postgres_url.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )

    def outage(on: bool) -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(not on)}'))
            if on:
                conn.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )

    return outage, admin
