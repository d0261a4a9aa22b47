"""Operator commands: migrations, sites, tokens, moderators. ``worker.cli`` adds the worker's."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import click
import sqlalchemy as sa

from service.runtime import Runtime
from service.settings import Settings, SettingsError

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def load_runtime() -> Runtime:
    try:
        return Runtime.build(Settings.from_env())
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


def upgrade_database(
    database_url: str, revision: str = "head", secret_key: str | None = None
) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    # Migrations that seal data at rest (0005) need the key the service opens it with.
    config.attributes["secret_key"] = secret_key
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    # ConfigParser interpolation would choke on "%" in passwords.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    command.upgrade(config, revision)


@click.group(help="Parley: self-hosted comments with explained moderation.")
def cli() -> None:
    pass


@cli.group(help="Database schema.")
def db() -> None:
    pass


@db.command("upgrade", help="Migrate the database to the newest schema (or REVISION).")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    with closing(load_runtime()) as rt:
        upgrade_database(rt.settings.database_url, revision, rt.settings.secret_key)
    click.echo(f"database at {revision}")


@cli.group(help="Sites that embed Parley.")
def sites() -> None:
    pass


@sites.command("create", help="Create (or update) a site.")
@click.argument("slug")
@click.option("--name", help="Display name (defaults to the slug).")
@click.option("--origin", "origins", multiple=True, help="Origin allowed to embed; repeatable.")
@click.option(
    "--policy",
    "policy_json",
    help="Policy as JSON, merged into the site's policy (keys: docs/checks.md).",
)
def sites_create(
    slug: str, name: str | None, origins: tuple[str, ...], policy_json: str | None
) -> None:
    from service.models import Site
    from service.policy import Policy
    from service.sites import create_site, origin_of

    try:
        policy = json.loads(policy_json) if policy_json else {}
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"not JSON: {error}", param_hint="--policy") from None
    if not isinstance(policy, dict):
        raise click.BadParameter("must be a JSON object", param_hint="--policy")
    try:
        Policy.checked(policy)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--policy") from None
    with closing(load_runtime()) as rt, rt.session() as session:
        site = session.scalar(sa.select(Site).where(Site.slug == slug))
        if site is None:
            site = create_site(session, slug, name or slug, list(origins), policy)
            verb = "created"
        else:
            site.name = name or site.name
            merged = list(
                dict.fromkeys([*(site.allowed_origins or []), *(origin_of(o) for o in origins)])
            )
            site.allowed_origins = merged
            site.policy = {**(site.policy or {}), **policy}
            verb = "updated"
        session.commit()
        click.echo(f"site {slug} {verb}; origins: {', '.join(site.allowed_origins) or '(none)'}")


@sites.command(
    "update",
    help="Change a site's settings, as PATCH /api/v1/sites/SLUG does (validated; audited).",
)
@click.argument("slug")
@click.option("--name", help="Display name.")
@click.option(
    "--origin",
    "origins",
    multiple=True,
    help="Allowed origin; repeatable. Replaces the list (see --add-origin).",
)
@click.option("--add-origin", "add_origins", multiple=True, help="Add an origin; repeatable.")
@click.option("--remove-origin", "remove_origins", multiple=True, help="Remove an origin.")
@click.option(
    "--policy",
    "policy_json",
    help='Policy changes as JSON, merged key by key; null resets a key ({"max_depth": 3}).',
)
@click.option(
    "--sso-secret",
    "sso_secret",
    help="Sign-in by the host's accounts: HS256 secret shared with the host's server "
    "(>= 32 bytes); - reads it from stdin.",
)
@click.option("--sso-jwks-url", "sso_jwks_url", help="URL of the host's public keys (RS256/ES256).")
@click.option(
    "--sso-trust-email/--no-sso-trust-email",
    "sso_trust_email",
    default=None,
    help="Believe the host's email_verified claim (default: not).",
)
@click.option("--no-sso", "no_sso", is_flag=True, help="Turn SSO off.")
def sites_update(
    slug: str,
    name: str | None,
    origins: tuple[str, ...],
    add_origins: tuple[str, ...],
    remove_origins: tuple[str, ...],
    policy_json: str | None,
    sso_secret: str | None,
    sso_jwks_url: str | None,
    sso_trust_email: bool | None,
    no_sso: bool,
) -> None:
    from pydantic import ValidationError

    from service.auth.sso import configure_sso, describe, sso_of
    from service.site_admin import SiteUpdate, checked_origin, update_site

    if sso_secret == "-":
        sso_secret = sys.stdin.read().strip()
    changes: dict = {}
    if name is not None:
        changes["name"] = name
    if policy_json is not None:
        try:
            changes["policy"] = json.loads(policy_json)
        except json.JSONDecodeError as error:
            raise click.BadParameter(f"not JSON: {error}", param_hint="--policy") from None
        if not isinstance(changes["policy"], dict):
            raise click.BadParameter("must be a JSON object", param_hint="--policy")
    with closing(load_runtime()) as rt, rt.session() as session:
        site = _site(session, slug)
        if origins or add_origins or remove_origins:
            with _refusals_as_errors():
                gone = {checked_origin(o) for o in remove_origins}
                listed = list(origins) if origins else list(site.allowed_origins or [])
                changes["allowed_origins"] = [
                    o for o in [*listed, *add_origins] if checked_origin(o) not in gone
                ]
        try:
            body = SiteUpdate.model_validate(changes)
        except ValidationError as error:
            first = error.errors()[0]
            raise click.ClickException(
                f"{'.'.join(map(str, first['loc']))}: {first['msg']}"
            ) from None
        with _refusals_as_errors():
            changed = update_site(session, site, body, CLI_ACTOR)
            touches_sso = sso_secret or sso_jwks_url or sso_trust_email is not None or no_sso
            if touches_sso:
                configure_sso(
                    session,
                    site,
                    settings=rt.settings,
                    actor=CLI_ACTOR,
                    secret=sso_secret,
                    jwks_url=sso_jwks_url,
                    trust_email=sso_trust_email,
                    disable=no_sso,
                )
                changed.append("sso")
        session.commit()
        sso = describe(sso_of(session, site))
        what = f"{', '.join(changed)} changed" if changed else "nothing changed"
        origins = ", ".join(site.allowed_origins) or "(none)"
        click.echo(f"site {slug}: {what}; origins: {origins}")
    if touches_sso:
        if not sso["enabled"]:
            click.echo(f"site {slug} updated; sso: off")
            return
        how = "HS256 shared secret" if sso["method"] == "secret" else f"JWKS {sso['jwks_url']}"
        trust = "trusted" if sso["trust_email"] else "not trusted"
        click.echo(f"site {slug} updated; sso: {how}; host-verified emails {trust}")


@sites.command("list", help="List sites.")
def sites_list() -> None:
    from service.models import Site

    with closing(load_runtime()) as rt, rt.session() as session:
        for site in session.scalars(sa.select(Site).order_by(Site.slug)):
            click.echo(f"{site.slug}\t{site.name}\t{' '.join(site.allowed_origins or [])}")


@cli.group(help="API tokens for moderators and owners.")
def tokens() -> None:
    pass


def _lifetime(_ctx, _param, value: str):
    from service.access import parse_lifetime

    try:
        return parse_lifetime(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "-"


@tokens.command("create", help="Create a token; it is printed once, as the last word.")
@click.option("--site", "slug", required=True)
@click.option("--role", type=click.Choice(["moderator", "owner"]), default="moderator")
@click.option("--label", default=None)
@click.option(
    "--expires-in",
    "expires_in",
    default="30d",
    show_default=True,
    callback=_lifetime,
    help="How long it works: 90m, 12h, 30d, 2w (at most 366d), or never.",
)
def tokens_create(slug: str, role: str, label: str | None, expires_in) -> None:
    from service.access import create_token_row

    with closing(load_runtime()) as rt, rt.session() as session:
        row, token = create_token_row(
            session, _site(session, slug), role, label, expires_in=expires_in, created_by=CLI_ACTOR
        )
        session.commit()
        expires = f"expires {_when(row.expires_at)} UTC" if row.expires_at else "never expires"
    click.echo(f"token {row.id} ({expires})", err=True)
    click.echo(f"{role} token for {slug}: {token}")


@tokens.command("list", help="List tokens (never their secrets): id, prefix, site, role, dates.")
@click.option("--site", "slug", default=None, help="Only this site's tokens.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per token, one a line.")
def tokens_list(slug: str | None, as_json: bool) -> None:
    from service.access import list_tokens, token_is_live

    with closing(load_runtime()) as rt, rt.session() as session:
        site_id = _site(session, slug).id if slug else None
        rows = list_tokens(session, site_id)
    if not as_json:
        click.echo(
            "id\tprefix\tsite\trole\tlabel\tcreated_by\tcreated\texpires\tlast_used\trevoked"
        )
    for row, site_slug in rows:
        fields = {
            "id": row.id,
            "prefix": row.prefix,
            "site": site_slug,
            "role": row.role,
            "label": row.label,
            "created_by": row.created_by,
            "created_at": row.created_at,
            "expires_at": row.expires_at,
            "last_used_at": row.last_used_at,
            "revoked_at": row.revoked_at,
            "live": token_is_live(row),
        }
        if as_json:
            click.echo(
                json.dumps({k: v.isoformat() if hasattr(v, "isoformat") else v
                            for k, v in fields.items()})
            )  # fmt: skip
            continue
        click.echo(
            "\t".join(
                [
                    str(row.id),
                    row.prefix or "-",
                    site_slug,
                    row.role,
                    row.label or "-",
                    row.created_by or "-",
                    _when(row.created_at),
                    _when(row.expires_at) if row.expires_at else "never",
                    _when(row.last_used_at),
                    _when(row.revoked_at),
                ]
            )
        )


@tokens.command("revoke", help="Revoke token ID (see `parley tokens list`); it stops at once.")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    from service.access import revoke_token

    with closing(load_runtime()) as rt, rt.session() as session:
        row = revoke_token(session, token_id, CLI_ACTOR)
        if row is None:
            raise click.ClickException(f"no token {token_id}")
        session.commit()
    click.echo(f"token {token_id} revoked")


@cli.group(help="People who moderate a site after signing in (see docs/social-login.md).")
def moderators() -> None:
    pass


# How the audit log names changes made with these commands.
CLI_ACTOR = "cli"


def _site(session, slug: str):
    from service.models import Site

    site = session.scalar(sa.select(Site).where(Site.slug == slug))
    if site is None:
        raise click.ClickException(f"unknown site {slug!r}")
    return site


@contextmanager
def _refusals_as_errors() -> Iterator[None]:
    """What the API answers 409 or 422 to, the CLI prints as its error (exit 1, no traceback)."""
    from service.errors import ApiError

    try:
        yield
    except ApiError as error:
        raise click.ClickException(error.message) from None


def _member_ref(who: str):
    from service.access import MemberRef

    try:
        return MemberRef.parse(who)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


@moderators.command("add", help="Make WHO a moderator: provider:subject, or a verified email.")
@click.option("--site", "slug", required=True)
@click.option("--role", type=click.Choice(["moderator", "owner"]), default="moderator")
@click.argument("who")
def moderators_add(slug: str, role: str, who: str) -> None:
    from service.access import set_role

    ref = _member_ref(who)
    with closing(load_runtime()) as rt, rt.session() as session:
        enabled = {p.name for p in rt.settings.auth.providers}
        if ref.provider is not None and ref.provider not in enabled:
            click.echo(f"warning: provider {ref.provider!r} is not enabled here", err=True)
        site = _site(session, slug)
        email, identity_id = ref.resolve(session, create=True)
        with _refusals_as_errors():
            set_role(session, site.id, role, CLI_ACTOR, email=email, identity_id=identity_id)
        session.commit()
    note = " (counts only once their provider has verified it)" if ref.email else ""
    click.echo(f"{ref} is a {role} of {slug}{note}")


@moderators.command("list", help="List a site's signed-in moderators.")
@click.option("--site", "slug", required=True)
def moderators_list(slug: str) -> None:
    from service.access import list_members

    with closing(load_runtime()) as rt, rt.session() as session:
        for member, identity in list_members(session, _site(session, slug)):
            who = f"{identity.provider}:{identity.subject}" if identity else member.email
            name = (identity.name if identity else None) or ""
            click.echo(f"{member.role}\t{who}\t{name}")


@moderators.command("remove", help="Stop WHO (provider:subject or email) moderating a site.")
@click.option("--site", "slug", required=True)
@click.argument("who")
def moderators_remove(slug: str, who: str) -> None:
    from service.access import find_member, remove_member

    ref = _member_ref(who)
    with closing(load_runtime()) as rt, rt.session() as session:
        site = _site(session, slug)
        email, identity_id = ref.resolve(session)
        member = find_member(session, site.id, email=email, identity_id=identity_id)
        if member is None:
            raise click.ClickException(f"{ref} is not a moderator of {slug}")
        with _refusals_as_errors():
            remove_member(session, member, CLI_ACTOR)
        session.commit()
    click.echo(f"{ref} no longer moderates {slug}")


@moderators.command(
    "sign-out", help="End every signed-in session of WHO (provider:subject), on every browser."
)
@click.argument("who")
def moderators_sign_out(who: str) -> None:
    from service.access import end_all_sessions

    ref = _member_ref(who)
    if ref.email is not None:
        raise click.ClickException("name the identity as provider:subject")
    with closing(load_runtime()) as rt, rt.session() as session:
        _email, identity_id = ref.resolve(session)
        if identity_id is None:
            raise click.ClickException(f"{ref} has never signed in")
        ended = end_all_sessions(session, identity_id)
        session.commit()
    click.echo(f"{ref}: {ended} session(s) ended")
