"""Moderator feedback: the job ``apply_action`` enqueues after every moderator transition.

Moderator decisions are labels (see ``worker.checks.labels``, which learns
from them straight from the audit rows, no job needed). This job passes them
on to Akismet when it is on: spam labels with ``submit-spam``, comments freed
from the held/spam queue with ``submit-ham``. An Akismet error fails the job
and RQ retries it (``service.enqueue.enqueue_feedback``, registered by
``apply_action`` to run after its commit).
"""

from __future__ import annotations

from service.models import Comment, ModerationEvent
from worker import runtime
from worker.checks.akismet import akismet_fields, client
from worker.checks.labels import LABELS
from worker.pipeline import facts_for


def moderation_feedback(event_id: int) -> str:
    """RQ job: pass a moderator's decision on to Akismet (labels need no job)."""
    rt = runtime.get()
    config = rt.settings.akismet
    with rt.session() as session:
        event = session.get(ModerationEvent, event_id)
        if event is None or event.comment_id is None:
            return "missing"
        label = LABELS.get(event.action)
        if label is None:
            return f"{event.action} is not a spam label"
        if config is None:
            return f"labelled {'spam' if label else 'ham'}"
        if label == 0 and event.from_status not in ("spam", "held"):
            return "ham label of a comment nobody flagged: nothing to report"
        comment = session.get(Comment, event.comment_id)
        fields = akismet_fields(facts_for(comment, comment.thread.site))
    client(config).submit(bool(label), fields)
    return f"reported {'spam' if label else 'ham'} to Akismet"
