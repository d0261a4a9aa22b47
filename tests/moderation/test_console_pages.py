"""The console without a browser: undo leaves alone what a colleague moved since, the audit
CSV cannot smuggle a spreadsheet formula, the live cards endpoint, languages, the queue API's
additive fields."""

from __future__ import annotations

import csv
import io

import pytest

from service.models import ModerationEvent
from tests.moderation.helpers import bearer, hold_everything, post_from, status_of

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_undo_restores_the_last_bulk_action_but_not_what_someone_moved_since(
    client, rt, site, drain, moderator_token
):
    hold_everything(rt, site)
    ids = [post_from(client, f"Spam {i} https://bit.ly/x{i}", "S", "s@x.org", "10.7.0.1")
           for i in range(3)]  # fmt: skip
    drain()
    headers = bearer(moderator_token)
    done = client.post(
        "/moderate/act", data={"action": "spam", "ids": [str(i) for i in ids]}, headers=headers
    )
    assert done.status_code == 303
    assert [status_of(rt, i) for i in ids] == ["spam"] * 3
    # A colleague approves one of them meanwhile (through the API).
    moved = client.post(f"/api/v1/moderation/comments/{ids[0]}/ham", headers=headers)
    assert moved.status_code == 200

    page = client.get("/moderate?status=spam", headers=headers)
    assert 'id="undo"' in page.get_data(as_text=True)
    undone = client.post("/moderate/undo", data={}, headers=headers, follow_redirects=True)
    text = undone.get_data(as_text=True)
    assert "Undone: 2 comment(s)" in text and f"#{ids[0]}" in text
    assert [status_of(rt, i) for i in ids] == ["published", "held", "held"]
    with rt.session() as session:
        undo_rows = session.query(ModerationEvent).filter_by(action="undo").all()
    assert sorted(e.comment_id for e in undo_rows) == sorted(ids[1:])
    assert {(e.from_status, e.to_status) for e in undo_rows} == {("spam", "held")}
    # The undone spam labels no longer teach the checks; the colleague's "ham" still does.
    from worker.checks.labels import labelled_comments

    with rt.session() as session:
        labels = {cid: label for cid, _body, label in labelled_comments(session, site.id)}
    assert labels == {ids[0]: 0}
    # Once only.
    again = client.post("/moderate/undo", data={}, headers=headers, follow_redirects=True)
    assert "Nothing to undo." in again.get_data(as_text=True)


def test_queue_api_carries_reasons_history_and_domains(client, rt, site, drain, moderator_token):
    hold_everything(rt, site)
    first = post_from(client, "Hello there", "Ada", "ada@example.com", "10.7.1.1")
    second = post_from(client, "See https://www.shop.example.net/deal now", "Ada",
                       "ADA@example.com", "10.7.1.1")  # fmt: skip
    drain()
    page = client.get("/api/v1/moderation/comments?site=demo", headers=bearer(moderator_token))
    items = {c["id"]: c for c in page.get_json()["comments"]}
    assert items[second]["link_domains"] == ["shop.example.net"]
    assert items[second]["author_key"] == items[first]["author_key"] == "email:ada@example.com"
    assert items[second]["author_history"]["held"] == 2
    assert items[first]["reasons"][0] == {
        "check": "decision", "label": "why", "detail": "site holds every comment for review",
        "score": None, "kind": None,
    }  # fmt: skip
    filtered = client.get(
        "/api/v1/moderation/comments?site=demo&domain=shop.example.net",
        headers=bearer(moderator_token),
    )
    assert [c["id"] for c in filtered.get_json()["comments"]] == [second]


def test_audit_csv_neutralises_formulas(client, rt, site, owner_token):
    with rt.session() as session:
        session.add(ModerationEvent(site_id=site.id, actor="=HYPERLINK(\"x\")", action="note",
                                    note="+1 @everyone"))  # fmt: skip
        session.commit()
    response = client.get("/moderate/audit.csv?site=demo", headers=bearer(owner_token))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    row = next(r for r in rows if r[3] == "note")
    assert row[2] == '\'=HYPERLINK("x")' and row[7] == "'+1 @everyone"


def test_live_cards_and_languages(app, client, rt, site, drain, moderator_token):
    hold_everything(rt, site)
    old = post_from(client, "Older one", "A", "a@example.org", "10.7.2.1")
    new = post_from(client, "Newer one", "B", "b@example.org", "10.7.2.2")
    drain()
    cards = client.get(f"/moderate/cards?after={old}", headers=bearer(moderator_token))
    text = cards.get_data(as_text=True)
    assert f'id="comment-{new}"' in text and f'id="comment-{old}"' not in text
    ja = client.get("/moderate?lang=ja", headers=bearer(moderator_token)).get_data(as_text=True)
    assert "承認" in ja and 'lang="ja"' in ja
    # A browser that never chose: its Accept-Language (a chosen ?lang= is remembered).
    fresh = app.test_client()
    zh = fresh.get("/moderate", headers={**bearer(moderator_token), "Accept-Language": "zh-CN"})
    assert "通过" in zh.get_data(as_text=True)


ADMIN_PAGES = {
    # page: (a heading or label in Japanese, the same in Simplified Chinese, English it replaces)
    "settings": ("事前承認", "先审后发", "Pre-moderation"),
    "bans": ("期限切れの禁止も表示", "也显示已过期的封禁", "Show expired bans too"),
    "audit": ("CSVを書き出す", "导出 CSV", "Export CSV"),
    "members": ("メンバー:", "成员:", "Members of"),
    "webhooks": ("Webhookを追加", "添加 Webhook", "Add webhook"),
    "tokens": ("トークンを作成", "创建令牌", "Create token"),
    "import": ("アップロードしてインポート", "上传并导入", "Upload and import"),
}


def test_the_admin_pages_speak_japanese_and_chinese(app, rt, site, owner_token):
    for lang, column in (("ja", 0), ("zh-CN", 1)):
        reader = app.test_client()
        for page, words in ADMIN_PAGES.items():
            answer = reader.get(
                f"/moderate/{page}?site=demo&lang={lang}", headers=bearer(owner_token)
            )
            text = answer.get_data(as_text=True)
            assert answer.status_code == 200, (page, lang)
            assert words[column] in text and words[2] not in text, (page, lang)
            assert f'lang="{lang}"' in text
    english = app.test_client().get("/moderate/bans?site=demo", headers=bearer(owner_token))
    assert "Show expired bans too" in english.get_data(as_text=True)
