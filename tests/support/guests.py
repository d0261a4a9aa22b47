"""Guest readers posting through the API, each a different reader from a different address.

A campaign's comments come from many readers, and the flood and duplicate
checks rightly hold one reader posting many; tests of the content checks post
this way so that only the content decides.
"""

from __future__ import annotations

import itertools

_readers = itertools.count()


def guest_post(client, body: str, site: str = "demo") -> int:
    """POST one comment as a new guest; answers its id."""
    n = next(_readers)
    response = client.post(
        "/api/v1/comments",
        json={
            "site": site,
            "thread": f"/posts/{n % 3}",
            "body": body,
            "author": {"name": f"Reader {n}", "email": f"reader{n}@example.com"},
        },
        environ_base={"REMOTE_ADDR": f"10.0.{n // 250 % 250}.{n % 250 + 1}"},
    )
    assert response.status_code in (200, 201, 202), response.get_json()
    return response.get_json()["comment"]["id"]
