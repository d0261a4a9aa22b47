"""HTTP face of moderation."""

from __future__ import annotations

from flask import Blueprint, request

from service.access import (
    current_actor,
    list_members,
    member_email,
    remove_member,
    require_moderator,
    require_moderator_of,
    require_owner,
    require_owner_of,
    set_role,
)
from service.api import endpoint
from service.errors import ApiError
from service.models import Ban, Comment, Identity, SiteMember
from service.moderation.actions import apply_action
from service.moderation.audit import audit_page
from service.moderation.bans import lift_ban, list_bans
from service.moderation.bulk import act_on, bulk_apply
from service.moderation.deletion import delete_comment
from service.moderation.live import ModerationEventsQuery, SiteStream, hung_up
from service.moderation.queue import list_queue
from service.moderation.schemas import (
    ActionResult,
    AuditItem,
    AuditPage,
    AuditQuery,
    BanList,
    BanOptions,
    BanOut,
    BanQuery,
    BanResult,
    BulkIn,
    BulkItem,
    BulkResult,
    DeleteResult,
    ItemError,
    QueuePage,
    QueueQuery,
    RoleIn,
    RoleList,
    RoleOut,
    RoleResult,
)
from service.runtime import current_runtime
from service.schemas import SiteQuery
from service.sites import get_site
from service.sse import event_stream, open_stream
from service.status import MODERATOR_ACTIONS
from service.widget.hub import StreamSpec

bp = Blueprint("moderation", __name__, url_prefix="/api/v1/moderation")


@endpoint(
    bp,
    "/comments",
    "GET",
    summary="The moderation queue, newest first, with every check's score and reason",
    query=QueueQuery,
    responses={200: QueuePage},
    auth=True,
    errors=(401, 403, 404),
)
def queue(query: QueueQuery):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)  # 401 before anything is looked up
        site = get_site(session, query.site)
        require_moderator(session, site.id)
        items, next_cursor = list_queue(session, site, query)
    return QueuePage(comments=items, next_cursor=next_cursor).model_dump(mode="json")


@endpoint(
    bp,
    "/events",
    "GET",
    summary="Server-Sent Events (text/event-stream) for a site's moderators: a `comment` event "
    "({id, status}) whenever one of the site's comments is decided, moved or reported",
    query=ModerationEventsQuery,
    responses={200: None},
    auth=True,
    errors=(401, 403, 404, 429),
)
def events(query: ModerationEventsQuery):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)  # 401 before anything is looked up
        site = get_site(session, query.site)
        require_moderator(session, site.id)
        site_id = site.id
    adopt, give_back, after = open_stream(rt, query.after)
    config = rt.settings.widget
    if adopt is not None:
        # Held by the process's stream hub once the headers are out (service.widget.hub).
        spec = StreamSpec(
            0, "", after, config.sse_lifetime, config.sse_heartbeat, give_back, site_id=site_id
        )
        adopt(rt, spec)
        return event_stream(iter(()), private=True)
    # A WSGI server that lends its socket (werkzeug's) lets the stream end as the page leaves.
    sock = request.environ.get("werkzeug.socket")
    stream = SiteStream(
        rt,
        site_id,
        after,
        config.sse_lifetime,
        config.sse_heartbeat,
        gone=hung_up(sock) if sock is not None else None,
    )
    response = event_stream(stream.events(), private=True)
    response.call_on_close(give_back)
    return response


@endpoint(
    bp,
    "/comments/<int:comment_id>/<action>",
    "POST",
    summary="approve, reject, spam or ham (not spam) one comment",
    responses={200: ActionResult},
    auth=True,
    errors=(401, 403, 404, 409),
)
def act(comment_id: int, action: str):
    rt = current_runtime()
    with rt.session() as session:
        # Who is asking comes first: a stranger gets the same 401 for every id and action.
        current_actor(session)
        if action not in MODERATOR_ACTIONS:
            raise ApiError(
                "not_found", f"unknown action {action!r}; use approve, reject, spam or ham"
            )
        comment, site_id, actor = _comment_for_moderator(session, comment_id)
        outcome = apply_action(session, comment, action, actor, site_id)
        session.commit()
    return ActionResult(
        id=outcome.comment_id,
        action=action,
        from_status=outcome.from_status,
        status=outcome.to_status,
        changed=outcome.changed,
    ).model_dump(mode="json")


# --- Bulk actions, deletion, bans, audit log, roles (issue 6) ---------------
# Permissions (service.access): moderators act, delete, ban and read;
# owners also lift bans and manage roles.


def _comment_for_moderator(session, comment_id: int):
    comment, actor = require_moderator_of(session, Comment, comment_id, "comment")
    return comment, comment.thread.site_id, actor


def _action_result(outcome, action: str) -> ActionResult:
    return ActionResult(
        id=outcome.comment_id,
        action=action,
        from_status=outcome.from_status,
        status=outcome.to_status,
        changed=outcome.changed,
    )


def _owner_removes(model, row_id: int, noun: str, remove):
    """DELETE of a site's ban or role: owners only; ``remove`` audits."""
    rt = current_runtime()
    with rt.session() as session:
        row, actor = require_owner_of(session, model, row_id, noun)
        remove(session, row, actor)
        session.commit()
    return "", 204


def _ban_out(ban, slug: str) -> BanOut:
    return BanOut(
        id=ban.id,
        site=slug,
        identity_id=ban.identity_id,
        email=ban.email,
        ip_hash=ban.ip_hash,
        reason=ban.reason,
        created_by=ban.created_by,
        comment_id=ban.comment_id,
        created_at=ban.created_at,
        expires_at=ban.expires_at,
    )


@endpoint(
    bp,
    "/bulk",
    "POST",
    summary="One action on many comments in one transaction; a result per id. "
    "An id that cannot take the action (409 conflict or invalid_transition, 403, 404) is "
    "reported in its own result and does not stop the others; the response is 200.",
    body=BulkIn,
    responses={200: BulkResult},
    auth=True,
    errors=(401,),
)
def bulk(body: BulkIn):
    rt = current_runtime()
    options = {}
    if body.action == "ban":
        ban = body.ban or BanOptions()
        options = {
            "expires_in_days": ban.expires_in_days,
            "reason": ban.reason,
            "mark_spam": ban.mark_spam,
        }
    with rt.session() as session:
        actor = current_actor(session)
        results = bulk_apply(session, body.ids, body.action, actor, **options)
        session.commit()
    items = [
        BulkItem(
            id=r.id,
            ok=r.ok,
            from_status=r.from_status,
            status=r.status,
            changed=r.changed,
            ban_id=r.ban_id,
            error=ItemError(code=r.error_code, message=r.error_message) if r.error_code else None,
        )
        for r in results
    ]
    return BulkResult(
        action=body.action,
        changed=sum(r.changed for r in results),
        failed=sum(not r.ok for r in results),
        results=items,
    ).model_dump(mode="json")


def _delete(comment_id: int):
    rt = current_runtime()
    with rt.session() as session:
        comment, site_id, actor = _comment_for_moderator(session, comment_id)
        outcome = delete_comment(session, comment, actor, site_id)
        session.commit()
    return DeleteResult(id=comment_id, deleted=True, from_status=outcome.from_status).model_dump()


@endpoint(
    bp,
    "/comments/<int:comment_id>",
    "DELETE",
    summary="Delete a comment for good (audited); its replies become top-level",
    responses={200: DeleteResult},
    auth=True,
    errors=(401, 403, 404),
)
def delete(comment_id: int):
    return _delete(comment_id)


@endpoint(
    bp,
    "/comments/<int:comment_id>/delete",
    "POST",
    summary="Delete a comment for good (same as DELETE /comments/{id}, for form-minded clients)",
    responses={200: DeleteResult},
    auth=True,
    errors=(401, 403, 404),
)
def delete_by_post(comment_id: int):
    return _delete(comment_id)


@endpoint(
    bp,
    "/comments/<int:comment_id>/ban",
    "POST",
    summary="Ban the comment's author (identity if signed in, else email; and the hashed IP) "
    "so their next comments never publish; files this comment as spam unless mark_spam is false. "
    "Send {} for a ban without expiry.",
    body=BanOptions,
    responses={200: BanResult},
    auth=True,
    errors=(401, 403, 404, 409),
)
def ban(comment_id: int, body: BanOptions):
    rt = current_runtime()
    with rt.session() as session:
        comment, site_id, actor = _comment_for_moderator(session, comment_id)
        slug = comment.thread.site.slug
        outcome, (row, created) = act_on(
            session,
            comment,
            "ban",
            actor,
            site_id,
            expires_in_days=body.expires_in_days,
            reason=body.reason,
            mark_spam=body.mark_spam,
        )
        session.commit()
        out = BanResult(
            ban=_ban_out(row, slug),
            created=created,
            comment=_action_result(outcome, "spam" if outcome.changed else "ban"),
        )
    return out.model_dump(mode="json")


@endpoint(
    bp,
    "/bans",
    "GET",
    summary="A site's active bans (include_expired=true for all), newest first",
    query=BanQuery,
    responses={200: BanList},
    auth=True,
    errors=(401, 403, 404),
)
def list_site_bans(query: BanQuery):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)  # 401 before anything is looked up
        site = get_site(session, query.site)
        require_moderator(session, site.id)
        rows = list_bans(session, site.id, include_expired=query.include_expired)
        return BanList(bans=[_ban_out(b, site.slug) for b in rows]).model_dump(mode="json")


@endpoint(
    bp,
    "/bans/<int:ban_id>",
    "DELETE",
    summary="Lift a ban (owners only; audited)",
    responses={204: None},
    auth=True,
    errors=(401, 403, 404),
)
def lift(ban_id: int):
    return _owner_removes(Ban, ban_id, "ban", lift_ban)


@endpoint(
    bp,
    "/audit",
    "GET",
    summary="The audit log, newest first: who did what to which comment, from and to which "
    "status, when (the worker's decisions too, unless people_only=true)",
    query=AuditQuery,
    responses={200: AuditPage},
    auth=True,
    errors=(401, 403, 404),
)
def audit_log(query: AuditQuery):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)  # 401 before anything is looked up
        site = get_site(session, query.site)
        require_moderator(session, site.id)
        rows, next_cursor = audit_page(
            session,
            site.id,
            cursor=query.cursor,
            limit=query.limit,
            actor=query.actor,
            action=query.action,
            comment_id=query.comment,
            people_only=query.people_only,
        )
        events = [AuditItem.model_validate(row, from_attributes=True) for row in rows]
    return AuditPage(events=events, next_cursor=next_cursor).model_dump(mode="json")


def _role_out(member, identity, slug: str) -> RoleOut:
    return RoleOut(
        id=member.id,
        site=slug,
        role=member.role,
        email=member_email(member, identity),
        identity_id=member.identity_id,
        name=identity.name if identity else None,
    )


@endpoint(
    bp,
    "/roles",
    "GET",
    summary="Who holds a role on a site (owner or moderator)",
    query=SiteQuery,
    responses={200: RoleList},
    auth=True,
    errors=(401, 403, 404),
)
def roles(query: SiteQuery):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)  # 401 before anything is looked up
        site = get_site(session, query.site)
        require_moderator(session, site.id)
        members = [_role_out(m, i, site.slug) for m, i in list_members(session, site)]
    return RoleList(members=members).model_dump(mode="json")


@endpoint(
    bp,
    "/roles",
    "POST",
    summary="Give someone (by email or identity_id) a role on a site, or change it (owners only)",
    body=RoleIn,
    responses={200: RoleResult},
    auth=True,
    errors=(401, 403, 404, 409),
)
def grant_role(body: RoleIn):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)  # 401 before anything is looked up
        site = get_site(session, body.site, field="site")
        actor = require_owner(session, site.id)
        member, changed = set_role(
            session, site.id, body.role, actor.label, email=body.email, identity_id=body.identity_id
        )
        session.commit()
        identity = session.get(Identity, member.identity_id) if member.identity_id else None
        out = RoleResult(member=_role_out(member, identity, site.slug), changed=changed)
    return out.model_dump(mode="json")


@endpoint(
    bp,
    "/roles/<int:member_id>",
    "DELETE",
    summary="Take a role away (owners only; a site keeps at least one owner)",
    responses={204: None},
    auth=True,
    errors=(401, 403, 404, 409),
)
def revoke_role(member_id: int):
    return _owner_removes(
        SiteMember, member_id, "role", lambda s, m, actor: remove_member(s, m, actor.label)
    )
