"""Small helpers the moderation tests share."""

from __future__ import annotations

from service.models import Comment, Site

# The one made-up name the ``dns`` fixture (conftest) answers for.
HOOK_HOST = "hooks.example.test"


def hold_everything(rt, site) -> None:
    with rt.session() as session:
        session.get(Site, site.id).policy = {"premoderate": True}
        session.commit()


def post_from(
    client, body: str, name: str, email: str, ip: str, thread: str = "/posts/hello", **extra
):
    payload = {
        "site": "demo",
        "thread": thread,
        "body": body,
        "author": {"name": name, "email": email},
        **extra,
    }
    response = client.post("/api/v1/comments", json=payload, environ_base={"REMOTE_ADDR": ip})
    assert response.status_code in (201, 202), response.get_json()
    return response.get_json()["comment"]["id"]


def status_of(rt, comment_id: int) -> str:
    with rt.session() as session:
        return session.get(Comment, comment_id).status


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
