"""Isso (JSON and its SQLite database), Commento/Comentario, Remark42's backup, Parley's own
format; export as Parley JSON lines and WXR, each round-tripping into an empty site."""

from __future__ import annotations

import gzip
import json
import sqlite3

import sqlalchemy as sa

from service.models import Comment, Site, Thread

WPTT = "wptt-themeunittestdata.wordpress.xml"


def test_isso_generic_json(parley, import_data, stored):
    report = parley(
        "import", "isso", str(import_data / "isso-tests-generic.json"), "--site", "demo", "--json"
    ).report
    assert report["imported"] == 2 and report["threads"] == 2
    comments, threads = stored()
    assert set(threads) == {"/posts/0001/", "/posts/0007/"}
    bodies = sorted(c.body_html for c in comments.values())
    assert bodies[0].startswith("<p>") and "free online poker" in " ".join(bodies)
    # Isso's anonymised 0.0.0.0 is no address: nothing to hash.
    assert all(c.ip_hash is None for c in comments.values())


def _isso_db(path):
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR UNIQUE, title VARCHAR);
        CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY,
            parent INTEGER, created FLOAT NOT NULL, modified FLOAT, mode INTEGER,
            remote_addr VARCHAR, text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
            likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
            notification INTEGER NOT NULL DEFAULT 0);
        INSERT INTO threads VALUES (1, '/notes/one/', 'One'), (2, '/notes/two/index.html', 'Two');
        INSERT INTO comments (tid, id, parent, created, mode, remote_addr, text, author, voters)
        VALUES (1, 1, NULL, 1600000000.5, 1, '192.0.2.0', 'First *post*', 'Ann', x''),
               (1, 2, 1, 1600000100, 4, '192.0.2.0', '', NULL, x''),
               (1, 3, 2, 1600000200, 1, '192.0.2.0', 'reply to a deleted one', 'Bob', x''),
               (2, 4, NULL, 1600000300, 2, '192.0.2.0', 'waiting', 'Cy', x''),
               (2, 5, NULL, 1600000400, 4, '192.0.2.0', '', NULL, x'');
        """
    )
    conn.commit()
    conn.close()


def test_isso_sqlite_database(parley, stored, tmp_path):
    _isso_db(tmp_path / "comments.db")
    report = parley(
        "import", "isso", str(tmp_path / "comments.db"), "--site", "demo", "--json"
    ).report
    assert report["statuses"] == {"published": 2, "held": 1, "spam": 0, "deleted": 1}
    assert report["skipped_reasons"] == {"deleted": 1}
    comments, threads = stored()
    assert set(threads) == {"/notes/one/", "/notes/two/"}
    first = comments["/notes/one/#1"]
    assert "<em>post</em>" in first.body_html and first.created_at.year == 2020
    assert comments["/notes/one/#3"].parent_id == comments["/notes/one/#2"].id
    assert comments["/notes/one/#2"].deleted_at is not None


def test_commento_json(parley, import_data, stored):
    report = parley(
        "import",
        "commento",
        str(import_data / "remark42-migrator-commento.json"),
        "--site",
        "demo",
        "--json",
    ).report
    assert report["imported"] == 3 and report["threads"] == 2
    comments, threads = stored()
    assert set(threads) == {"/blog/post/1", "/blog/post/2"}
    reply = next(c for c in comments.values() if c.parent_id)
    assert reply.body_source == "Great reply!" and reply.author_email == "moregreatmail@gmail.com"
    anonymous = next(c for c in comments.values() if c.thread_id == threads["/blog/post/2"].id)
    assert anonymous.author_name is None


def test_comentario_v3_json(parley, stored, tmp_path):
    export = {
        "version": 3,
        "pages": [{"id": "p1", "path": "/a/", "title": "A"}],
        "commenters": [{"id": "u1", "name": "Una", "email": "u@example.com"}],
        "comments": [
            {
                "id": "c1",
                "pageId": "p1",
                "markdown": "top",
                "createdTime": "2024-01-01T00:00:00Z",
                "isApproved": True,
                "userCreated": "u1",
            },
            {
                "id": "c2",
                "pageId": "p1",
                "parentId": "c1",
                "markdown": "pending reply",
                "createdTime": "2024-01-02T00:00:00Z",
                "isApproved": False,
                "authorName": "Guest",
            },
        ],
    }
    path = tmp_path / "comentario.json"
    path.write_text(json.dumps(export))
    report = parley("import", "commento", str(path), "--site", "demo", "--json").report
    assert report["statuses"]["published"] == 1 and report["statuses"]["held"] == 1
    comments, _ = stored()
    assert comments["c2"].parent_id == comments["c1"].id
    assert comments["c1"].author_name == "Una" and comments["c2"].author_name == "Guest"


def test_remark42_backup_gz(parley, stored, tmp_path):
    lines = [
        {"version": 1, "users": [], "posts": []},
        {
            "id": "r1",
            "pid": "",
            "text": "<p>hello <b>there</b></p>",
            "user": {"name": "Rae", "id": "github_1", "ip": "5f1e…hash"},
            "locator": {"site": "x", "url": "https://old.example/p/one/"},
            "time": "2019-05-01T10:00:00Z",
        },
        {
            "id": "r2",
            "pid": "r1",
            "text": "",
            "user": {"name": "deleted"},
            "locator": {"url": "https://old.example/p/one/"},
            "time": "2019-05-01T11:00:00Z",
            "delete": True,
        },
        {
            "id": "r3",
            "pid": "r2",
            "text": "<p>reply</p>",
            "user": {"name": "Sam"},
            "locator": {"url": "https://old.example/p/one/"},
            "time": "2019-05-01T12:00:00Z",
        },
    ]
    path = tmp_path / "backup-site-20240101.gz"
    path.write_bytes(gzip.compress("\n".join(json.dumps(x) for x in lines).encode()))
    report = parley("import", "remark42", str(path), "--site", "demo", "--json").report
    assert report["imported"] == 3 and report["deleted"] == 1
    comments, threads = stored()
    assert list(threads) == ["/p/one/"]
    assert comments["r3"].parent_id == comments["r2"].id and comments["r2"].body_html == ""
    assert comments["r1"].ip_hash is None  # Remark42's hash is not an address


def _snapshot(rt, slug):
    with rt.session() as session:
        site = session.scalar(sa.select(Site).where(Site.slug == slug))
        threads = {
            t.id: t.key for t in session.scalars(sa.select(Thread).where(Thread.site_id == site.id))
        }
        rows = session.scalars(sa.select(Comment).where(Comment.site_id == site.id)).all()
        by_id = {c.id: c for c in rows}

        def shape(c):
            parent = by_id.get(c.parent_id)
            return (
                threads[c.thread_id],
                c.created_at.isoformat(),
                c.author_name,
                c.status,
                c.depth,
                c.deleted_at is not None,
                parent.created_at.isoformat() if parent else None,
                c.body_html,
            )

        return sorted(set(threads.values())), sorted((shape(c) for c in rows), key=repr)


def test_parley_export_round_trips(parley, import_data, rt, tmp_path):
    parley("import", "wordpress", str(import_data / WPTT), "--site", "demo")
    parley("import", "disqus", str(import_data / "isso-tests-disqus.xml"), "--site", "demo")
    out = tmp_path / "site.jsonl"
    parley("export", "--site", "demo", "--format", "parley", "--output", str(out))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0]["format"] == "parley" and lines[0]["site"]["slug"] == "demo"
    assert sum(1 for x in lines[1:] if x["type"] == "comment") == 34
    report = parley("import", "parley", str(out), "--site", "other", "--json").report
    assert report["imported"] == 34 and report["failed"] == 0
    assert _snapshot(rt, "other") == _snapshot(rt, "demo")
    again = parley("import", "parley", str(out), "--site", "other", "--json").report
    assert again["imported"] == 0


def test_wxr_export_round_trips_and_is_well_formed(parley, import_data, rt, tmp_path):
    parley("import", "wordpress", str(import_data / WPTT), "--site", "demo")
    out = tmp_path / "site.xml"
    parley("export", "--site", "demo", "--format", "wxr", "--output", str(out))
    text = out.read_text()
    assert 'xmlns:wp="http://wordpress.org/export/1.2/"' in text
    report = parley("import", "wordpress", str(out), "--site", "other", "--json").report
    assert report["imported"] == 29 and report["held"] == 3 and report["threads"] == 7
    keys, comments = _snapshot(rt, "other")
    assert (keys, comments) == _snapshot(rt, "demo")


def test_export_to_stdout(parley, import_data):
    parley("import", "isso", str(import_data / "isso-tests-generic.json"), "--site", "demo")
    result = parley("export", "--site", "demo", "--format", "parley")
    assert len(result.stdout.strip().splitlines()) == 1 + 2 + 2
