"""Migrations build the schema the models describe, from empty, on both databases."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from service.models import Base
from service.runtime import make_engine


def test_migrated_schema_matches_the_models(db_url):
    # db_url is a database built by `alembic upgrade head` from empty.
    engine = make_engine(db_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert diff == []
    assert version is not None


def test_upgrade_from_empty_and_downgrade_to_empty(tmp_path):
    from alembic import command
    from alembic.config import Config

    from service.cli import PROJECT_ROOT, upgrade_database

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    assert {"comments", "sites", "threads", "check_results", "moderation_events"} <= set(
        sa.inspect(engine).get_table_names()
    )
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.downgrade(config, "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_status_check_constraint_rejects_unknown_status(db_url, site, rt):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from service.models import Comment, Thread

    with rt.session() as session:
        thread = Thread(site_id=site.id, key="/k")
        session.add(thread)
        session.flush()
        session.add(
            Comment(
                thread_id=thread.id,
                site_id=site.id,
                body_source="x",
                body_html="x",
                simhash=0,
                status="maybe",
            )
        )
        with pytest.raises(IntegrityError):
            session.commit()


def test_0004_gives_old_comments_their_site_and_simhash(db_url):
    from datetime import UTC, datetime

    from alembic import command
    from alembic.config import Config

    from service.cli import PROJECT_ROOT, upgrade_database
    from service.similarity import simhash

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", db_url.replace("%", "%%"))
    command.downgrade(config, "0003")
    engine = make_engine(db_url)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for site_id in (1, 2):
            conn.execute(
                sa.text(
                    "INSERT INTO sites (id, slug, name, allowed_origins, policy, created_at)"
                    " VALUES (:id, :slug, 'S', '[]', '{}', :now)"
                ),
                {"id": site_id, "slug": f"s{site_id}", "now": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO threads (id, site_id, key, created_at)"
                    " VALUES (:id, :site, '/a', :now)"
                ),
                {"id": site_id * 10, "site": site_id, "now": now},
            )
        for cid, thread_id in ((1, 10), (2, 20)):
            # A comment stored before 0003 computed SimHashes: simhash NULL.
            conn.execute(
                sa.text(
                    "INSERT INTO comments (id, thread_id, body_source, body_html, status, depth,"
                    " client, created_at, updated_at) VALUES (:id, :thread, :body, '', 'published',"
                    " 0, '{}', :now, :now)"
                ),
                {
                    "id": cid,
                    "thread": thread_id,
                    "body": f"an old comment number {cid}",
                    "now": now,
                },
            )
    upgrade_database(db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, site_id, simhash FROM comments ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [
        (1, 1, simhash("an old comment number 1")),
        (2, 2, simhash("an old comment number 2")),
    ]
