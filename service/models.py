"""The database schema. Alembic migrations in ``migrations/`` build it; tests
check that the migrated schema matches these models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from service.status import ALL_STATUSES, Status


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Timestamps are UTC everywhere; SQLite forgets the zone, so put it back."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: sa.JSON, list[str]: sa.JSON}


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Origins (scheme://host[:port]) whose pages may embed the widget and post.
    allowed_origins: Mapped[list[str]] = mapped_column(default=list)
    # premoderate, require_signin, max_depth, thresholds, blocklist, checks, ...
    policy: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Thread(Base):
    __tablename__ = "threads"
    __table_args__ = (sa.UniqueConstraint("site_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(512))
    title: Mapped[str | None] = mapped_column(sa.String(300))
    url: Mapped[str | None] = mapped_column(sa.String(2048))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A moderator closed it: no new comments, the existing ones stay (migration 0008).
    closed_at: Mapped[datetime | None] = mapped_column()

    site: Mapped[Site] = relationship()


class Identity(Base):
    """A signed-in person as a provider knows them: (provider, subject), never email alone."""

    __tablename__ = "identities"
    __table_args__ = (sa.UniqueConstraint("provider", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # A provider's name, "site:<slug>" for a site's own accounts (SSO), or "email".
    provider: Mapped[str] = mapped_column(sa.String(80))
    subject: Mapped[str] = mapped_column(sa.String(255))
    name: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(320))
    email_verified: Mapped[bool] = mapped_column(default=False)
    avatar_url: Mapped[str | None] = mapped_column(sa.String(2048))
    profile_url: Mapped[str | None] = mapped_column(sa.String(2048))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in ALL_STATUSES) + ")", name="status"
        ),
        sa.Index("ix_comments_thread_status_id", "thread_id", "status", "id"),
        sa.Index("ix_comments_status_created", "status", "created_at"),
        # Everything the duplicate check's scan of a site's recent comments reads
        # (worker.checks.history), so it never touches the wide rows.
        sa.Index("ix_comments_site_recent", "site_id", "id", "created_at", "status", "simhash"),
        sa.UniqueConstraint("site_id", "source", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    # The thread's site, copied (a comment never changes thread): per-site scans
    # of recent comments then need no join (migration 0004).
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id", ondelete="SET NULL"))
    identity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("identities.id", ondelete="SET NULL"), index=True
    )
    author_name: Mapped[str | None] = mapped_column(sa.String(200))
    author_email: Mapped[str | None] = mapped_column(sa.String(320), index=True)
    author_url: Mapped[str | None] = mapped_column(sa.String(2048))
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default=Status.PENDING)
    # Why the comment has its status, in a sentence (worker decision or moderator).
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    depth: Mapped[int] = mapped_column(default=0)
    ip_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    # SimHash of the body (service.similarity), for the near-duplicate check.
    simhash: Mapped[int] = mapped_column(sa.BigInteger)
    user_agent: Mapped[str | None] = mapped_column(sa.String(512))
    # Signals the widget sent with the submission (honeypot, elapsed time).
    client: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()
    # Reader features (migration 0008): vote tallies kept beside the votes for sorting,
    # a moderator's pin, the author's last edit, and the author's deletion (a tombstone).
    votes_up: Mapped[int] = mapped_column(default=0, server_default="0")
    votes_down: Mapped[int] = mapped_column(default=0, server_default="0")
    pinned: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    edited_at: Mapped[datetime | None] = mapped_column()
    # Where an imported comment came from ("wordpress", "disqus", ...) and its id there:
    # unique per site, so importing the same file again creates nothing (migration 0007).
    source: Mapped[str | None] = mapped_column(sa.String(32))
    source_id: Mapped[str | None] = mapped_column(sa.String(255))
    # A tombstone: the comment was deleted (at its source, or erased by its author) but has
    # replies, which keep their place under it. Body and author are empty.
    deleted_at: Mapped[datetime | None] = mapped_column()

    thread: Mapped[Thread] = relationship()
    identity: Mapped[Identity | None] = relationship()
    checks: Mapped[list[CheckResultRow]] = relationship(
        order_by="CheckResultRow.id", cascade="all, delete-orphan", passive_deletes=True
    )


class CheckResultRow(Base):
    __tablename__ = "check_results"
    __table_args__ = (sa.UniqueConstraint("comment_id", "check"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    check: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(16), default="spam")
    score: Mapped[float] = mapped_column(sa.Float)
    reason: Mapped[str] = mapped_column(sa.Text)
    version: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ModerationEvent(Base):
    """The audit log: every status change a person or the worker made."""

    __tablename__ = "moderation_events"
    __table_args__ = (sa.Index("ix_moderation_events_site_id_id", "site_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(32))
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str | None] = mapped_column(sa.String(16))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A bearer token for the moderation API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(16))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The first characters of the secret, so a list can tell tokens apart without showing them
    # (NULL for tokens made before migration 0006).
    prefix: Mapped[str | None] = mapped_column(sa.String(16))
    label: Mapped[str | None] = mapped_column(sa.String(200))
    # Who made it: "cli", "make run", or the owner's actor label.
    created_by: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # NULL: never expires (only on request; `parley tokens create` defaults to 30 days).
    expires_at: Mapped[datetime | None] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    site: Mapped[Site] = relationship()


class SiteMember(Base):
    """An identity's role on a site: owner or moderator."""

    __tablename__ = "site_members"
    __table_args__ = (sa.UniqueConstraint("site_id", "identity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    identity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("identities.id", ondelete="CASCADE")
    )
    # A verified email may be named before its owner has ever signed in.
    email: Mapped[str | None] = mapped_column(sa.String(320))
    role: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Ban(Base):
    """An author who may still write, but whose comments never publish."""

    __tablename__ = "bans"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    identity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("identities.id", ondelete="CASCADE")
    )
    email: Mapped[str | None] = mapped_column(sa.String(320))
    ip_hash: Mapped[str | None] = mapped_column(sa.String(64))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[str] = mapped_column(sa.String(200))
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column()


class SignInSession(Base):
    """A moderator's sign-in on Parley's own pages. The cookie carries only a random id; the
    row (keyed by the id's SHA-256, so a copy of the table signs no one in) decides whether it
    is still valid: logout revokes it, and it ends at an absolute and an idle limit."""

    __tablename__ = "sessions"
    __table_args__ = (sa.Index("ix_sessions_identity_id_revoked_at", "identity_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    identity_id: Mapped[int] = mapped_column(sa.ForeignKey("identities.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class RevokedToken(Base):
    """Reader tokens signed out before they expired."""

    __tablename__ = "revoked_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    jti: Mapped[str] = mapped_column(sa.String(64), unique=True)
    revoked_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Moderation notifications (issue 6): webhooks, reply subscriptions, the
# mail outbox and used one-click links. Owned by service/notifications/.


class Webhook(Base):
    """A site's HTTP endpoint for comment.published / comment.held / comment.spam.

    The secret signs every payload (HMAC-SHA256); it is shown once when the
    webhook is created, like a token, and stored sealed with a key derived
    from the secret key (``service.notifications.sealed_secrets``).
    """

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2048))
    secret: Mapped[str] = mapped_column(sa.String(512))
    events: Mapped[list[str]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """One attempt to deliver an event to a webhook: what the console's delivery log shows.

    ``error`` is a short category ("HTTP 500" is ``status_code``), never the receiver's
    address (its path may carry a credential)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (sa.Index("ix_webhook_deliveries_webhook_id_id", "webhook_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(sa.ForeignKey("webhooks.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(sa.String(32))
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="SET NULL")
    )
    # The delivery id receivers see (X-Parley-Delivery); the same on every retry.
    delivery: Mapped[str] = mapped_column(sa.String(64))
    ok: Mapped[bool] = mapped_column()
    status_code: Mapped[int | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReplySubscription(Base):
    """An author who asked to be mailed when their comment gets a published reply."""

    __tablename__ = "reply_subscriptions"
    __table_args__ = (
        sa.UniqueConstraint("comment_id", "email"),
        sa.Index("ix_reply_subscriptions_site_id_email", "site_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    identity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("identities.id", ondelete="CASCADE")
    )
    email: Mapped[str] = mapped_column(sa.String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    unsubscribed_at: Mapped[datetime | None] = mapped_column()


class Notice(Base):
    """The mail outbox: one row per (kind, comment, recipient), so a retried
    job or a repeated status change never mails twice. ``held`` rows wait for
    the site's next digest (recipient ""); ``reply`` rows name their recipient."""

    __tablename__ = "notices"
    __table_args__ = (
        sa.UniqueConstraint("kind", "comment_id", "recipient"),
        sa.Index("ix_notices_site_id_kind_sent_at", "site_id", "kind", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    recipient: Mapped[str] = mapped_column(sa.String(320), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


class MailLinkUse(Base):
    """Nonces of one-click links from moderator mails that were used: each works once."""

    __tablename__ = "mail_link_uses"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(sa.String(16))
    used_by: Mapped[str] = mapped_column(sa.String(320))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Import and export (issue 14). Owned by service/importing/.


class ImportJob(Base):
    """An import an owner uploaded through the API or the dashboard, run by an RQ job. The
    uploaded file is kept in the row until the job has read it (web and worker may not share a
    disk), then dropped; the report is what ``parley import --json`` prints."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(sa.String(16))
    filename: Mapped[str | None] = mapped_column(sa.String(255))
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    payload: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    # queued, running, done, failed
    state: Mapped[str] = mapped_column(sa.String(16), default="queued")
    processed: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None] = mapped_column()
    report: Mapped[dict[str, Any] | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()


# --- Reader features (issue 16): votes, reports, edit history, page likes, used challenges.
# Owned by service/comments/{votes,reports,edits,likes,challenge}.py.


class CommentVote(Base):
    """One reader's vote on one comment. ``voter`` is ``identity:<id>`` for a signed-in reader,
    ``guest:<keyed hash of the browser token and the address>`` for a guest."""

    __tablename__ = "comment_votes"
    __table_args__ = (
        sa.UniqueConstraint("comment_id", "voter"),
        sa.Index("ix_comment_votes_comment_id_ip_hash", "comment_id", "ip_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    voter: Mapped[str] = mapped_column(sa.String(80))
    value: Mapped[int] = mapped_column(sa.SmallInteger)
    ip_hash: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CommentReport(Base):
    """A reader's flag on a published comment; one per reader and comment."""

    __tablename__ = "comment_reports"
    __table_args__ = (
        sa.UniqueConstraint("comment_id", "reporter"),
        sa.Index("ix_comment_reports_site_id_dismissed_at", "site_id", "dismissed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    # Same form as CommentVote.voter; never shown to the comment's author.
    reporter: Mapped[str] = mapped_column(sa.String(80))
    reason: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    dismissed_at: Mapped[datetime | None] = mapped_column()
    dismissed_by: Mapped[str | None] = mapped_column(sa.String(200))


class CommentEdit(Base):
    """A comment's text before an edit: the history moderators see."""

    __tablename__ = "comment_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # The status the comment had with that text.
    status: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThreadLike(Base):
    """One reader's like of the page a thread belongs to."""

    __tablename__ = "thread_likes"
    __table_args__ = (sa.UniqueConstraint("thread_id", "liker"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    liker: Mapped[str] = mapped_column(sa.String(80))
    # Signed-in likers are shown by name and avatar; guests only count.
    identity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("identities.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    identity: Mapped[Identity | None] = relationship()


class ChallengeUse(Base):
    """A proof-of-work solution that was spent: each one lets one comment through, once."""

    __tablename__ = "challenge_uses"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


# --- Signing in as yourself (issue 18): a site's own accounts (SSO) and single-use
# sign-in tokens. Owned by service/auth/sso.py and service/auth/email_link.py.


class SiteSso(Base):
    """How a site vouches for its own readers: a shared HS256 secret (sealed at rest, like
    webhook secrets) or the URL of the host's published keys (RS256/ES256)."""

    __tablename__ = "site_sso"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), unique=True)
    secret: Mapped[str | None] = mapped_column(sa.String(1024))
    jwks_url: Mapped[str | None] = mapped_column(sa.String(2048))
    # The owner vouches for the host's verified addresses: only then is an email_verified
    # claim believed (and may link to a moderator role named by address).
    trust_email: Mapped[bool] = mapped_column(default=False)
    updated_by: Mapped[str] = mapped_column(sa.String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class UsedToken(Base):
    """Single-use sign-in tokens already spent: an SSO token's jti, a magic link's nonce.

    Keyed by a hash of (kind, site, id); a row may go once the token it names has expired.
    """

    __tablename__ = "used_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
