"""Import files are hostile: no entity expansion, no scripts, tolerant of real-world damage;
trees in any order; interrupted imports resume; nothing is announced."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest
import sqlalchemy as sa

from service.importing.engine import ImportOptions, run_import
from service.importing.files import open_stream
from service.importing.records import ImportFileError
from service.importing.sources.wordpress import read as read_wxr
from service.models import Comment, Notice, Site
from service.text import hash_ip
from tests.support.signin import SECRET_KEY

NS = 'xmlns:wp="http://wordpress.org/export/1.2/"'


def comment(cid, parent=0, text="Plain text", approved="1", ip="", author="Ann", url=""):
    return f"""<wp:comment><wp:comment_id>{cid}</wp:comment_id>
<wp:comment_author><![CDATA[{author}]]></wp:comment_author>
<wp:comment_author_email>a{cid}@example.com</wp:comment_author_email>
<wp:comment_author_url>{url}</wp:comment_author_url>
<wp:comment_author_IP>{ip}</wp:comment_author_IP>
<wp:comment_date_gmt>2020-01-0{1 + cid % 8} 10:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{text}]]></wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type></wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


def wxr(*comments: str, link="https://blog.example.test/2020/hello/", prolog="") -> bytes:
    body = "".join(comments)
    return (
        f'{prolog}<?xml version="1.0" encoding="UTF-8"?><rss {NS}><channel><item>'
        f"<title>Hello</title><link>{link}</link><wp:post_id>7</wp:post_id>{body}"
        "</item></channel></rss>"
    ).encode()


@pytest.fixture
def write(tmp_path):
    def write(data: bytes, name="export.xml"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


def test_scripts_handlers_and_javascript_links_never_survive(parley, write, stored):
    hostile = (
        '<script>alert(1)</script><p onclick="x()">Hi &amp; bye</p>'
        '<a href="javascript:alert(2)">click</a><img src=x onerror=alert(3)>'
        '<a href="https://ok.example/">fine</a>'
    )
    parley(
        "import",
        "wordpress",
        write(wxr(comment(1, text=hostile, url="javascript:alert(4)", author="Tom &amp; Jerry"))),
        "--site",
        "demo",
    )
    (row,) = stored()[0].values()
    html = row.body_html.lower()
    assert "<script" not in html and "onclick" not in html and "onerror" not in html
    assert "javascript:" not in html and "<img" not in html
    assert 'href="https://ok.example/"' in html and "Hi &amp; bye" in row.body_html
    assert row.author_url is None
    assert row.author_name == "Tom & Jerry"  # entities decoded in plain-text fields


def test_entity_expansion_and_external_entities_are_refused(parley, write, stored):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<rss><channel><item><title>&lol2;</title></item></channel></rss>"
    )
    result = parley("import", "wordpress", write(laughs), "--site", "demo", ok=False)
    assert result.exit_code == 1 and "refused" in result.output
    external = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><item><title>&x;</title></item></channel></rss>"
    )
    result = parley("import", "wordpress", write(external), "--site", "demo", ok=False)
    assert result.exit_code == 1 and "refused" in result.output
    assert "Traceback" not in result.output
    assert stored() == ({}, {})


def test_not_xml_is_a_clear_error(parley, write):
    result = parley("import", "disqus", write(b"<disqus><post>"), "--site", "demo", ok=False)
    assert result.exit_code == 1 and "not well-formed XML" in result.output


def test_stray_bytes_control_characters_gzip_and_zip(parley, write, stored, tmp_path):
    data = wxr(comment(1, text="bell\x07 rings"), prolog="\ufeff`junk ")
    gz = gzip.compress(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("wordpress-export.xml", data)
    assert (
        parley("import", "wordpress", write(gz, "e.xml.gz"), "--site", "demo", "--json").report[
            "imported"
        ]
        == 1
    )
    zipped = parley(
        "import", "wordpress", write(buffer.getvalue(), "e.zip"), "--site", "demo", "--json"
    )
    assert zipped.report["imported"] == 0 and zipped.report["skipped"] == 1  # same comment
    (row,) = stored()[0].values()
    assert "bell rings" in row.body_html


def test_zip_with_two_files_is_refused(write):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.xml", "<a/>")
        archive.writestr("b.xml", "<b/>")
    with pytest.raises(ImportFileError, match="exactly one"):
        open_stream(io.BytesIO(buffer.getvalue()))


def test_reply_before_parent_missing_parent_and_cycles(parley, write, stored):
    data = wxr(
        comment(3, parent=2, text="grandchild"),
        comment(2, parent=1, text="child"),
        comment(1, text="root"),
        comment(4, parent=99, text="orphan"),
        comment(5, parent=6, text="cycle a"),
        comment(6, parent=5, text="cycle b"),
    )
    report = parley("import", "wordpress", write(data), "--site", "demo", "--json").report
    assert report["imported"] == 6 and report["failed"] == 0
    rows = {c.body_source: c for c in stored()[0].values()}
    assert rows["grandchild"].parent_id == rows["child"].id
    assert rows["child"].parent_id == rows["root"].id and rows["grandchild"].depth == 2
    assert rows["orphan"].parent_id is None and rows["orphan"].depth == 0
    cycle = [rows["cycle a"], rows["cycle b"]]
    assert sorted(c.depth for c in cycle) == [0, 1]


def test_statuses_spam_trash_and_keep_spam(parley, write, stored):
    data = wxr(
        comment(1, approved="1"),
        comment(2, approved="0"),
        comment(3, approved="spam"),
        comment(4, approved="trash"),
    )
    report = parley("import", "wordpress", write(data), "--site", "demo", "--json").report
    assert report["statuses"] == {"published": 1, "held": 1, "spam": 0, "deleted": 0}
    assert report["skipped_reasons"] == {"spam": 1, "trash": 1}
    again = parley(
        "import", "wordpress", write(data), "--site", "demo", "--keep-spam", "--json"
    ).report
    assert again["imported"] == 1 and again["spam"] == 1
    statuses = sorted(c.status for c in stored()[0].values())
    assert statuses == ["held", "published", "spam"]


def test_ips_are_stored_only_hashed_and_nothing_is_announced(parley, write, stored, rt):
    parley("import", "wordpress", write(wxr(comment(1, ip="203.0.113.9"))), "--site", "demo")
    (row,) = stored()[0].values()
    assert row.ip_hash == hash_ip("203.0.113.9", SECRET_KEY)
    with rt.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Notice)) == 0
    assert rt.queue.count == 0


def test_an_interrupted_import_resumes_cleanly(rt, site, monkeypatch):
    from service.importing import engine

    monkeypatch.setattr(engine, "BATCH", 2)
    data = wxr(*[comment(i, parent=i - 1 if i % 3 else 0, text=f"c{i}") for i in range(1, 13)])
    options = ImportOptions(source="wordpress")

    class Interrupted(Exception):
        pass

    def stop_after_two(stage, done, total):
        if stage == "importing" and done >= 4:
            raise Interrupted

    with rt.session() as session, pytest.raises(Interrupted):
        run_import(
            session,
            session.get(Site, site.id),
            read_wxr(io.BytesIO(data)),
            options,
            SECRET_KEY,
            stop_after_two,
        )
    with rt.session() as session:
        first = session.scalar(sa.select(sa.func.count()).select_from(Comment))
        assert 0 < first < 12
        report = run_import(
            session, session.get(Site, site.id), read_wxr(io.BytesIO(data)), options, SECRET_KEY
        )
        assert report.imported == 12 - first
        rows = session.scalars(sa.select(Comment)).all()
        by_id = {c.id: c for c in rows}
        assert len(rows) == 12
        for row in rows:
            n = int(row.body_source[1:])
            parent = by_id.get(row.parent_id)
            assert (parent.body_source if parent else None) == (
                f"c{n - 1}" if n % 3 and n > 1 else None
            )


def test_the_wrong_format_says_so(parley, import_data):
    result = parley(
        "import",
        "wordpress",
        str(import_data / "isso-tests-disqus.xml"),
        "--site",
        "demo",
        ok=False,
    )
    assert (
        result.exit_code == 1 and "no comments found: is this a wordpress export?" in result.output
    )


def test_held_imports_wait_in_the_queue_and_placeholders_take_no_replies(
    parley, import_data, client, moderator_token, stored
):
    parley(
        "import",
        "wordpress",
        str(import_data / "wptt-themeunittestdata.wordpress.xml"),
        "--site",
        "demo",
    )
    parley("import", "disqus", str(import_data / "isso-tests-disqus.xml"), "--site", "demo")
    queue = client.get(
        "/api/v1/moderation/comments?site=demo&status=held",
        headers={"Authorization": f"Bearer {moderator_token}"},
    )
    assert queue.status_code == 200
    assert len(queue.get_json()["comments"]) == 3
    comments, threads = stored()
    tomb = comments["9"]
    key = next(k for k, t in threads.items() if t.id == tomb.thread_id)
    reply = client.post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": key,
            "parent": tomb.id,
            "body": "Hello there",
            "author": {"name": "Ann", "email": "ann@example.com"},
        },
    )
    assert reply.status_code == 422 and "deleted" in reply.get_json()["error"]["message"]


def test_a_thread_created_meanwhile_is_reused(rt, site, monkeypatch):
    """Between the lookup and the insert a first comment creates one of the threads: the
    import takes it, as a concurrent first comment would."""
    from service.comments.submit import get_or_create_thread
    from service.importing import engine

    real = engine._thread_ids
    calls = {"n": 0}

    def racing(session, site_id, keys):
        found = real(session, site_id, keys)
        calls["n"] += 1
        if calls["n"] == 2:  # the lookup right before the insert
            with rt.session() as other:
                get_or_create_thread(other, other.get(Site, site_id), "/2020/hello/", None, None)
                other.commit()
        return found

    monkeypatch.setattr(engine, "_thread_ids", racing)
    with rt.session() as session:
        report = run_import(
            session,
            session.get(Site, site.id),
            read_wxr(io.BytesIO(wxr(comment(1)))),
            ImportOptions(source="wordpress"),
            SECRET_KEY,
        )
    assert report.imported == 1
    with rt.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1


def test_a_compression_bomb_stops_with_a_clear_error(parley, write, monkeypatch):
    from service.importing import files

    monkeypatch.setattr(files, "MAX_UNPACKED", 1024 * 1024)
    bomb = gzip.compress(b"<rss>" + b" " * (8 * 1024 * 1024) + b"</rss>")
    assert len(bomb) < 100_000
    result = parley("import", "wordpress", write(bomb, "bomb.xml.gz"), "--site", "demo", ok=False)
    assert result.exit_code == 1 and "unpacks to more than" in result.output
