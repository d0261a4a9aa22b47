"""Link reputation: a link alone is not spam; where it leads decides.

Through the real pipeline and decision (``judge``). Where a test is about
these checks alone, the learned spam model is switched off by the site policy,
so the test fails only when the link checks regress.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from service.models import CheckResultRow, Comment
from service.status import Status
from tests.support.guests import guest_post

# The checks this family adds or changes; none of them may hold an ordinary comment.
LINK_CHECKS = ("link_count", "url_shortener", "link_reputation", "praise_link", "keyword_stuffing")
HOLD = 0.5
MODEL = ("spam_model",)
# Kinds of the dev set these checks must catch without the learned model's help.
CAUGHT_BY_RULES = (
    "seo_link_drop pharma casino crypto loans essay fake_support_number contact_handle"
    " obfuscated_link keyword_stuffing".split()
)


@pytest.mark.parametrize(
    "body",
    [
        "Same bug here: https://github.com/pallets/flask/issues/5123",
        "See https://en.wikipedia.org/wiki/Bloom_filter",
        "https://docs.python.org/3/library/re.html",
        "MDN has it: https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS",
        "Answered at https://stackoverflow.com/questions/11227809",
        "Related: https://blog.example.org/2024/caching",  # the site's own origin
        "BBC: https://www.bbc.co.uk/news/technology-12345678",
        "Guidance: https://www.cdc.gov/flu/prevent/index.html",
        "I wrote up my numbers at https://janedoe.dev/posts/warm-caches, they match yours.",
    ],
)
def test_useful_links_are_not_held_by_the_link_checks(judge, body):
    decision, results = judge(body, off=MODEL)
    assert decision.status == Status.PUBLISHED, decision.reason
    assert all(results[name].score < HOLD for name in LINK_CHECKS)


def test_reference_links_do_not_count_towards_the_link_limit(judge):
    body = "Sources: " + " ".join(
        f"https://en.wikipedia.org/wiki/Topic_{i} https://github.com/o/r/issues/{i}"
        for i in range(3)
    )
    _, results = judge(body)
    assert results["link_count"].score == 0.0
    _, results = judge(body.replace("en.wikipedia.org", "cheap-deals.example"))
    assert (
        results["link_count"].score >= HOLD
        and "cheap-deals.example" in results["link_count"].reason
    )


@pytest.mark.parametrize(
    ("body", "author_url", "domain"),
    [
        ("Buy now https://best-cheap-viagra-online-pharmacy.xyz/order", None, "best-cheap-viagra"),
        ("more at www.casino-bonus-free-spins.net", None, "casino-bonus-free-spins.net"),
        ("Interesting, I see it differently.", "https://payday-loans-fast-cash.com", "payday"),
        ("Read the docs: https://docs.cheap-viagra-pills.xyz", None, "cheap-viagra-pills.xyz"),
    ],
)
def test_a_domain_named_for_spam_is_filed_as_spam(judge, body, author_url, domain):
    decision, results = judge(body, author_url=author_url, off=MODEL)
    assert decision.status == Status.SPAM
    found = results["link_reputation"]
    assert found.score >= 0.9 and domain in found.reason and "spam terms" in found.reason


@pytest.mark.parametrize(
    "body",
    [
        "bitcoin.org explains the protocol well",
        "https://www.pokernews.com covered the final table in detail",
    ],
)
def test_a_topic_word_in_an_honest_name_is_only_a_weak_signal(judge, body):
    decision, results = judge(body, off=MODEL)
    assert results["link_reputation"].score < HOLD
    assert decision.status == Status.PUBLISHED


def test_the_sites_allowed_domains_outrank_the_name(judge):
    body = "Our sponsor: https://best-online-casino-bonus.club/rules"
    _, results = judge(body, {"allowed_domains": ["best-online-casino-bonus.club"]}, off=MODEL)
    assert results["link_reputation"].score == 0.0


def test_generic_praise_with_a_link_is_held_and_without_one_published(judge):
    decision, results = judge("Great post, very informative! https://myseoagency.com", off=MODEL)
    assert decision.status in (Status.HELD, Status.SPAM)
    assert "generic praise" in results["praise_link"].reason
    assert "myseoagency.com" in results["praise_link"].reason
    # The author website the form offers everyone: held for a person, not filed.
    decision, results = judge(
        "Thanks for sharing, keep up the good work!",
        author_url="https://rankbooster.biz",
        off=MODEL,
    )
    assert decision.status == Status.HELD and results["praise_link"].score >= HOLD
    for fine in [
        "Great post, very informative!",
        "Thanks for sharing! The formula is at https://en.wikipedia.org/wiki/Bloom_filter",
        "Great post! My benchmark at https://janedoe.dev/cache shows warm caches double it.",
    ]:
        decision, results = judge(fine, off=MODEL)
        assert results["praise_link"].score == 0.0, fine
        assert decision.status == Status.PUBLISHED, fine


@pytest.mark.parametrize(
    "body",
    [
        "cheap viagra cheap viagra buy viagra online viagra without prescription",
        "casino, slots, poker, online casino, free spins, bonus, jackpot",
        "essays essays essays buy essays online cheap essays",
    ],
)
def test_keyword_stuffing_is_filed_as_spam(judge, body):
    decision, results = judge(body, off=MODEL)
    assert decision.status == Status.SPAM
    assert results["keyword_stuffing"].score >= 0.9


@pytest.mark.parametrize(
    "body",
    [
        "The casino scene was the best part, and the best cast, honestly the best film this year.",
        "We tried python, rust, go, java, kotlin and c# for the rewrite.",
        "Cheap, fast, good: pick two. Cheap hosting is fine for a blog like this.",
        "Bitcoin fees rose again; bitcoin miners like it, but bitcoin users paying for coffee"
        " do not, and I doubt bitcoin will fix that soon.",
        "His essays on startups beat his essays on art, and the essays on taste are best.",
    ],
)
def test_ordinary_repetition_and_lists_are_not_stuffing(judge, body):
    _, results = judge(body)
    assert results["keyword_stuffing"].score < HOLD


def test_dev_set_spam_is_caught_and_ordinary_comments_are_not_held_by_link_checks(
    judge, spam_devset
):
    missed, held_ordinary = [], []
    for row in spam_devset:
        if row["label"] == "spam":
            # The rules' own kinds without the model; the rest with the whole pipeline.
            off = MODEL if row["kind"] in CAUGHT_BY_RULES else ()
            decision, _ = judge(row["text"], off=off)
            if decision.status == Status.PUBLISHED:
                missed.append((row["kind"], row["text"]))
        else:
            decision, results = judge(row["text"], off=MODEL)
            holding = [n for n in (*LINK_CHECKS, "contact_channel") if results[n].score >= HOLD]
            if holding or decision.status != Status.PUBLISHED:
                held_ordinary.append((row["text"], decision.reason))
    assert not missed
    # A bare link with fewer than four words of its own is held for a look by
    # design (link_count, docs/checks.md); one ordinary row is that. Nothing else.
    assert [held for held in held_ordinary if "little more than a link" not in held[1]] == []
    assert len(held_ordinary) <= 1, held_ordinary
    kinds = {row["kind"] for row in spam_devset}
    assert set(CAUGHT_BY_RULES) | {"ordinary", "ordinary_with_useful_link"} <= kinds


# --- learned from moderators ---------------------------------------------------------------


def _domain_result(rt, comment_id: int) -> tuple[str, CheckResultRow]:
    with rt.session() as session:
        row = session.scalar(
            sa.select(CheckResultRow).where(
                CheckResultRow.comment_id == comment_id,
                CheckResultRow.check == "moderator_domains",
            )
        )
        return session.get(Comment, comment_id).status, row


def test_domains_moderators_marked_as_spam_count_against_the_next_link(
    client, rt, site, drain, moderator_token
):
    auth = {"Authorization": f"Bearer {moderator_token}"}
    marked = [
        guest_post(client, "Loved the photos! More like these at https://sunny-vistas.biz/gallery"),
        guest_post(
            client,
            "Our tours go there too: http://sunny-vistas.biz/tours"
            " (background: https://en.wikipedia.org/wiki/Lake_Bled)",
        ),
    ]
    drain()
    for cid in marked:
        assert (
            client.post(f"/api/v1/moderation/comments/{cid}/spam", headers=auth).status_code == 200
        )
    drain()

    again = guest_post(client, "Which lens did you use? I keep a list at sunny-vistas.biz/lenses")
    wiki = guest_post(
        client, "The lake has a long history: https://en.wikipedia.org/wiki/Lake_Bled"
    )
    drain()
    status, result = _domain_result(rt, again)
    assert status == Status.SPAM
    assert result.score >= 0.9 and "sunny-vistas.biz" in result.reason
    assert "marked 2 comment(s)" in result.reason
    # The reference link the spammer padded with is not blamed.
    _, result = _domain_result(rt, wiki)
    assert result.score == 0.0


def test_an_approved_comment_linking_there_clears_the_domain(
    client, rt, site, drain, moderator_token
):
    auth = {"Authorization": f"Bearer {moderator_token}"}
    spam = guest_post(client, "Cheap rooms at https://lakeside-stay.biz/offers, book today")
    fine = guest_post(
        client, "We stayed at https://lakeside-stay.biz last spring, quiet and clean."
    )
    drain()
    client.post(f"/api/v1/moderation/comments/{spam}/spam", headers=auth)
    # Marked as spam by mistake, then freed: the latest label is the one heard.
    client.post(f"/api/v1/moderation/comments/{fine}/spam", headers=auth)
    client.post(f"/api/v1/moderation/comments/{fine}/ham", headers=auth)
    drain()
    nxt = guest_post(client, "Is https://lakeside-stay.biz open in winter?")
    drain()
    _, result = _domain_result(rt, nxt)
    assert result.score == 0.0 and "approved" in result.reason
