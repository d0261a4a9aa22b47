"""The real exports import with the counts their README gives; re-imports create nothing."""

from __future__ import annotations

import sqlalchemy as sa

from service.models import Comment, ModerationEvent

WPTT = "wptt-themeunittestdata.wordpress.xml"


def _depth_by_walk(comments: dict, comment) -> int:
    by_id = {c.id: c for c in comments.values()}
    depth = 0
    while comment.parent_id is not None:
        comment = by_id[comment.parent_id]
        depth += 1
    return depth


def test_theme_test_wxr_counts_tree_and_idempotence(parley, import_data, stored, rt, site):
    result = parley("import", "wordpress", str(import_data / WPTT), "--site", "demo", "--json")
    report = result.report
    assert report["imported"] == 29
    assert report["threads"] == 7
    assert report["published"] == 26 and report["held"] == 3
    assert report["statuses"] == {"published": 26, "held": 3, "spam": 0, "deleted": 0}
    assert report["skipped"] == 4 and report["skipped_reasons"] == {"pingback": 4}
    assert report["failed"] == 0

    comments, threads = stored()
    assert len(comments) == 29 and len(threads) == 7
    # The 10-level chain: one comment at each depth 1..9 below a top-level one, parents intact.
    deepest = max(comments.values(), key=lambda c: c.depth)
    assert deepest.depth == 9
    assert _depth_by_walk(comments, deepest) == 9
    assert all(_depth_by_walk(comments, c) == c.depth for c in comments.values())
    assert sorted(c.depth for c in comments.values()).count(0) == 19
    held_threads = {c.thread_id for c in comments.values() if c.status == "held"}
    assert len(held_threads) == 3
    # Thread keys are the links' paths, as the widget's location.pathname.
    assert "/2012/01/03/template-comments/" in threads
    assert "/about/page-with-comments/" in threads
    # Dates are the export's GMT dates.
    dates = sorted(c.created_at for c in comments.values())
    assert dates[0].year >= 2007 and dates[-1].year == 2023
    # Imported comments skip the checks: no job queued, nothing pending.
    assert rt.queue.count == 0
    assert all(c.status != "pending" for c in comments.values())

    again = parley("import", "wordpress", str(import_data / WPTT), "--site", "demo", "--json")
    assert again.report["imported"] == 0
    assert again.report["skipped_reasons"]["already imported"] == 29
    assert len(stored()[0]) == 29
    with rt.session() as session:
        audit = session.scalars(
            sa.select(ModerationEvent).where(ModerationEvent.action == "import")
        ).all()
    assert len(audit) == 1 and "imported 29 comments from wordpress" in audit[0].note


def test_pingbacks_on_request(parley, import_data):
    result = parley(
        "import",
        "wordpress",
        str(import_data / WPTT),
        "--site",
        "demo",
        "--with-pingbacks",
        "--json",
    )
    assert result.report["imported"] == 33 and result.report["skipped"] == 0


def test_isso_wxr_1_0_namespace_and_plain_permalinks(parley, import_data, stored):
    result = parley(
        "import",
        "wordpress",
        str(import_data / "isso-tests-wordpress.xml"),
        "--site",
        "demo",
        "--json",
    )
    assert result.report["imported"] == 8
    comments, threads = stored()
    # A plain-permalink post (?p=4) keeps its query, or every such post would share "/".
    assert set(threads) == {"/2014/test/", "/?p=4"}
    assert max(c.depth for c in comments.values()) == 2
    multi = [c for c in comments.values() if "<br>" in c.body_html or c.body_html.count("<p>") > 1]
    assert multi, "a multi-line comment keeps its line breaks"


def test_remark42_malformed_disqus(parley, import_data, stored):
    # A backtick before <?xml and an unquoted attribute: a strict parser rejects line 1.
    result = parley(
        "import",
        "disqus",
        str(import_data / "remark42-migrator-disqus.xml"),
        "--site",
        "demo",
        "--json",
    )
    report = result.report
    assert report["imported"] == 4
    assert report["skipped_reasons"] == {"spam": 1}
    assert report["threads"] == 2
    # The post with the broken date is reported, with its reason, not silently dropped.
    assert report["failed"] == 1 and "date" in report["failures"][0]["reason"]
    assert "failed x299986073" in result.stdout
    comments, threads = stored()
    assert set(threads) == {"/p/2011/03/05/podcast-229/", "/2011/03/229_8880.html"}
    assert "12345678890" in comments  # a post without dsq:id keeps its <id>


def test_isso_disqus_tombstone_keeps_reply(parley, import_data, stored):
    result = parley(
        "import",
        "disqus",
        str(import_data / "isso-tests-disqus.xml"),
        "--site",
        "demo",
        "--json",
    )
    report = result.report
    # Isso expects 5 comments: the deleted one stays as an empty tombstone over its reply.
    assert report["imported"] == 5 and report["deleted"] == 1
    assert report["failed"] == 1 and "1337" in report["failures"][0]["reason"]
    comments, threads = stored()
    tomb = comments["9"]
    assert tomb.deleted_at is not None and tomb.body_html == "" and tomb.author_name is None
    assert comments["11"].parent_id == tomb.id
    assert comments["5"].parent_id == comments["4"].id
    # A trailing index.html is dropped, as the page's own path would be.
    assert "/blog/2013/02/12/redacted/" in threads


def test_real_disqus_export_without_emails(parley, import_data, stored):
    result = parley(
        "import",
        "disqus",
        str(import_data / "disqus-export-real-yesilmavihayat.xml"),
        "--site",
        "demo",
        "--json",
    )
    report = result.report
    # 51 posts, 2 deleted without replies: skipped, the rest all top-level on one thread.
    assert report["imported"] == 49
    assert report["skipped_reasons"] == {"deleted": 2}
    comments, threads = stored()
    assert list(threads) == ["/yorumlar"]
    assert all(c.parent_id is None and c.author_email is None for c in comments.values())
    assert any("ş" in c.body_html or "ı" in c.body_html for c in comments.values())


def test_dry_run_lists_keys_and_writes_nothing(parley, import_data, stored):
    result = parley(
        "import",
        "wordpress",
        str(import_data / WPTT),
        "--site",
        "demo",
        "--dry-run",
        "--map-url",
        "https://wpthemetestdata.wordpress.com/2012/=https://blog.example/posts/",
        "--json",
    )
    assert result.report["dry_run"] is True and result.report["imported"] == 29
    assert "/posts/01/03/template-comments/\t20 comments\t(new)" in result.stdout
    assert stored() == ({}, {})


def test_map_url_rewrites_prefixes(parley, import_data, stored, rt, site):
    parley(
        "import",
        "disqus",
        str(import_data / "remark42-migrator-disqus.xml"),
        "--site",
        "demo",
        "--map-url",
        "https://radio-t.com/p/=http://blog.example.test/archive/",
        "--map-url",
        "http://radio-t.umputun.com/=https://elsewhere.example/",
    )
    _, threads = stored()
    assert set(threads) == {"/archive/2011/03/05/podcast-229/", "/2011/03/229_8880.html"}


def test_bad_map_url_is_a_clear_error(parley, import_data):
    result = parley(
        "import",
        "disqus",
        str(import_data / "isso-tests-disqus.xml"),
        "--site",
        "demo",
        "--map-url",
        "no-equals-sign",
        ok=False,
    )
    assert result.exit_code == 2 and "OLD=NEW" in result.output


def test_unknown_site_and_missing_file(parley, import_data, tmp_path):
    result = parley(
        "import", "disqus", str(import_data / "isso-tests-disqus.xml"), "--site", "nope", ok=False
    )
    assert result.exit_code == 1 and "no site 'nope'" in result.output
    result = parley("import", "disqus", str(tmp_path / "missing.xml"), "--site", "demo", ok=False)
    assert result.exit_code == 1 and "cannot open" in result.output


def test_comment_count_matches_rows(parley, import_data, rt, site):
    parley("import", "disqus", str(import_data / "isso-tests-disqus.xml"), "--site", "demo")
    with rt.session() as session:
        n = session.scalar(
            sa.select(sa.func.count()).select_from(Comment).where(Comment.source == "disqus")
        )
    assert n == 5
