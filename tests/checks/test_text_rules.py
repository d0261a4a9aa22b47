"""The stateless text rules: what each one catches, and what it leaves alone."""

from __future__ import annotations

import pytest

from service.policy import Policy
from worker.checks.base import CheckContext, CommentFacts
from worker.checks.text_rules import (
    blocklist,
    honeypot,
    link_count,
    obfuscated_link,
    self_promotion,
    shouting,
    submit_speed,
    url_shortener,
)
from worker.text.model_text import model_text
from worker.text.readable import clean_text


def run(rule, body: str, policy: dict | None = None, **facts):
    return rule(
        CommentFacts(body=body, **facts), CheckContext(policy=Policy.of(policy), stateful=False)
    )


@pytest.mark.parametrize(
    "body",
    [
        "cheap pills at pharma-deals . com today",
        "visit pharma-deals dot com for more",
        "pharma-deals(dot)com has it",
        "ｐｈａｒｍａ－ｄｅａｌｓ．ｃｏｍ has it",  # full-width, revealed by NFKC
    ],
)
def test_obfuscated_links_are_caught(body):
    result = run(obfuscated_link, body)
    assert result.score >= 0.5 and "dodge filters" in result.reason


@pytest.mark.parametrize(
    "body", ["I like this song. it is great", "see https://example.com/a", "me dot in the crowd"]
)
def test_plain_text_and_plain_links_are_not_obfuscated(body):
    assert run(obfuscated_link, body).score == 0.0


def test_link_count_over_the_site_limit_holds():
    body = "look " + " ".join(f"https://l{i}.example" for i in range(4))
    result = run(link_count, body, {"max_links": 2})
    assert result.score >= 0.5 and "4 links" in result.reason
    within = "the four sources I used are " + " ".join(f"https://l{i}.example" for i in range(4))
    assert run(link_count, within, {"max_links": 5}).score < 0.5


def test_link_density_and_allowed_domains():
    # Little more than a link: held, unless it is a link to one video.
    assert run(link_count, "https://spam.example.net").score >= 0.5
    assert 0 < run(link_count, "best part https://youtu.be/abc123").score < 0.5
    allowed = {"allowed_domains": ["docs.python.org"]}
    assert run(link_count, "see https://docs.python.org/3/ for the details", allowed).score == 0.0


def test_url_shorteners_hide_the_destination():
    result = run(url_shortener, "great deal here bit.ly/3xYz12 hurry")
    assert result.score >= 0.5 and "bit.ly" in result.reason
    assert run(url_shortener, "read https://en.wikipedia.org/wiki/Spam").score == 0.0


def test_self_promotion_phrasing():
    assert run(self_promotion, "Please subscribe to my channel for more covers!").score >= 0.5
    assert run(self_promotion, "Sub 4 sub anyone?").score >= 0.5
    assert run(self_promotion, "I subscribed to the newsletter, thanks").score == 0.0


@pytest.mark.parametrize(
    "body", ["Buy V1AGRA now", "b.u.y v-i-a-g-r-a", "ＶＩＡＧＲＡ for sale", "get viiiagra"]
)
def test_blocklist_sees_through_leetspeak_spacing_and_full_width(body):
    result = run(blocklist, body, {"blocklist": ["viagra"]})
    assert result.score == 1.0 and "viagra" in result.reason


def test_blocklist_domains_phrases_and_word_boundaries():
    policy = {"blocklist": ["casino-royal.net", "work from home"]}
    assert run(blocklist, "try https://www.casino-royal.net/x", policy).score == 1.0
    assert run(blocklist, "I W0RK FR0M H0ME too", policy).score == 1.0
    assert run(blocklist, "homework from school", policy).score == 0.0
    assert run(blocklist, "nothing", {"blocklist": ["ass"]}).score == 0.0
    assert run(blocklist, "a classic", {"blocklist": ["ass"]}).score == 0.0


def test_honeypot_filled_is_a_bot():
    assert run(honeypot, "hi", client={"honeypot": "http://bot.example"}).score == 1.0
    assert run(honeypot, "hi", client={"honeypot": ""}).score == 0.0


def test_too_fast_submission_is_held_and_per_site():
    fast = run(submit_speed, "hi", client={"elapsed_ms": 300})
    assert fast.score >= 0.5 and "300 ms" in fast.reason
    assert run(submit_speed, "hi", client={"elapsed_ms": 9000}).score == 0.0
    assert run(submit_speed, "hi", {"min_submit_ms": 200}, client={"elapsed_ms": 300}).score == 0.0
    # No signed token (forged or absent): no opinion rather than a guess.
    assert run(submit_speed, "hi", client={"elapsed_ms": None}).score == 0.0


def test_shouting_and_repeats_are_weak_signals():
    loud = run(shouting, "THIS IS THE BEST SONG EVER MADE!!!!!!!!!!!!")
    assert 0 < loud.score < 0.5 and "capitals" in loud.reason
    assert run(shouting, "A calm sentence about NASA and the EU.").score == 0.0


def test_text_is_cleaned_the_same_way_for_rules_and_models():
    raw = 'Check &amp; see <a href="http://bit.ly/x">this</a>\ufeff'
    assert "\ufeff" not in clean_text(raw) and "&amp;" not in clean_text(raw)
    assert "shortlinktok" in model_text(raw, spam_cues=True)
    assert model_text("visit foo dot com") == model_text("visit foo.com")
