"""Learning from moderators: a few spam labels on a new campaign catch its next comments."""

from __future__ import annotations

import sqlalchemy as sa

from service.models import CheckResultRow, Comment, Site
from tests.support.guests import guest_post

CAMPAIGN = [
    "My aunt earns 6400 dollars a month from her laptop with the Velvet Harbor method, ask me how",
    "My neighbour earns 7100 dollars a month from his laptop"
    " with the Velvet Harbor method. Ask me how!",
    "my cousin makes 5900 dollars every month on her laptop"
    " thanks to the Velvet Harbor method, ask me how",
    "My sister earns 8200 dollars a month from her laptop"
    " using the Velvet Harbor method - ask me how",
]
NEXT_WAVE = [
    "My brother earns 6900 dollars a month from his laptop"
    " with the Velvet Harbor method, just ask me how",
    "my best friend makes 7300 dollars each month from her laptop"
    " with the Velvet Harbor method. ask me how",
]
CLEAN = [
    "Nice article, thanks for writing it.",
    "I disagree with the second point; the benchmark ignores warm caches.",
    "My aunt read this and asked me how the caching layer works, could you explain the method?",
    "Great post! I've been using this approach for a month and my laptop fans are finally quiet.",
]


def statuses(rt, ids: list[int]) -> list[str]:
    with rt.session() as session:
        return [session.get(Comment, i).status for i in ids]


def label_check(rt, comment_id: int) -> CheckResultRow:
    with rt.session() as session:
        return session.scalar(
            sa.select(CheckResultRow).where(
                CheckResultRow.comment_id == comment_id, CheckResultRow.check == "moderator_labels"
            )
        )


def test_spam_labels_on_a_new_campaign_catch_its_next_comments(
    client, rt, site, drain, moderator_token
):
    first = [guest_post(client, body) for body in CAMPAIGN]
    drain()
    # The shipped model does not know this campaign: it gets through.
    assert statuses(rt, first) == ["published"] * len(first)

    for cid in first:
        response = client.post(
            f"/api/v1/moderation/comments/{cid}/spam",
            headers={"Authorization": f"Bearer {moderator_token}"},
        )
        assert response.get_json()["status"] == "spam"
    drain()  # the feedback jobs run too (nothing to report without Akismet)

    later = [guest_post(client, body) for body in NEXT_WAVE]
    clean = [guest_post(client, body) for body in CLEAN]
    drain()
    assert statuses(rt, later) == ["spam"] * len(later)
    assert statuses(rt, clean) == ["published"] * len(clean)
    caught = label_check(rt, later[0])
    assert caught.score >= 0.9
    assert "marked as spam" in caught.reason and "Velvet Harbor" in caught.reason
    assert label_check(rt, clean[0]).score < 0.5


def test_not_spam_label_is_heard(client, rt, site, drain, moderator_token):
    """A moderator who marks the nearest comment "not spam" silences the check."""
    auth = {"Authorization": f"Bearer {moderator_token}"}
    spam_id, fine_id = guest_post(client, CAMPAIGN[0]), guest_post(client, CAMPAIGN[1])
    drain()
    client.post(f"/api/v1/moderation/comments/{spam_id}/spam", headers=auth)
    client.post(f"/api/v1/moderation/comments/{fine_id}/spam", headers=auth)
    client.post(f"/api/v1/moderation/comments/{fine_id}/ham", headers=auth)
    drain()
    # Nearer to the comment moderators freed than to the one they kept as spam.
    nxt = guest_post(client, CAMPAIGN[1].replace("7100", "7200"))
    drain()
    result = label_check(rt, nxt)
    assert result.score == 0.0 and "approved" in result.reason
    assert statuses(rt, [nxt]) == ["published"]


def test_labels_of_one_site_do_not_leak_to_another(rt, site):
    from worker.checks.base import CheckContext, CommentFacts
    from worker.checks.labels import moderator_labels

    with rt.session() as session:
        other = session.scalar(sa.select(Site).where(Site.slug == "demo"))
        ctx = CheckContext(session=session, settings=rt.settings)
        result = moderator_labels(CommentFacts(body=CAMPAIGN[0], site_id=other.id + 1), ctx)
    assert result.score == 0.0


def test_worker_refreshes_label_memory_before_forking(client, rt, site, drain, moderator_token):
    from service import caches
    from worker.checks import labels

    cid = guest_post(client, CAMPAIGN[0])
    drain()
    client.post(
        f"/api/v1/moderation/comments/{cid}/spam",
        headers={"Authorization": f"Bearer {moderator_token}"},
    )
    caches.forget("labels")
    with rt.session() as session:
        labels.refresh_memories(session)
    (memory,) = labels._MEMORIES.values()
    assert memory.comment_ids.tolist() == [cid] and memory.labels.tolist() == [1]


def test_feedback_job_path_resolves():
    from rq.utils import import_attribute

    from service.enqueue import FEEDBACK_JOB
    from worker.feedback import moderation_feedback

    assert import_attribute(FEEDBACK_JOB) is moderation_feedback
