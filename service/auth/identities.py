"""Identities: a person as one provider knows them, keyed by (provider, subject).

Never looked up by email: an address is only as good as the provider that reported it, and a
provider that does not verify addresses must not be a way into someone else's account.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.auth.profiles import Profile
from service.models import Identity


def find_identity(session: Session, provider: str, subject: str) -> Identity | None:
    return session.scalar(
        sa.select(Identity).where(Identity.provider == provider, Identity.subject == subject)
    )


def upsert_identity(session: Session, profile: Profile) -> Identity:
    """The identity for this profile, created or refreshed with what the provider says now."""
    identity = find_identity(session, profile.provider, profile.subject)
    if identity is None:
        identity = Identity(provider=profile.provider, subject=profile.subject)
        try:
            # A savepoint: losing a race with a concurrent first sign-in undoes only this insert.
            with session.begin_nested():
                session.add(identity)
        except IntegrityError:
            identity = find_identity(session, profile.provider, profile.subject)
            assert identity is not None
    # Apple sends the name on the first sign-in only: its absence later is not a change.
    if profile.name is not None or profile.provider != "apple":
        identity.name = profile.name
    identity.email = profile.email
    identity.email_verified = profile.email_verified
    identity.avatar_url = profile.avatar_url
    identity.profile_url = profile.profile_url
    session.flush()
    return identity
