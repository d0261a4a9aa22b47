"""The check contract, the site policy and the per-process caches."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from service import caches, cors
from service.cli import cli
from service.policy import Policy
from service.widget import assets
from worker.checks import all_checks, learned
from worker.checks.base import CheckContext, CheckResult, CommentFacts, Finding, check
from worker.checks.text_rules import prepare
from worker.text.features import FeatureSpec
from worker.text.links import linked_text

# Stored with every result and shown to moderators: a rename or a silent
# version change would mix old and new scores in the moderation queue.
DECLARED = [
    ("honeypot", "spam", "1"),
    ("submit_speed", "spam", "2"),
    ("link_count", "spam", "5"),
    ("obfuscated_link", "spam", "6"),
    ("url_shortener", "spam", "3"),
    ("self_promotion", "spam", "2"),
    ("blocklist", "policy", "2"),
    ("shouting", "policy", "1"),
    ("length", "policy", "1"),
    ("personal_attack", "abuse", "4"),
    ("threat", "abuse", "4"),
    ("link_reputation", "spam", "5"),
    ("keyword_stuffing", "spam", "4"),
    ("praise_link", "spam", "8"),
    ("ask_link", "spam", "2"),
    ("sales_pitch", "spam", "7"),
    ("anchor_text", "spam", "2"),
    ("contact_channel", "spam", "7"),
    ("spam_model", "spam", None),  # the model's own version
    ("toxicity_model", "abuse", None),
    ("moderator_labels", "spam", "1"),
    ("moderator_domains", "spam", "1"),
    ("duplicate", "spam", "2"),
    ("flood", "policy", "1"),
    ("trust", "trust", "1"),
    ("banned_author", "policy", "1"),
    ("akismet", "spam", "1"),
    ("perspective", "abuse", "1"),
    ("moderation_api", "abuse", "1"),
]


def test_checks_are_declared_once_in_run_order_with_their_stored_names_and_versions():
    declared = [
        (c.name, c.kind, c.version if isinstance(c.version, str) else None) for c in all_checks()
    ]
    assert declared == DECLARED


def test_every_result_carries_its_declaration():
    ctx = CheckContext(stateful=False)
    for declared, (name, kind, version) in zip(all_checks(), DECLARED, strict=True):
        result = declared(CommentFacts(body="A perfectly ordinary comment."), ctx)
        assert (result.check, result.kind) == (name, kind)
        artifact = name.removesuffix("_model")
        assert result.version == (version or learned.get_model(artifact).version)


def test_a_body_answers_score_and_reason_and_may_change_the_kind_of_one_result():
    declared = check("contract_probe", kind="spam", version="7")
    try:
        probe = declared(
            lambda facts, ctx: Finding(1.0, "odd", kind="policy") if facts.body else (0.2, "x")
        )
        ctx = CheckContext(stateful=False)
        assert probe(CommentFacts(body=""), ctx) == CheckResult("contract_probe", 0.2, "x", "7")
        assert probe(CommentFacts(body="?"), ctx).kind == "policy"
    finally:
        from worker.checks.base import REGISTRY

        REGISTRY.pop("contract_probe")
    with pytest.raises(ValueError, match="unknown kind"):
        check("bad", kind="weird", version="1")


def test_policy_defaults_live_in_one_place_and_old_stored_policies_load():
    default = Policy.of(None)
    assert (default.max_depth, default.max_links, default.flood_per_minute) == (5, 2, 5)
    assert (default.thresholds.spam, default.thresholds.hold, default.thresholds.trusted_hold) == (
        0.9,
        0.5,
        0.9,
    )
    stored = Policy.of(
        {
            "max_links": "3",  # written by hand, as a string
            "thresholds": {"hold": 0.6},
            "checks": {"akismet": {"enabled": False}, "toxicity_model": {"hold": 0.8}},
            "something_from_an_older_version": 1,
        }
    )
    assert stored.max_links == 3 and stored.thresholds.hold == 0.6 and stored.thresholds.spam == 0.9
    assert not stored.check_enabled("akismet") and stored.check_enabled("spam_model")
    assert stored.thresholds_for("toxicity_model").hold == 0.8
    assert stored.thresholds_for("link_count").hold == 0.6
    assert stored.unknown_keys() == ["something_from_an_older_version"]


def test_a_broken_stored_policy_fails_the_worker_but_not_the_web():
    with pytest.raises(ValueError, match="max_links"):
        Policy.of({"max_links": "lots", "max_depth": 2})
    served = Policy.of({"max_links": "lots", "max_depth": 2}, strict=False)
    assert (served.max_links, served.max_depth) == (2, 2)


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ('{"max_link": 3}', "unknown policy key(s) max_link"),
        ('{"checks": {"akismet": {"enabeld": false}}}', "checks.akismet.enabeld"),
        ('{"max_depth": "deep"}', "max_depth: Input should be a valid integer"),
    ],
)
def test_sites_create_refuses_a_policy_it_would_misread(policy, message):
    result = CliRunner().invoke(cli, ["sites", "create", "blog", "--policy", policy])
    assert result.exit_code == 2
    assert message in result.output


def test_forget_all_empties_every_declared_cache():
    groups = {name.split(".", 1)[0] for name in caches.declared()}
    assert {"texts", "vocabulary", "models", "labels", "comments"} <= groups
    assert {cors.__name__, assets.__name__} and {"cors", "widget"} <= groups
    linked_text("see example.com")
    prepare("see example.com")
    FeatureSpec(n_features=2**10).columns("some words")
    caches.forget("texts")
    assert linked_text.cache_info().currsize == prepare.cache_info().currsize == 0
    from worker.text import features

    assert features._HASHES  # another group: kept
    caches.forget_all()
    assert not features._HASHES and not features._CHAR_COLUMNS
    with pytest.raises(KeyError):
        caches.forget("no_such_group")
