"""Owners without a shell: upload an export, an RQ job imports it, progress and the report
come back from GET …/imports/{id}."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from service.access import create_token
from service.models import Comment, ImportJob, Site

WPTT = "wptt-themeunittestdata.wordpress.xml"


@pytest.fixture
def token_for(rt, site):
    def make(role: str) -> str:
        with rt.session() as session:
            token = create_token(session, session.get(Site, site.id), role)
            session.commit()
        return token

    return make


def _upload(client, token, data: bytes, name="export.xml", **fields):
    form = MultiDict({"site": "demo", "format": "wordpress", **fields})
    form.add("file", FileStorage(io.BytesIO(data), filename=name))
    # Encoded in memory: the test client's own spooling leaves a temporary file open.
    boundary, body = encode_multipart(form)
    return client.post(
        "/api/v1/moderation/imports",
        data=body,
        headers={"Authorization": f"Bearer {token}"},
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_upload_runs_as_a_job_and_reports(client, rt, drain, token_for, import_data):
    token = token_for("owner")
    data = (import_data / WPTT).read_bytes()
    response = _upload(client, token, data, map_url="https://wpthemetestdata.wordpress.com/=/")
    assert response.status_code == 202, response.get_json()
    job = response.get_json()["import"]
    assert job["state"] == "queued" and job["filename"] == "export.xml"
    with rt.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0
    drain()
    status = client.get(
        f"/api/v1/moderation/imports/{job['id']}", headers={"Authorization": f"Bearer {token}"}
    )
    assert status.status_code == 200
    done = status.get_json()["import"]
    assert done["state"] == "done" and done["processed"] == done["total"] == 29
    report = done["report"]
    assert report["imported"] == 29 and report["held"] == 3 and report["threads"] == 7
    with rt.session() as session:
        row = session.get(ImportJob, job["id"])
        assert row.payload is None  # the upload is not kept once imported
        assert session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 29
    listing = client.get(
        "/api/v1/moderation/imports?site=demo", headers={"Authorization": f"Bearer {token}"}
    )
    assert [i["id"] for i in listing.get_json()["imports"]] == [job["id"]]
    # The same file again: nothing new.
    again = _upload(client, token, data).get_json()["import"]
    drain()
    second = client.get(
        f"/api/v1/moderation/imports/{again['id']}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()["import"]
    assert second["report"]["imported"] == 0


def test_a_broken_file_fails_with_its_reason(client, drain, token_for):
    token = token_for("owner")
    job = _upload(client, token, b"<rss><channel><item>").get_json()["import"]
    drain()
    failed = client.get(
        f"/api/v1/moderation/imports/{job['id']}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()["import"]
    assert failed["state"] == "failed" and "not well-formed" in failed["error"]


def test_only_owners_and_valid_uploads(client, token_for):
    moderator = token_for("moderator")
    owner = token_for("owner")
    assert _upload(client, moderator, b"<x/>").status_code == 403
    listing = client.get(
        "/api/v1/moderation/imports?site=demo", headers={"Authorization": f"Bearer {moderator}"}
    )
    assert listing.status_code == 200  # moderators may follow imports, not start them
    no_auth = client.post("/api/v1/moderation/imports", data={"site": "demo"})
    assert no_auth.status_code == 401
    assert _upload(client, owner, b"<x/>", format="blogger").status_code == 422
    assert _upload(client, owner, b"").status_code == 422
    assert _upload(client, owner, b"<x/>", map_url="nope").status_code == 422
    as_json = client.post(
        "/api/v1/moderation/imports",
        json={"site": "demo"},
        headers={"Authorization": f"Bearer {owner}"},
    )
    assert as_json.status_code == 415
    assert as_json.get_json()["error"]["code"] == "unsupported_media_type"
    missing = client.get(
        "/api/v1/moderation/imports/999", headers={"Authorization": f"Bearer {owner}"}
    )
    assert missing.status_code == 404


def _page_upload(client, token, data: bytes, **fields):
    form = MultiDict({"site": "demo", "format": "disqus", **fields})
    form.add("file", FileStorage(io.BytesIO(data), filename="disqus.xml"))
    boundary, body = encode_multipart(form)
    return client.post(
        "/moderate/import",
        data=body,
        headers={"Authorization": f"Bearer {token}"},
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_dashboard_import_page_dry_run_then_import(client, rt, drain, token_for, import_data):
    token = token_for("owner")
    auth = {"Authorization": f"Bearer {token}"}
    page = client.get("/moderate/import?site=demo", headers=auth)
    assert page.status_code == 200 and b"No imports yet" in page.data
    assert "frame-ancestors" in page.headers["Content-Security-Policy"]
    data = (import_data / "isso-tests-disqus.xml").read_bytes()
    sent = _page_upload(
        client, token, data, dry_run="1", map_urls="http://localhost:4000/blog/=/posts/\n"
    )
    assert sent.status_code == 303 and sent.headers["Location"] == "/moderate/import?site=demo"
    running = client.get("/moderate/import?site=demo", headers=auth)
    assert b'http-equiv="refresh"' in running.data and b"queued" in running.data
    drain()
    done = client.get("/moderate/import?site=demo", headers=auth).data.decode()
    assert "Would import <strong>5</strong>" in done
    assert "<code>/posts/2013/02/12/redacted/</code>" in done
    with rt.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0
    _page_upload(client, token, data)
    drain()
    done = client.get("/moderate/import?site=demo", headers=auth).data.decode()
    assert "Imported <strong>5</strong>" in done and 'http-equiv="refresh"' not in done
    # The moderation page links here for owners.
    assert b'id="import-link"' in client.get("/moderate?site=demo", headers=auth).data


def test_dashboard_import_page_is_for_owners(client, token_for):
    moderator = token_for("moderator")
    page = client.get(
        "/moderate/import?site=demo", headers={"Authorization": f"Bearer {moderator}"}
    )
    assert page.status_code == 403 and b"owners" in page.data
    assert _page_upload(client, moderator, b"<x/>").status_code == 403
    assert (
        b'id="import-link"'
        not in client.get(
            "/moderate?site=demo", headers={"Authorization": f"Bearer {moderator}"}
        ).data
    )
