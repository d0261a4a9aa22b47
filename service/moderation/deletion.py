"""delete_comment: remove a comment for good, leaving a line in the audit log.

Deleting is for what must not be kept (illegal content, personal data);
"reject" already hides a comment. The row goes, and the database cascades
its check results; replies stay and become top-level (``parent_id`` is SET
NULL). Audit rows keep their text but lose the link to the comment, so the
deletion's own row names the comment id in its note.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.access import Actor
from service.comments.freshness import invalidate_after_commit
from service.models import Comment
from service.moderation import audit
from service.moderation.actions import Outcome
from service.notifications.dispatch import announce_after_commit
from service.runtime import current_runtime
from service.status import Status


def delete_comment(session: Session, comment: Comment, actor: Actor, site_id: int) -> Outcome:
    """Delete and flush; the caller commits."""
    status, thread_key = comment.status, comment.thread.key
    comment_id = comment.id
    rt = current_runtime()
    if status == Status.PUBLISHED:
        # Readers may be shown it: the thread's cached reads go and its open widgets drop it.
        announce_after_commit(session, rt, comment_id, comment.thread_id, "deleted", was=status)
    else:
        # Cached pages and counts of the thread are dropped once the deletion commits.
        invalidate_after_commit(session, rt, comment.thread_id)
    session.execute(sa.delete(Comment).where(Comment.id == comment_id))
    session.expunge(comment)
    audit.record(
        session,
        site_id=site_id,
        actor=actor.label,
        action="delete",
        from_status=status,
        note=f"deleted comment {comment_id} on {thread_key} (was {status})",
    )
    session.flush()
    return Outcome(comment_id, status, "deleted", True)
