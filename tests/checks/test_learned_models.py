"""The shipped spam and toxicity models: artifacts, loading, scoring, explanations."""

from __future__ import annotations

import json

import numpy as np
import pytest

from service import caches
from worker.checks import learned
from worker.checks.base import CheckContext, CommentFacts
from worker.text.cues import SPAM_CUES
from worker.text.features import FeatureSpec
from worker.text.model_text import model_text, model_text_parts


@pytest.mark.parametrize("name", ["spam", "toxicity"])
def test_artifacts_ship_with_metadata_and_stay_small(name):
    path = learned.artifact_path(name)
    assert path.stat().st_size < 2_000_000
    meta = json.loads(path.with_suffix(".json").read_text())
    assert len(meta["data_hash"]) == 64 and meta["data"]
    assert {"scikit-learn", "numpy", "python"} <= set(meta["versions"])
    assert (
        meta["metrics"]
        and meta["operating_points"]["hold_prob"] < meta["operating_points"]["sure_prob"]
    )
    model = learned.LinearTextModel.load(path)
    assert model.version == meta["version"]


def test_models_load_once_per_process():
    caches.forget_all()
    path = learned.artifact_path("spam")
    before = learned.LOADS[path]
    check = learned.spam_model
    ctx = CheckContext(stateful=False)
    for body in ("first comment", "second comment", "third comment"):
        check(CommentFacts(body=body), ctx)
    assert learned.LOADS[path] == before + 1


# Texts that exercise the fast path's corners: cue tokens appended to no text,
# one word or many; one-letter words (shorter than a character n-gram); links,
# full width, HTML, repeats.
ROW_TEXTS = [
    "Check out my channel http://bit.ly/abc — ｆｕｌｌ width & <b>html</b>",
    "subscribe",
    "sub 2 me plz",
    "",
    "a",
    "I a b c d",
    "please share this video and like this comment if you agree, free gift cards!!!",
    "I love how the chorus comes back at the end of this song. 2:31 is the best part",
    "soooooo gooood @someone call +1 555 123 4567 visit example dot com",
    "my channel",
]


@pytest.mark.parametrize(
    "spec",
    [
        learned.get_model("spam").spec,
        learned.get_model("toxicity").spec,
        FeatureSpec(n_features=2**10, word_ngrams=(1, 3), char_ngrams=(1, 4), spam_cues=True),
        FeatureSpec(n_features=2**12, word_ngrams=(2, 3), char_ngrams=(4, 6), char_weight=0.5),
    ],
    ids=["spam", "toxicity", "wide", "bigrams-up"],
)
def test_fast_rows_equal_the_batch_features(spec):
    caches.forget("texts")
    batch = spec.matrix([model_text(raw, spec.spam_cues) for raw in ROW_TEXTS]).toarray()
    for raw, dense in zip(ROW_TEXTS, batch, strict=True):
        # Both fast paths: the text analysed whole, and the worker's (the text
        # without cues analysed once for both models, the cues added after).
        for idx, values in (
            spec.row(model_text(raw, spec.spam_cues)),
            learned.comment_features(spec, raw),
        ):
            assert np.count_nonzero(dense) == len(idx), raw
            assert np.allclose(dense[idx], values), raw


def test_spam_model_scores_and_explains():
    check = learned.spam_model
    ctx = CheckContext(stateful=False)
    spam = check(
        CommentFacts(
            body="Check out my new channel and subscribe!! http://bit.ly/x1 free giftcards"
        ),
        ctx,
    )
    ham = check(CommentFacts(body="I love how the chorus comes back at the end of this song."), ctx)
    assert spam.score >= 0.9 and "top terms" in spam.reason and spam.version.startswith("spam-")
    assert ham.score < 0.5


def test_toxicity_model_holds_abuse_but_never_files_spam():
    check = learned.toxicity_model
    ctx = CheckContext(stateful=False)
    abusive = check(
        CommentFacts(body="shut up you stupid bitch, nobody wants your trash here"), ctx
    )
    clean = check(
        CommentFacts(body="Thanks for the clear explanation of the migration steps."), ctx
    )
    assert abusive.score >= 0.5 and abusive.kind == "abuse"
    assert clean.score < 0.5


def test_model_scores_stay_in_range_on_odd_input():
    ctx = CheckContext(stateful=False)
    for check in (learned.spam_model, learned.toxicity_model):
        for body in ("", " ", "\ufeff", "😀" * 500, "<a href='x'>", "a" * 10000):
            assert 0.0 <= check(CommentFacts(body=body), ctx).score <= 1.0


def test_spam_cues_pool_reworded_promotion_but_not_ordinary_talk():
    assert learned.get_model("spam").spec.spam_cues
    assert not learned.get_model("toxicity").spec.spam_cues
    promo = model_text("take a listen to the new track i made, sub 2 me plz", spam_cues=True)
    assert {"checkouttok", "subtok", "mytok"} <= set(promo.split())
    assert model_text("sub 2 me plz") == "sub 2 me plz"  # the toxicity model's text
    ordinary = model_text(
        "This channel has so many subscribers, how much do artists earn per view?",
        spam_cues=True,
    )
    assert not {"subtok", "moneytok", "checkouttok"} & set(ordinary.split())


def test_spam_model_catches_reworded_promotion_and_names_the_cue():
    check = learned.spam_model
    ctx = CheckContext(stateful=False)
    reworded = check(
        CommentFacts(body="hey guys take a listen to the new track i made, sub 2 me plz"), ctx
    )
    assert reworded.score >= 0.9
    cues = ("<asks to subscribe>", "<points elsewhere>", "<promotes own work>")
    assert any(cue in reworded.reason for cue in cues), reworded.reason
    fan = check(CommentFacts(body="My dad played this at my wedding and everyone cried"), ctx)
    assert fan.score < 0.5


def test_spam_cues_for_asks_and_pleas_skip_everyday_phrasing():
    ask = model_text("Like this comment if you still jam to this in 2015", spam_cues=True)
    assert "likeasktok" in ask.split()
    plea = model_text(
        "sorry for the spam, please take a moment to hear my song. subscrible!", spam_cues=True
    )
    assert {"pleatok", "subtok", "mytok"} <= set(plea.split())
    assert "vidreftok" in model_text("new remix /watch?v=aImbWbfQbzg", spam_cues=True).split()
    ordinary = model_text(
        "I like this post. Are you free now? Setup only takes a minute; I'd vote for option B."
        " Text me later. See youtube.com/watch?v=aImbWbfQbzg at 2:31",
        spam_cues=True,
    )
    cues = {"likeasktok", "moneytok", "pleatok", "votetok", "contacttok", "vidreftok"}
    assert not cues & set(ordinary.split()), ordinary


# One writing of every cue in upper case, one each of the wordings whose
# pattern starts otherwise (a word, a lookbehind, punctuation): the fast gate
# in front of each cue must never hide a match of the cue itself.
CUE_EXAMPLES = {
    "likebaittok": "THUMBS UP IF you are watching",
    "likeasktok": "Leave a like on my page",
    "sharetok": "Please SHARE this",
    "checkouttok": "Check it out",
    "subtok": "Se inscreva no canal / abonniert / Sub 2 me",
    "moneytok": "FREE gift cards for you",
    "votetok": "Please vote",
    "pleatok": "*please read* sorry for the spam",
    "contacttok": "Follow me",
    "mytok": "mi canal",
    "vidreftok": "/watch?v=aImbWbfQbzg",
    "viewtalktok": "2 billion views",
}


@pytest.mark.parametrize("token", list(CUE_EXAMPLES))
def test_every_cue_is_found_through_its_gate(token):
    assert {cue.token for cue in SPAM_CUES} == set(CUE_EXAMPLES)
    _, cues = model_text_parts(CUE_EXAMPLES[token])
    assert token in cues


@pytest.mark.parametrize("hold", [0.5, 0.3])
def test_toxicity_model_never_holds_a_comment_aimed_at_no_one_but_keeps_its_order(hold):
    from service.policy import Policy

    policy = Policy(checks={"toxicity_model": {"hold": hold}})
    ctx = CheckContext(stateful=False, policy=policy)
    check = learned.toxicity_model
    mild = check(CommentFacts(body="ugh, this damn update broke my build"), ctx)
    harsh = check(CommentFacts(body="fucking hell, this shitty fucking bug again"), ctx)
    assert "aimed at no one" in harsh.reason
    assert mild.score <= harsh.score < hold
    assert learned.unaimed_score(0.99, hold) > learned.unaimed_score(0.9, hold)
    assert learned.unaimed_score(1.0, hold) < hold


def test_a_bare_quotation_is_aimed_where_the_quotation_is():
    assert learned.aimed_at_someone('"shut up, you clown" lol')
    assert not learned.aimed_at_someone(
        'The release notes said "you clown" as a joke, which the linter flagged.'
    )
    assert not learned.aimed_at_someone("fucking hell, this bug")
