"""The guest erase-request mail: a signed link to the address that asked, if it wrote
anything on the site. The web answer is the same either way, and so is its timing."""

from __future__ import annotations

import sqlalchemy as sa

from service.models import Comment, Site
from service.notifications.mail import new_message, send_messages
from service.privacy.erase import Author
from service.privacy.links import MAX_AGE, make_erase_token
from service.text import one_line
from worker import runtime


def send_erase_link(site_id: int, email: str) -> str:
    rt = runtime.get()
    ns = rt.settings.mail
    with rt.session() as session:
        site = session.get(Site, site_id)
        if site is None:
            return "no site"
        wrote = session.scalar(
            sa.select(Comment.id).where(Comment.site_id == site_id, Author(email=email).matches())
        )
        if wrote is None:
            return "nothing to erase"
        name = one_line(site.name, 100)
    token = make_erase_token(rt.settings.secret_key, site_id, email)
    link = f"{rt.settings.web.base_url.rstrip('/')}/privacy/erase/{token}"
    text = (
        f"Someone (we hope you) asked to erase the comments written with this address on "
        f"{name}, and everything Parley keeps about them.\n\n"
        f"To confirm, open this link within {MAX_AGE // 3600} hours:\n\n{link}\n\n"
        "If you did not ask, ignore this mail: nothing happens without the link."
    )
    send_messages(ns, [new_message(ns, email, f"Erase your comments on {name}", text)])
    return "sent"
