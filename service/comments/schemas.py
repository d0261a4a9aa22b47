"""The comment API's request and response models (also its OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from service.schemas import Slug, Strict, ThreadKey
from service.urls import safe_url


def _absolute_web_url(value: str) -> str:
    # Stored as a browser would follow it; whether it is on one of the site's origins is
    # checked by the view, which has the site.
    url = safe_url(value)
    if url is None:
        raise PydanticCustomError(
            "url_scheme", "must be an absolute http(s) URL (no user:password@)"
        )
    return url


# The page a thread lives on: it becomes a link in the dashboard, reply mail and webhooks.
ThreadUrl = Annotated[str, Field(max_length=2048), AfterValidator(_absolute_web_url)]


class AuthorIn(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    email: Annotated[EmailStr, Field(max_length=320)]
    url: Annotated[HttpUrl, Field(max_length=2048)] | None = None

    model_config = ConfigDict(extra="forbid", strict=False)


class ClientSignals(Strict):
    """What the widget adds for the spam checks; readers never see these fields."""

    honeypot: Annotated[str, Field(max_length=1000)] = ""
    render_token: Annotated[str, Field(max_length=500)] | None = None
    # The challenge's answer, where the site asks for one: a solved ALTCHA challenge (base64
    # JSON), or the Turnstile / hCaptcha token where the operator configured one.
    challenge: Annotated[str, Field(max_length=4096)] | None = None


class CommentIn(Strict):
    site: Slug
    thread: ThreadKey
    parent: Annotated[int, Field(ge=1)] | None = None
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
    author: AuthorIn | None = None
    title: Annotated[str, Field(max_length=300)] | None = None
    url: ThreadUrl | None = None
    client: ClientSignals | None = None


class AuthorOut(BaseModel):
    name: str | None
    url: str | None = None
    avatar_url: str | None = None
    provider: str | None = None


Sort = Literal["oldest", "newest", "top"]


class CommentOut(BaseModel):
    id: int
    thread: str
    parent: int | None
    status: str
    depth: int = 0
    created_at: datetime
    # Only for published comments: unpublished text and authors are not public.
    author: AuthorOut | None = None
    body_html: str | None = None
    # Readers' up votes; with the site's down votes on, ``score`` is up minus down.
    votes: int = 0
    score: int | None = None
    # A moderator pinned it to the top of the thread.
    pinned: bool = False
    # Its author changed it (``edited_at``: when last); the text shown is the latest.
    edited: bool = False
    edited_at: datetime | None = None
    # Its author deleted it: a tombstone with no author and no text, kept for its replies.
    deleted: bool = False


class CommentEnvelope(BaseModel):
    comment: CommentOut


class CommentStatusOnly(BaseModel):
    """What anyone may learn of a comment that is not published: that it exists and whether
    it is still waiting for its decision. No text, author, thread or reasons; a comment
    filed as spam or rejected reads "held" (not shown), so nobody but its author and the
    moderators learns how it was judged."""

    id: int
    status: Literal["pending", "held"]


class CommentStatusEnvelope(BaseModel):
    # The full comment for the published one, its author (key, reader token) and the site's
    # moderators; ``CommentStatusOnly`` for anyone else.
    comment: CommentOut | CommentStatusOnly


class CommentCreated(CommentEnvelope):
    # Shows the author (and only them) the comment's status while it is unpublished: send it
    # back as ?key= to GET /api/v1/comments/{id}.
    key: str
    # Lets this browser edit or delete the comment within the site's window (header
    # X-Parley-Comment-Secret); keep it like a password, never in a cookie.
    secret: str
    # For the same reader's next comment on this thread: each token vouches for one comment.
    render_token: str


class CommentStatusQuery(Strict):
    model_config = ConfigDict(extra="ignore", strict=False)
    wait: Annotated[float, Field(ge=0, le=60)] = 0
    # The key the POST answered with: the author's way to see an unpublished comment.
    key: Annotated[str, Field(max_length=64)] | None = None


class ThreadQuery(Strict):
    model_config = ConfigDict(extra="ignore", strict=False)
    site: Slug
    thread: ThreadKey
    # The cursor: send back the page's next_cursor (a comment id for "oldest", a count of
    # top-level comments already shown for the other orders).
    after: Annotated[int, Field(ge=0)] = 0
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    # Missing: the site's default_sort. Replies always follow their parent, oldest first.
    sort: Sort | None = None


class Liker(BaseModel):
    name: str | None
    avatar_url: str | None = None


class Likes(BaseModel):
    # Every reader's like, guests too; ``likers`` are up to 20 signed-in readers, newest first.
    count: int = 0
    likers: list[Liker] = []


class Captcha(BaseModel):
    provider: Literal["turnstile", "hcaptcha"]
    site_key: str
    script: str


class ThreadPage(BaseModel):
    thread: str
    # When the thread closes by age (the site's auto_close_days), if still to come: caches
    # keep the page no longer, and the widget closes the form at that moment. Kept near the
    # start of the JSON so the view finds it in a cached page without parsing it.
    closes_at: datetime | None = None
    comments: list[CommentOut]
    total: int
    next_cursor: int | None
    # The order of this page, and whether readers may vote down and may still comment.
    sort: Sort = "oldest"
    down_votes: bool = False
    closed: bool = False
    # How long after posting an author may still edit or delete (0: not at all).
    edit_window_minutes: int = 0
    # The site's challenge policy: anything but "off" and the widget solves one while the
    # reader types (GET /api/v1/challenge).
    challenge: str = "off"
    # Turnstile or hCaptcha in place of ALTCHA (the operator's choice), else null: the widget
    # loads ``script`` and renders the provider's box with ``site_key``.
    captcha: Captcha | None = None
    likes: Likes = Likes()
    # The site's reply nesting limit, so the widget hides "Reply" where a reply would be refused.
    max_depth: int


class CountsQuery(Strict):
    model_config = ConfigDict(extra="ignore", strict=False)
    site: Slug
    thread: Annotated[list[ThreadKey], Field(min_length=1, max_length=100)]


class Counts(BaseModel):
    counts: dict[str, int]
    # Page likes per thread (service.comments.likes).
    likes: dict[str, int] = {}


class RenderTokenQuery(Strict):
    model_config = ConfigDict(extra="ignore", strict=False)
    site: Slug
    thread: ThreadKey


class RenderTokenOut(BaseModel):
    # Signed time the form was shown, bound to the thread (the too-fast check); send it back
    # as client.render_token with the comment. Not in the thread page, which caches share.
    render_token: str
