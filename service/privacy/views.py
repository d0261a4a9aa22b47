"""HTTP face of readers' own data.

A signed-in reader (the reader token the widget holds, as ``Authorization: Bearer``) downloads
everything held about them on a site, or erases it. A guest has no account: they give their
address, and a signed link mailed there (``worker.privacy``) lands on a page that asks, then
erases on POST (mail scanners fetch GETs; they must never erase anything).
"""

from __future__ import annotations

from functools import partial

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from sqlalchemy.exc import IntegrityError

from service.access import bearer_token
from service.api import endpoint
from service.auth.readers import reader_identity, revoke_reader_token
from service.effects import after_commit
from service.enqueue import enqueue_erase_link
from service.errors import ApiError
from service.models import Comment, Identity, Site, SiteMember
from service.privacy.erase import Author, collect, erase
from service.privacy.links import EraseLinkError, read_erase_token, spend
from service.privacy.schemas import ErasedOut, EraseRequestIn, EraseRequestOut, MyData
from service.runtime import current_runtime
from service.schemas import SiteQuery
from service.sites import get_site
from service.text import normalize_email

bp = Blueprint("privacy", __name__, template_folder="templates")


def _signed_in(session, site):
    rt = current_runtime()
    identity = reader_identity(session, rt.settings.secret_key, site)
    if identity is None:
        raise ApiError("unauthorized", "sign in first (send the reader token as a Bearer token)")
    return identity


@endpoint(
    bp,
    "/api/v1/me/data",
    "GET",
    summary="Everything Parley holds about the signed-in reader on a site, as JSON "
    "(GDPR articles 15 and 20; send the reader token as Authorization: Bearer)",
    query=SiteQuery,
    responses={200: MyData},
    auth=True,
    errors=(401, 404),
)
def my_data(query: SiteQuery):
    rt = current_runtime()
    with rt.session() as session:
        site = get_site(session, query.site)
        identity = _signed_in(session, site)
        data = collect(session, site, Author(identity_id=identity.id))
    headers = {
        "Content-Disposition": f'attachment; filename="parley-{site.slug}-my-data.json"',
        "Cache-Control": "no-store",
    }
    return data, 200, headers


def _forget_identity_if_unused(session, identity_id: int) -> bool:
    """The account row goes too once nothing refers to it (no comment on any site, no role)."""
    used = session.scalar(sa.select(Comment.id).where(Comment.identity_id == identity_id).limit(1))
    member = session.scalar(
        sa.select(SiteMember.id).where(SiteMember.identity_id == identity_id).limit(1)
    )
    if used is None and member is None:
        session.execute(sa.delete(Identity).where(Identity.id == identity_id))
        return True
    return False


@endpoint(
    bp,
    "/api/v1/me",
    "DELETE",
    summary="Erase the signed-in reader's data on a site: their comments are anonymized or "
    "deleted as the site's policy says (replies keep their place), and they are signed out "
    "(GDPR article 17)",
    query=SiteQuery,
    responses={200: ErasedOut},
    auth=True,
    errors=(401, 404),
)
def erase_me(query: SiteQuery):
    rt = current_runtime()
    with rt.session() as session:
        site = get_site(session, query.site)
        identity = _signed_in(session, site)
        identity_id = identity.id
        revoke_reader_token(session, rt.settings.secret_key, bearer_token(), site.id)
        result = erase(session, site, Author(identity_id=identity_id), f"reader #{identity_id}")
        session.expunge(identity)
        account_removed = _forget_identity_if_unused(session, identity_id)
        session.commit()
    return ErasedOut(erased=result.as_dict() | {"account_removed": account_removed}).model_dump()


@endpoint(
    bp,
    "/api/v1/me/erase-request",
    "POST",
    summary="A guest asks to erase what they wrote with an address: a link to confirm is "
    "mailed there (valid a day, once). The answer is the same whether or not the address "
    "wrote anything.",
    body=EraseRequestIn,
    responses={202: EraseRequestOut},
    errors=(403, 422),
)
def erase_request(body: EraseRequestIn):
    rt = current_runtime()
    if not rt.settings.mail.enabled:
        # Not an outage but how this Parley is set up: no mail, so no confirmation by mail.
        raise ApiError(
            "forbidden", "this Parley cannot send mail; ask the site's owner to erase your data"
        )
    email = normalize_email(str(body.email))
    with rt.session() as session:
        site = get_site(session, body.site, field="site")
        after_commit(session, partial(enqueue_erase_link, rt.queue, rt.settings, site.id, email))
        session.commit()
    out = EraseRequestOut(
        message="If comments were written with this address here, a link to confirm their "
        "erasure is on its way to it."
    )
    return out.model_dump(), 202


def _page(title: str, message: str, status: int = 200, confirm: bool = False):
    return render_template("privacy_erase.html", title=title, message=message, confirm=confirm), (
        status
    )


@bp.route("/privacy/erase/<token>", methods=["GET", "POST"])
def erase_page(token: str):
    rt = current_runtime()
    try:
        claims = read_erase_token(rt.settings.secret_key, token)
    except EraseLinkError as error:
        status = 410 if error.reason == "expired" else 400
        return _page("Link not usable", error.message, status)
    with rt.session() as session:
        site = session.get(Site, claims.site_id)
        if site is None:
            return _page("Gone", "This site no longer exists.", 404)
        if request.method == "GET":
            return _page(
                "Erase your comments",
                f"Erase the comments written with {claims.email} on {site.name}, and what "
                "Parley keeps about them? This cannot be undone.",
                confirm=True,
            )
        try:
            spend(session, claims)
            result = erase(session, site, Author(email=claims.email), "guest (mailed link)")
            session.commit()
        except EraseLinkError as error:
            return _page("Link not usable", error.message, 409)
        except IntegrityError:  # a double click: the other request erased
            session.rollback()
            return _page("Link not usable", "this link was already used", 409)
    return _page(
        "Erased",
        f"Done: {result.comments} comments "
        + ("anonymized." if result.mode == "anonymize" else "deleted.")
        + " Replies by others stay in place.",
    )
