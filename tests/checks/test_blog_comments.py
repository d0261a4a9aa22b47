"""What an ordinary blog gets, through every check and the decision (the worker's path).

Each test names a failure class of the hand-written dev sets (``devset/``):
readers who back up a point with a link, swear at a bug or use a violent
idiom are published; insults at "you" and fake support numbers are not.
Nothing here was trained or tuned on; the texts only find regressions.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from service.policy import Policy
from service.status import Status
from worker.checks import learned
from worker.checks.base import CheckContext, CommentFacts
from worker.decision import decide
from worker.pipeline import run_checks
from worker.text.features import hash_index
from worker.text.model_text import model_text

DEVSET = Path(__file__).parent / "devset"


def devset(name: str, kinds: set[str]) -> list[str]:
    with open(DEVSET / name, newline="", encoding="utf-8") as f:
        found = [r["text"] for r in csv.DictReader(f) if r["kind"] in kinds]
    assert found, kinds
    return found


def decision(text: str):
    context = CheckContext(policy=Policy(), stateful=False)
    results = run_checks(CommentFacts(body=text, text=text), context)
    return decide(results, context.policy), {r.check: r for r in results}


LINKED = [
    "Same bug here: https://github.com/pallets/flask/issues/5123 - the workaround in the "
    "third comment fixed it for me.",
    "For the history, see https://en.wikipedia.org/wiki/Bloom_filter, the false positive "
    "formula is there.",
    "The docs explain the flag: https://docs.python.org/3/library/re.html#re.VERBOSE",
    "I wrote a follow-up with benchmarks on my blog: https://janedoe.dev/posts/warm-caches "
    "- the numbers agree with yours once the cache is warm.",
    "There is an upstream discussion at https://gitlab.com/gnome/gtk/-/issues/4521, read it "
    "before you upgrade.",
]


@pytest.mark.parametrize("text", LINKED)
def test_ordinary_comments_with_a_useful_link_are_published(text):
    result, results = decision(text)
    assert result.status == Status.PUBLISHED, (result.reason, results["spam_model"].reason)


@pytest.mark.parametrize("kind", ["ordinary_with_useful_link", "ordinary"])
def test_the_devset_ordinary_comments_are_published(kind):
    # Of the 70 with a link, three are still held (docs/checks.md: "check out" or
    # "go to" with a link to a site the link rules do not know, and a bare link
    # with three words of its own); a fourth is a regression. None of the 70
    # without a link is held.
    texts = devset("spam.csv", {kind})
    held = [t for t in texts if decision(t)[0].status != Status.PUBLISHED]
    assert len(held) <= (3 if kind == "ordinary_with_useful_link" else 0), held


CIVIL = [
    "this bug killed my weekend",
    "Fucking hell, this bug ate my afternoon.",
    "Holy shit, that is fast.",
    "Windows is shit for this kind of work.",
    "this API is garbage and the docs are worse",
    "damn, I spent three hours on this migration",
]


@pytest.mark.parametrize(
    "text",
    CIVIL
    + devset(
        "abuse.csv",
        {"untargeted_swearing", "violent_idiom", "criticism_of_thing", "self_deprecation"},
    ),
)
def test_swearing_at_things_and_violent_idioms_are_published(text):
    result, results = decision(text)
    assert result.status == Status.PUBLISHED, (result.reason, results["toxicity_model"].reason)


@pytest.mark.parametrize(
    "text",
    [
        "You are a clueless clown and should stop writing about databases.",
        "shut up, you moron, nobody asked",
        "you're an idiot if you think this benchmark means anything",
    ],
)
def test_insults_at_you_are_held(text):
    result, _ = decision(text)
    assert result.status == Status.HELD, result.reason


@pytest.mark.parametrize(
    "text",
    [
        "Call our Microsoft support helpline 24/7 at +1 (888) 431-2209 for refunds",
        "Quickbooks customer care number +1-855-210-4477, call now",
    ],
)
def test_fake_support_numbers_are_held_or_filed(text):
    result, _ = decision(text)
    assert result.status in (Status.HELD, Status.SPAM), result.reason


def test_the_spam_model_has_no_bare_link_token():
    """It never learns "has a link": links to vouched-for hosts and links in a comment
    with words of its own leave no trace in its text; only a brief comment pointing at
    an unvouched site does (``brieflinktok``), and that is what its reason names."""
    model = learned.get_model("spam")
    for text in LINKED:
        words = model_text(text, spam_cues=True).split()
        assert not any("link" in w and w.endswith("tok") for w in words), words
        assert not any("link" in t for t in model.top_terms(model_text(text, True), k=10))
    brief = model_text("cool http://example-shop.biz", spam_cues=True).split()
    assert "brieflinktok" in brief
    vouched = model_text("see https://en.wikipedia.org/wiki/Foo", spam_cues=True).split()
    assert not [w for w in vouched if w.endswith("tok")]
    # The old bare link token is gone from the model: its column (shared by hashing
    # with some other n-gram) weighs next to nothing beside the brief-comment token.
    brief_weight = model.coef[hash_index("brieflinktok", model.spec.n_features)]
    assert abs(model.coef[hash_index("urltok", model.spec.n_features)]) < 0.1 * brief_weight
