"""The personal-attack and threat checks, on a hand-written development set.

``devset/abuse.csv`` was written by hand to find failure classes (its ``kind``
column); it is used only here, never to train or to set a threshold. Every
class has a test that fails if the class regresses, run through the real
pipeline and decision where the outcome is the abuse checks' to decide.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from service.policy import Policy
from service.status import Status
from worker.checks.abuse import personal_attack, threat
from worker.checks.base import CheckContext, CommentFacts
from worker.decision import decide
from worker.pipeline import run_checks

DEVSET = Path(__file__).parent / "devset" / "abuse.csv"
ROWS = list(csv.DictReader(DEVSET.read_text(encoding="utf-8").splitlines(keepends=True)))
HOLD = Policy().thresholds.hold

# Civil kinds the whole pipeline must publish: every civil kind. Untargeted
# swearing and criticism of things publish since the model holds only what is
# aimed at someone; quoted abuse and respectful identity talk since it does not
# hold for quoted or reported words, nor for identity words alone
# (worker.checks.learned.toxicity_model).
PUBLISHED_BY_THE_PIPELINE = {
    "violent_idiom",
    "self_deprecation",
    "negated_insult",
    "criticism_of_thing",
    "untargeted_swearing",
    "quoted_abuse",
    "respectful_identity_talk",
    "disagreement",
    "ordinary",
}


def rows(label: str, kinds: set[str] | None = None) -> list[dict]:
    found = [r for r in ROWS if r["label"] == label and (kinds is None or r["kind"] in kinds)]
    assert found, (label, kinds)
    return found


def ids(found: list[dict]) -> list[str]:
    return [f"{r['kind']}:{r['text'][:40]}" for r in found]


def ctx(policy: dict | None = None) -> CheckContext:
    return CheckContext(policy=Policy.of(policy), stateful=False)


def facts(text: str) -> CommentFacts:
    return CommentFacts(body=text, text=text)


def abuse_results(text: str, policy: dict | None = None):
    return [personal_attack(facts(text), ctx(policy)), threat(facts(text), ctx(policy))]


def pipeline(text: str):
    context = ctx()
    results = run_checks(facts(text), context)
    return results, decide(results, context.policy)


def test_the_devset_has_every_failure_class():
    kinds = {r["kind"] for r in ROWS}
    assert {
        "insult_at_you",
        "threat",
        "self_harm_incitement",
        "criticism_of_thing",
        "violent_idiom",
        "self_deprecation",
        "untargeted_swearing",
        "quoted_abuse",
        "respectful_identity_talk",
    } <= kinds
    assert {r["label"] for r in ROWS} == {"abusive", "civil"}


# Held, but by the learned model rather than the rules (an insult or threat in
# words the rules do not read; a group of people by belief said to be something).
HELD_BY_THE_MODEL = {
    "You're so stupid it hurts.",
    "Women belong in the kitchen, not in tech.",
    "Fat people like you disgust me.",
    "Leftists are mentally ill.",
}
KNOWN_MISSES: set[str] = set()
ABUSIVE = [r for r in rows("abusive") if r["text"] not in KNOWN_MISSES | HELD_BY_THE_MODEL]


@pytest.mark.parametrize("text", sorted(HELD_BY_THE_MODEL))
def test_abuse_the_rules_do_not_read_is_held_by_the_model(text):
    results, decision = pipeline(text)
    assert decision.status == Status.HELD
    assert decision.reason.startswith("toxicity_model"), decision.reason


@pytest.mark.parametrize("row", ABUSIVE, ids=ids(ABUSIVE))
def test_abuse_aimed_at_people_is_held_by_the_abuse_checks(row):
    results, decision = pipeline(row["text"])
    assert decision.status == Status.HELD
    ours = [r for r in results if r.check in ("personal_attack", "threat")]
    worst = max(ours, key=lambda r: r.score)
    assert worst.score >= HOLD and worst.kind == "abuse", worst
    attacks = ("insult", "dehuman", "identity_hate", "harassment")
    expected = "personal_attack" if row["kind"].startswith(attacks) else "threat"
    assert worst.check == expected, worst


PUBLISHED = rows("civil", PUBLISHED_BY_THE_PIPELINE)


@pytest.mark.parametrize("row", PUBLISHED, ids=ids(PUBLISHED))
def test_idioms_self_deprecation_quotes_and_identity_talk_are_published(row):
    results, decision = pipeline(row["text"])
    assert decision.status == Status.PUBLISHED, decision.reason


CIVIL = rows("civil")


@pytest.mark.parametrize("row", CIVIL, ids=ids(CIVIL))
def test_no_civil_comment_is_held_by_the_abuse_checks(row):
    for result in abuse_results(row["text"]):
        assert result.score < HOLD, result


def test_the_reason_names_the_words_and_the_target():
    attack = personal_attack(facts("You are a clueless clown."), ctx())
    assert attack.reason == "personal attack: 'clueless clown' aimed at 'you'"
    named = personal_attack(facts("Dave is an idiot."), ctx())
    assert "'idiot'" in named.reason and "'Dave'" in named.reason
    warned = threat(facts("I hope you die."), ctx())
    assert warned.reason.startswith("threat: wishes death or harm")
    _, decision = pipeline("You are a clueless clown.")
    assert decision.reason.startswith("personal_attack: personal attack: 'clueless clown'")


def test_a_thing_is_not_a_person():
    for text in (
        "This API is garbage.",
        "Windows is shit.",
        "This is a clown show.",
        "It is a shit",
        "Are those real animals",
        "#GTFO reached two million views",
    ):
        assert personal_attack(facts(text), ctx()).score == 0.0
    assert personal_attack(facts("The author is garbage."), ctx()).score >= HOLD


def test_negation_quotation_and_self_reference():
    negated = personal_attack(facts("You are not an idiot."), ctx())
    assert 0 < negated.score < HOLD and "negated" in negated.reason
    for text in (
        "He called me an idiot, which is not OK.",
        'He wrote "you are an idiot" and left.',
        "> you are an idiot\nPlease keep it civil.",
        "I'm an idiot, I forgot the flag.",
        "Nobody here thinks you are stupid.",
    ):
        assert personal_attack(facts(text), ctx()).score < HOLD, text


@pytest.mark.parametrize(
    "text", ["k y s", "k1ll y0urself", "K I L L   yourself", "i h0pe u d1e", "kiiill yourself"]
)
def test_threats_are_read_through_spacing_and_leetspeak(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "This bug killed my weekend.",
        "I could kill for a coffee.",
        "Don't kill yourself over it.",
        "We should kill this feature flag.",
        "I will hurt my back carrying these servers.",
        "Please take care of yourself.",
    ],
)
def test_violent_idioms_are_not_threats(text):
    assert threat(facts(text), ctx()).score == 0.0


def test_pointing_at_someone_with_an_insult():
    pointed = personal_attack(facts("Please ban this cheating scum."), ctx())
    assert pointed.reason == "personal attack: 'scum' aimed at 'this cheating scum'"
    assert personal_attack(facts("What an idiot."), ctx()).score >= HOLD
    mine = personal_attack(facts("I'm one of those idiots who skips the docs."), ctx())
    assert mine.score < HOLD


def test_insults_are_read_through_leetspeak_and_plurals():
    assert personal_attack(facts("ur a 1d10t"), ctx()).score >= HOLD
    assert personal_attack(facts("you guys are m0rons"), ctx()).score >= HOLD


def test_a_site_adds_and_allows_terms():
    assert personal_attack(facts("you are a mugwump"), ctx()).score == 0.0
    added = personal_attack(facts("you are a mugwump"), ctx({"abuse_terms": ["mugwump"]}))
    assert added.score >= HOLD and "'mugwump'" in added.reason
    # WordNet's words too ("bozo") may be allowed by a site
    assert personal_attack(facts("you are a bozo"), ctx()).score >= HOLD
    allowed = {"abuse_allowed_terms": ["bozo"]}
    assert personal_attack(facts("you are a bozo"), ctx(allowed)).score == 0.0
    policy = {"abuse_allowed_terms": ["bitch"]}
    assert personal_attack(facts("you are a bitch"), ctx()).score >= HOLD
    assert personal_attack(facts("she is a bitch"), ctx(policy)).score == 0.0
    with pytest.raises(ValueError, match="abuse_term"):
        Policy.checked({"abuse_term": ["x"]})


def test_a_name_called_in_a_clause_of_its_own():
    for text in ("Get a life, loser.", "Learn to read, dumbass.", "Typical brainwashed sheep."):
        assert personal_attack(facts(text), ctx()).score >= HOLD, text
    # An article makes it a description, and the first person self-deprecation.
    for text in ("Me, an idiot: deploys on a Friday.", "Sheep, cows and a dog."):
        assert personal_attack(facts(text), ctx()).score < HOLD, text


def test_people_a_comment_talks_about_and_groups():
    for text in (
        "This journalist is an absolute clown.",
        "The guy in the video is a total jackass.",
        "The mayor is a corrupt lying scumbag.",
        "Vegans are insufferable morons.",
        "Women are too stupid to be engineers.",
        "All Mexicans are criminals and rapists.",
        "What a pathetic little man.",
        "You people are a bunch of losers.",
        "Only an absolute halfwit would believe this.",
        "Idiots like you ruin every thread.",
        "You must be the dumbest person on this site.",
    ):
        assert personal_attack(facts(text), ctx()).score >= HOLD, text
    for text in (
        "These bugs are shit.",
        "The men who robbed the bank are criminals.",
        "Brexit is a joke.",
        "You are a big fan of the old API.",
        "I was a complete fool to trust the old numbers.",
        "Ads are a cancer on the web.",
    ):
        assert personal_attack(facts(text), ctx()).score < HOLD, text


def test_scorn_and_exclusion_without_a_demeaning_word():
    for text in (
        "Stop posting here, nobody wants you around.",
        "Shut your mouth, nobody cares what you think.",
        "Go back to your own country.",
    ):
        assert personal_attack(facts(text), ctx()).score >= HOLD, text
    for text in ("Nobody wants you to fail.", 'Being told "go back to your country" hurts.'):
        assert personal_attack(facts(text), ctx()).score < HOLD, text


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to find you and beat you up.",
        "You deserve to be beaten.",
        "People like you should be lined up and shot.",
        "I hope someone runs you over.",
        "I hope your house burns down with you in it.",
        "Nobody would miss you if you died.",
        "Someone needs to put a bullet in him.",
        "Just jump off a bridge already.",
    ],
)
def test_more_ways_to_threaten_or_wish_harm(text):
    assert threat(facts(text), ctx()).score >= HOLD


def test_reported_and_passive_name_calling_is_not_the_writers():
    for text in (
        "The kid was called a freak at school every day, which is why he left.",
        "Calling people idiots won't win the argument.",
    ):
        assert personal_attack(facts(text), ctx()).score < HOLD, text


@pytest.mark.parametrize(
    "text",
    [
        "He called me an idiot, which is not OK.",
        "Nobody is calling you stupid, we just disagree.",
        "Queer people are part of this community too.",
        "Calling people idiots won't win the argument.",
    ],
)
def test_the_model_does_not_hold_for_reported_words_or_identity_words_alone(text):
    results, decision = pipeline(text)
    assert decision.status == Status.PUBLISHED, decision.reason
    model = next(r for r in results if r.check == "toxicity_model")
    assert model.score < HOLD


def test_the_model_still_holds_abuse_that_names_an_identity():
    # Taking the identity words out must leave it abuse: slurs and insults stay.
    _, decision = pipeline("Gays are disgusting perverts.")
    assert decision.status == Status.HELD


# --- classes found by the blind batches (devset/abuse_blind2.csv, abuse_blind3.csv) ---


@pytest.mark.parametrize(
    "text",
    [
        "what a m o r o n this guy is",
        "You're a st*pid little man with a keyboard.",
        "you are an id**t",
        "shut up you i.d.i.o.t",
    ],
)
def test_insults_spelled_out_or_masked_are_read(text):
    assert max(r.score for r in abuse_results(text)) >= HOLD


def test_insulting_adjectives_before_a_word_for_a_person():
    assert personal_attack(facts("You are an ignorant old man."), ctx()).score >= HOLD
    # a thing after the adjective is no person
    assert personal_attack(facts("You are a stupid little program."), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Another hit piece from the resident halfwit of this paper.",
        "And the dimwits in charge wonder why nobody reads this.",
    ],
)
def test_a_name_of_contempt_is_said_of_someone_wherever_it_stands(text):
    result = personal_attack(facts(text), ctx())
    assert result.score >= HOLD and "aimed at 'someone'" in result.reason


@pytest.mark.parametrize(
    "text",
    [
        "Me, an idiot: deploys on a Friday.",
        "My idiot brain forgot the backup.",
        "Nobody here is a moron, we just disagree.",
        "A quick hack fixed it, and April fools came early.",
    ],
)
def test_a_name_of_contempt_for_oneself_negated_or_a_thing_is_not(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "You should watch your back, we know who you are.",
        "You'll regret this, I promise you.",
        "I hope you get what's coming to you.",
        "I'd love to meet you in a dark alley and see how tough you are then.",
    ],
)
def test_veiled_threats_without_a_word_of_harm(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Watch your step on that trail, the rocks are slippery.",
        "I got lost in a dark alley in Rome.",
        "Apple will make you pay for the adapter.",
    ],
)
def test_warnings_and_places_are_not_veiled_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


def test_a_dehumanizing_plural_called_out_alone():
    text = "Jews control the media, everyone knows it, parasites."
    assert personal_attack(facts(text), ctx()).score >= HOLD
    assert personal_attack(facts("Rats! I missed the bus."), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "This writer is a shameless propagandist and a liar.",
        "Liberals are mentally ill, plain and simple.",
    ],
)
def test_the_model_holds_abuse_of_people_named_by_role_or_group(text):
    _, decision = pipeline(text)
    assert decision.status == Status.HELD
    assert decision.reason.startswith("toxicity_model"), decision.reason


@pytest.mark.parametrize(
    "text",
    [
        # the abuse is quoted: the writer's own words name the senator, not abuse him
        "The senator was heckled with chants of 'traitor' and 'liar' outside the hall.",
        # a group that does something is not a group said to be something
        "Feminists have pushed for these pay transparency laws for decades.",
        "Even some honest liberals are upset about the ruling.",
    ],
)
def test_naming_a_role_or_group_is_not_enough_for_the_model(text):
    _, decision = pipeline(text)
    assert decision.status == Status.PUBLISHED, decision.reason


# --- classes found by blind batch 4 (devset/abuse_blind4.csv), general means ---------------


@pytest.mark.parametrize(
    "text",
    [
        "The author is a blowhard and a nincompoop.",
        "What a pompous windbag.",
        "Shut up, you nincompoop.",
        "The people running this paper are a bunch of dullards.",
    ],
)
def test_wordnets_words_for_a_person_held_in_contempt_are_insults(text):
    # worker/artifacts/wordnet_contempt.json, built by python -m worker.build_wordnet
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "My cat is a little rascal, she knocked the plant over.",
        "I'm a total klutz, I dropped my phone again.",
        "The critic gave the film two stars.",
    ],
)
def test_wordnet_words_said_fondly_of_oneself_or_describing_are_not(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


def test_the_wordnet_artifact_holds_no_identity_word():
    from worker.checks.abuse import wordnet_contempt

    words = wordnet_contempt()
    assert "windbag" in words and "nincompoop" in words
    assert not {"gay", "queer", "indian", "jew", "negro", "woman", "critic"} & set(words)


@pytest.mark.parametrize(
    "text",
    [
        "Whoever wrote this has the IQ of a garden gnome.",
        "The senator has the spine of a wet paper towel.",
        "A potato has more brain cells than you.",
        "Your brain must be smaller than a walnut.",
    ],
)
def test_belittling_comparisons_aimed_at_someone(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I have the attention span of a goldfish today.",
        "This phone has the battery life of a mayfly.",
        "The new release has more sense than the old one.",
    ],
)
def test_comparisons_of_oneself_or_of_things_are_not_attacks(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


def test_sent_back_under_a_rock():
    assert personal_attack(facts("Go crawl back under your rock."), ctx()).score >= HOLD
    assert personal_attack(facts("The crab crawled back under a rock."), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to punch your teeth in if I see you.",
        "Someone should break his legs for writing this.",
        "We'd gladly push him off a roof.",
        "Somebody needs to teach that judge a lesson.",
        "Please just stop breathing.",
        "Journalists like her should be strung up.",
        "They deserve to be hunted down.",
    ],
)
def test_violence_to_a_body_execution_and_cease_to_exist(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to break my neck on these stairs one day.",
        "I will cut the release branch tomorrow.",
        "I'll knock your socks off with this recipe.",
        "I would happily throw my old laptop off a bridge.",
        "The market will teach them a lesson.",
        "I had to stop breathing for the MRI scan.",
        "The plan should be executed by Friday.",
    ],
)
def test_idioms_of_bodies_bridges_and_lessons_are_not_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "My wife is going to kill me when she sees this invoice.",
        "You guys are killing me with these memes, keep them coming.",
        "I'm such a moron, I deleted the editor config again.",
    ],
)
def test_the_model_does_not_hold_harm_or_names_the_writer_takes_on(text):
    _, decision = pipeline(text)
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "@sam you are honestly the dumbest person in this thread",
        "Nobody here wants your tired takes.",
        "No one wants to read your drivel.",
        "They are not even human.",
        "Immigrants are filthy.",
    ],
)
def test_scorn_at_a_readers_words_denied_humanity_and_fillers(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "He is filthy rich and proud of it.",
        "The mice are inbred for the study.",
        "I am honestly the dumbest person in this meeting, I missed the point.",
        "Nobody wants your data, that is the point of the privacy policy.",
    ],
)
def test_fillers_rich_mice_and_data_are_not_scorn(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


# --- blind round 5 (devset/abuse_blind5.csv): classes fixed by general means ---------------


def attack_or_threat(text: str) -> float:
    return max(r.score for r in abuse_results(text))


@pytest.mark.parametrize(
    "text",
    [
        "You pathetic little man.",
        "Shut up, you sad little troll.",
        "The councillor is a slimy little weasel.",
        "You spineless rat.",
        "The mayor is a greasy toad.",
        "Nice try, you tool.",
    ],
)
def test_little_people_animals_and_names_said_to_someones_face(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "You poor little thing, I hope you feel better soon.",
        "My daughter is a sweet little girl.",
        "These rats in my garden are driving me mad.",
        "My son is a little monkey at bath time.",
        "You lucky dog, I wish I had tickets.",
        "You need a tool for this, a torx screwdriver.",
        "Python is a snake and a language.",
        "You little ripper, Australia win the Ashes!",
        "My husband is a pig when it comes to leaving dishes, lol.",
    ],
)
def test_fond_little_ones_real_animals_and_tools_are_not(text):
    _, decision = pipeline(text)
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "You mouth-breathing clown.",
        "What a pea-brained idiot.",
        "The author is a knuckle-dragging halfwit.",
        "you gormless, witless cretin",  # WordNet's adjectives for the stupid
        "Boomers are thick-headed hicks.",  # WordNet: a hick is a person first
        "The commenters here are a bunch of slack-jawed yokels.",
    ],
)
def test_hyphenated_insults_and_wordnet_words_for_people(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I'm a basement-dwelling nerd and proud of it.",
        "The pensioners are struggling with their bills.",
        "The judges are clueless about scoring, the system is broken.",
        "Honestly the docs are useless for the new version.",
        "The women in my running club are amazing.",
        "You are as tall as your dad now.",
        "Niger is a landlocked country in West Africa.",
    ],
)
def test_people_and_pages_described_and_as_is_not_a_fold_of_ass(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


def test_a_word_typed_plain_is_not_the_term_a_fold_makes_of_another():
    from worker.checks.abuse import _folded_word, lexicon

    assert "as" in lexicon().plain and "niger" in lexicon().plain
    assert _folded_word("as") not in lexicon().forms
    assert _folded_word("ass") in lexicon().forms
    assert personal_attack(facts("You dumb ass."), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Typical woman, can't park to save her life.",
        "Jews control the media, open your eyes.",
        "Go back to the kitchen, love.",
        "Go back where you came from.",
        "Let the grown-ups talk, sweetie.",
        "Isn't it past your bedtime?",
        "Just go touch grass.",
        "These people are human garbage.",
    ],
)
def test_identity_scorn_and_talking_down(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Typical British summer, rain all week.",
        "A typical Muslim family in Bradford eats late in Ramadan.",
        "Go back to the first chapter, it explains this.",
        "Let the dough rest for an hour.",
        "Touch grass is my favourite meme honestly.",
        "That old sofa is a waste of space in the garage.",
        "Human trafficking is a terrible crime.",
    ],
)
def test_typical_weather_going_back_and_grass_are_not(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I hope you lose your job over this.",
        "I hope he gets fired and ends up homeless.",
        "I hope your husband leaves you.",
        "Keep it up and you're getting stabbed.",
        "Someone is going to make you pay for this article.",
        "Found your facebook. Nice family.",
        "Would be a shame if something happened to your car.",
        "Why don't you just end it all.",
        "k i l l  y o u r s e l f",
    ],
)
def test_harm_short_of_death_menace_and_spaced_out_incitement(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I hope he gets fired up for the second half.",
        "I hope they lose on Sunday, come on you Spurs.",
        "You're going to get shot down if you ask for a raise now.",
        "Be a shame if the rain ruins the fete this weekend.",
        "Found your blog through Reddit, love it.",
        "Don't end it all over one bad review.",
        "He was jailed for telling a councillor 'I'll find you'. Good.",
    ],
)
def test_games_weather_blogs_and_quoted_menace_are_not_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


def test_letters_spelled_out_are_segmented_into_words():
    assert personal_attack(facts("what a d u m b i d i o t"), ctx()).score >= HOLD
    assert personal_attack(facts("a b c d e"), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Sod off, you gobshite.",
        "What an utter cockwomble.",
        "The editor is a smug, self-important prick.",
        "Rishi is a spineless worm.",
        "The author clearly has a room temperature IQ.",
        "You write like a ten year old.",
        "Imagine being this stupid.",
        "Are you actually this thick?",
        "Your mother should have swallowed you.",
        "Blacks are genetically inferior.",
        "All these refugees are freeloading rapists.",
        "Indians are dirty scammers.",
        "The trans freaks want your kids.",
        "Another brain fart from our resident village idiot.",
    ],
)
def test_british_names_group_slander_and_belittling_without_a_lexicon_word(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Refugees are fleeing violent regimes.",
        "Immigrants are not lazy, they work harder than anyone.",
        "The gay men's choir was wonderful tonight.",
        "A trans woman won the local election.",
        "She reads like a child would, with wonder.",
        "He writes like a poet.",
        "Imagine being this happy on a Monday.",
        "The launch should have been aborted when the weather turned.",
        "The black sheep of the family came home for Christmas.",
        "The filthy rich keep getting richer.",
    ],
)
def test_groups_described_and_comparisons_of_praise_are_not(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Drink bleach.",
        "get cancer and die",
        "Delete your account, then yourself.",
        "I'd slap you if I met you.",
        "You deserve everything bad that happens to you.",
        "Someone needs to shut that woman up permanently.",
        "People like you should be sterilised.",
        "Your kind shouldn't be allowed to breed.",
        "I'll be waiting outside your office tomorrow.",
        "We know where you park, mate.",
        "I will beat you up after the match.",
    ],
)
def test_orders_to_die_slaps_eugenics_and_waiting_outside(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Trump said to drink bleach, remember?",
        "Drink plenty of water and keep bleach away from food.",
        "Delete your old backups and free up space.",
        "We will beat them on Sunday, mark my words.",
        "We'll batter them on Saturday.",
        "I'd kill for a pint right now.",
        "Feral cats are a problem here; they should be neutered.",
        "Dogs with hip dysplasia shouldn't be allowed to breed.",
        "You deserve everything good that happens to you this year.",
        "I was waiting outside your shop for 20 minutes, the hours online are wrong.",
    ],
)
def test_reported_bleach_backups_matches_and_pets_are_not_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I'd love to see this councillor get what's coming to him.",
        "I hope the striker breaks his leg next week.",
        "Cyclists are a menace and deserve to get run over.",
    ],
)
def test_harm_wished_on_anyone_named(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I hope he doesn't get injured before the final.",
        "Nobody deserves to suffer like that.",
        "I hope she breaks the world record!",
        "The patients deserve to die with dignity, that's the point of the bill.",
    ],
)
def test_harm_hoped_away_or_denied_is_no_wish(text):
    assert threat(facts(text), ctx()).score < HOLD


def test_a_group_denied_a_place_but_not_one_spared():
    assert personal_attack(facts("Women shouldn't be in charge of anything."), ctx()).score >= HOLD
    for text in (
        "Women shouldn't have to put up with harassment at work.",
        "Refugees shouldn't be turned away at the border.",
        "Immigrants cannot vote in general elections, only local ones.",
        "Typical teenager, sleeps till noon. Love him though.",
    ):
        assert personal_attack(facts(text), ctx()).score < HOLD, text


@pytest.mark.parametrize(
    "text",
    [
        "Who let this clown near a keyboard?",
        "I swear these gamers are the dumbest creatures on earth.",
        "Hey genius, maybe learn to spell.",
        "Nice try, Einstein.",
        "You are the human equivalent of a participation trophy.",
        "Your parents must be so disappointed.",
        "Your face could curdle milk.",
        "Nice try, go back to your cave.",
    ],
)
def test_sarcastic_names_and_insults_by_comparison(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "That clown was amazing at my son's party.",
        "Hey genius question: does this work with gluten-free flour?",
        "Well done, Professor Smith, a brilliant lecture.",
        "Go back to your village and vote, it matters.",
        "Your parents must be so proud of you!",
        "My face could use some sun after this winter.",
    ],
)
def test_clowns_questions_professors_and_villages_are_not(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "eat shit and die",
        "Do everyone a favour and disappear permanently.",
        "People like you need a good slap.",
    ],
)
def test_die_disappear_and_a_good_slap(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "The migraine made me want to curl up and die, but the tips helped.",
        "Just disappear for a weekend in the Lakes, it's magic.",
        "Your kids need a good breakfast before exams.",
    ],
)
def test_migraines_weekends_and_breakfasts_are_not_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


# --- blind round 6 (devset/abuse_blind6.csv): classes fixed by general means ---------------


@pytest.mark.parametrize(
    "text",
    [
        # the stock pictures of a dim mind, aimed at someone
        "Honestly, he's not the sharpest knife in the drawer.",
        "You are one brick short of a load, mate.",
        "The lights are on but no one is home with that commenter.",
        "If brains were petrol he couldn't run a lawnmower.",
        "You're as thick as two short planks.",
        "There's nothing but sawdust between his ears.",
        "Your mother must have dropped you on your head.",
        "ur skull must be thicker than a brick",
        "Your wife must be so ashamed of you.",
        "The guy who wrote this has never even spoken to a woman.",
        # measured against the reader, a list of insults, an exclamation about a person
        "Only someone as clueless as you",
        "What a gutless, two-faced coward that senator is.",
        "This ref is biased, clueless and useless.",
        "The author is lazy, dishonest and incompetent.",
        # a stereotype's name as the put-down; sent back to a country; a group sent out
        "Ok boomer, go yell at a cloud.",
        "Typical Karen behaviour, demanding a refund for a free sample.",
        "Go back to Mexico if you don't like it.",
        "Go back to Nigeria already.",
        "Too many migrants in this town. Send them all home.",
        # nobody cares what someone like you thinks
        "Nobody cares what a bitter old troll like you thinks.",
        # an old hag is no thing
        "She is a nasty old hag.",
    ],
)
def test_dim_mind_idioms_lists_stereotypes_and_sent_back_to_a_country(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I'm not the sharpest tool in the shed but even I can see this is wrong.",
        "Me before coffee: the lights are on but nobody's home.",
        "feel like a complete idiot, the answer was in the docs all along",
        "This phone is dumb as a box of rocks.",
        "It's not as dumb as you think.",
        "He is just as clueless as you are about crypto, which is fine.",
        "The docs are outdated, incomplete and useless.",
        "The food was cold, bland and overpriced.",
        "My son is loud, messy and useless at chores but I love him.",
        "The villain is evil, cruel and brilliantly written.",
        "What a stupid, pointless meeting that was.",
        "What a lovely, thoughtful piece this is.",
        "Typical British summer, rain again.",
        "Thanks Karen, great recipe!",
        "My mum is a boomer and she loves this app.",
        "I can't wait to go back to Italy next summer.",
        "You should go back to Japan in spring, the blossoms are unreal.",
        "Go back to Settings and turn off the toggle.",
        "Please send them back the faulty parts and ask for a refund.",
        "The refugees were sent back to Greece, which the court ruled unlawful.",
        "Nobody cares what the critics think, go and see the film.",
        "Your kids must be so proud of you!",
        "I never touched grass in 2020, lockdown was brutal.",
        "They are ugly but comfortable shoes.",
    ],
)
def test_my_own_dim_moments_things_listed_trips_and_fond_names_are_not(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Someone should give that ref a good kicking in the car park.",
        "I'll give you a black eye if I see you.",
        "Everyone would be better off if you just died.",
        "This place would be a better place if he had never been born.",
    ],
)
def test_beatings_given_and_better_off_if_someone_died(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "We will give them a good hiding on Sunday.",
        "They gave us a good beating last season.",
        "Someone should give the ref a medal for that call.",
        "Somebody needs to give the team a good talking to.",
        "The world would be better off if we all recycled.",
        "Things would be better if he stopped tweeting.",
    ],
)
def test_matches_won_medals_and_better_if_someone_changed_are_not_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        # told they should not exist, scorned as a child, sent off
        "This site doesn't need any more people like you.",
        "He's not worth the air he breathes.",
        "Idiots like you are the reason we can't have nice things.",
        "Were you raised by wolves or what?",
        "Run home to your mummy.",
        "Keep crying, snowflake.",
        "Pipe down, kiddo.",
        "Shh, the grown-ups are talking.",
        "Kindly shut your cakehole.",
        "Remove yourself from the gene pool.",
        # belittling comparisons, in new words
        "You have the emotional maturity of a toddler.",
        "Nothing is thicker than your skull.",
        "Every comment you post lowers the average IQ of this site.",
        "Your argument is as shallow as your personality.",
        "Hey, you with the intellect of a turnip.",
        # names: "X of a person", a daft name, a new noun, a cancer on a place
        "Snake of a columnist, this one.",
        "Look at this total spanner arguing with the ref.",
        "Go away, you troglodyte.",
        "She's a cancer on this forum.",
        # a group told it has no place, a group's rights blamed
        "Immigrants have no place in this country.",
        "That's what you get when you let immigrants in.",
        "The women in that office are hysterical idiots.",
    ],
)
def test_scorn_comparisons_and_names_in_new_words(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "The world doesn't need more smartphones, it needs repairable ones.",
        "People like you are the reason I keep reading this blog, thanks!",
        "Who raised you to cook like this? Your nan must be proud.",
        "My kids were raised by wolves apparently, the way they eat.",
        "Calm down, love, it's only a game.",
        "Sit down, sweetheart, dinner is ready.",
        "The adults are talking about budgets in the next room.",
        "Cry more is a meme from 2008.",
        "He has the reading comprehension of a professor, honestly impressive.",
        "The sequel is as bad as the first one.",
        "My brain is emptier than my fridge on a Sunday.",
        "She's a beast of a player and a giant of a woman.",
        "The absolute tool for this job is a torque wrench.",
        "Cancer is a cruel disease, my mum fought it for years.",
        "Racism has no place in our club.",
        "Immigrants do not belong in detention centres.",
        "This is what happens when you let women lead, the company tripled revenue.",
    ],
)
def test_praise_family_things_and_sympathy_in_the_same_shapes_are_not(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "You deserve to be punched.",
        "Somebody should run the councillor over.",
        "Just off yourself.",
        "Go play in traffic.",
        "Those rioters should all be hanged.",
        "I'll make sure you never work in this industry again.",
    ],
)
def test_deserved_blows_run_over_go_play_in_traffic_and_groups_doomed(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "You deserve to be paid more, honestly.",
        "Someone should run the numbers again.",
        "Take care of yourself and of your family.",
        "Please go play in the park, it's sunny.",
        "These scenes should be shot at night for the mood.",
        "The defenders should be hung out to dry after that.",
        "The villains should all die in the finale, that's the trope.",
        "I'll make sure you never miss an update.",
    ],
)
def test_pay_numbers_parks_scenes_and_fiction_are_not_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Stick your opinion up your backside.",
        "I wouldn't spit on him if he was on fire.",
        "Honestly, she is beneath contempt.",
        "Now go away and don't come back.",
        "Get back to your swamp.",
        "Ur a clown m8",
        "Such an absolute nob.",
        "Sit down, caveman.",
        "You're a parasite.",
        "Gypsies are all thieves.",
        "Muslims are behind every terror attack.",
        "Gay people shouldn't be allowed to adopt.",
        "That so-called reporter needs a brain transplant.",
    ],
)
def test_curses_contempt_groups_blamed_and_people_by_who_they_are(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I wish this cough would go away and never come back.",
        "Stick it in the freezer overnight.",
        "Get back to your cave painting, it's lovely.",
        "Back to your question: yes, it works on Linux.",
        "Jews are behind every menorah display in this town, lovely tradition.",
        "Fat people deserve respect like everyone else.",
        "Gay people shouldn't have to hide who they are.",
        "The engine needs a brain transplant, it keeps stalling.",
        "My brain is fried after this week.",
        "Sorry bro, you're right.",
    ],
)
def test_coughs_freezers_traditions_and_respect_are_not(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I'd love to slap that smirk off her face.",
        "This referee needs shooting.",
        "We know where you are, we're coming for your kids.",
        "You're lucky this is the internet.",
        "These vermin need to be wiped out.",
        "Hang the traitors!",
        "Shoot all the protesters, starting with this one.",
    ],
)
def test_grins_slapped_off_wanting_shooting_and_killing_ordered(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Kill all the weeds before planting.",
        "Hang the pictures at eye level.",
        "Kill the process and restart it.",
        "Kill all the lawyers is a line from Shakespeare.",
        "Hang the traitors was chanted at the rally, which the article condemns.",
        "This photo wants shooting again with better light.",
        "Wipe that pan off with a paper towel.",
        "Just play in traffic mode in the game settings.",
    ],
)
def test_weeds_pictures_processes_and_reported_chants_are_not_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "You are exactly what's wrong with this country.",
        "People like you should be banned from voting.",
        "Do us all a favour and log off.",
        "Just delete your account.",
        "Honestly, I have seen smarter cats than you.",
        "I've met brighter lamp posts than you.",
        "You'd lose an argument with a brick.",
        "The only brain cell you have must be lonely.",
        "Keep your vile opinions to yourself.",
        "Get a life, loser.",
        "Economics is clearly not your strong suit, sweetie.",
        "lol ok boomer, enjoy your pension",
        "Look at him. Disgusting slob.",
        "shut it you old windbag nobody asked",
        "Calm down, you hysterical woman",
        "This referee is a disgrace and needs banning.",
        "That so-called expert is a clown.",
        "You lot are all the same, smug and useless.",
        "Another Muslim terrorist, what a surprise.",
        "Send the migrants back where they came from.",
    ],
)
def test_scorn_in_long_comments_sneers_and_roles_said_to_be_a_disgrace(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Not surprised at all, the results are slow and disappointing.",
        "You are what makes this community great.",
        "Do us all a favour and share this recipe with everyone.",
        "Get a life insurance quote before you buy the house.",
        "I need to get a life, I spent all weekend on this puzzle.",
        "Crows are smarter birds than you think.",
        "You'd lose a lot of money on that trade.",
        "The only brain cell I have left is for coffee.",
        "My dog is a slob, sheds everywhere.",
        "The referee is a former player and a good one.",
        "This so-called update broke my printer.",
        "Another Muslim charity raised 10k for the food bank.",
        "Send these back to the shop if they are faulty.",
        "Send the refugees back? That's cruel and illegal.",
        "You old softie, crying at the finale.",
    ],
)
def test_things_praise_trade_pets_and_charity_are_not_scorn(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "If I see you again you're getting a slap.",
        "I hope someone doxxes this reporter.",
        "Hope the next storm flattens your house.",
    ],
)
def test_slaps_coming_doxxing_and_storms_wished(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "You're getting a raise? Congrats!",
        "I hope the next storm doesn't take your fence again, stay safe.",
        "Hope the flood missed your house!",
    ],
)
def test_raises_and_storms_hoped_away_are_not_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "This journo should be named and shamed, absolute scum.",
        "You are a stain on this website.",
        "What a complete and utter tosspot.",
        "Get off the internet, grandad.",
        "Whoever approved this needs their head examined.",
        "You're the human version of a wet blanket.",
        "The youtuber is a lying grifter.",
    ],
)
def test_named_and_shamed_stains_tosspots_and_online_roles(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "The kids were named and shamed at assembly for being late, which I think is wrong.",
        "Log off the internet for a week, it's great for your mental health.",
        "The car needs its head gasket checked.",
        "What a complete and utter delight this recipe is.",
        "The streamer is a lovely person and raised 10k for charity.",
        "The stain on the carpet came out with vinegar.",
    ],
)
def test_assemblies_breaks_gaskets_and_delights_are_not(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


def test_drown_yourself_is_an_order_and_a_warning_is_not():
    assert threat(facts("Go drown yourself."), ctx()).score >= HOLD
    assert threat(facts("Honestly hope you get hit by a bus."), ctx()).score >= HOLD
    warning = "You'll poison yourself eating raw kidney beans, cook them properly."
    assert threat(facts(warning), ctx()).score < HOLD
    assert threat(facts("Careful not to burn yourself on the pan."), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Eres un idiota, no sabes nada.",
        "Du bist so ein dummer Vollidiot.",
        "t'es vraiment un abruti",
        "Sei proprio un cretino.",
        "você é um otário",
        "Your opinion is worth about as much as your degree, which is nothing.",
        "She only got the promotion because she slept with the boss.",
        "He only got the role because of his looks.",
        "Reading your posts makes me lose brain cells.",
        "Women can't drive, everyone knows it.",
        "Asians can't drive, this is why the crash happened.",
        "Black people are just more violent.",
    ],
)
def test_other_languages_worthless_opinions_unearned_jobs_and_group_stereotypes(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Eres muy amable, gracias por la receta.",
        "Du bist herzlich eingeladen zum Stadtfest.",
        "His opinion is worth hearing, nothing else matters.",
        "She got the job because she was the best candidate.",
        "Women can't drive in some countries even now, the article explains.",
        "Disabled people can't drive here because the car park has no accessible bays.",
        "Immigrants are just more likely to start small businesses.",
        "Your warranty is worth nothing, read the small print.",
    ],
)
def test_kind_words_merit_and_facts_about_groups_are_not(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "people keep calling me a stupid bitch on twitch whenever I stream, any tips?",
        "I got called a fag at school every day, it was hell.",
    ],
)
def test_slurs_the_writer_reports_suffering_are_published(text):
    assert pipeline(text)[1].status == Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "calling me a bitch won't change the facts, you stupid bitch",
        "they called me a retard, well you're a retard too",
    ],
)
def test_a_report_with_a_retort_at_the_reader_is_held(text):
    assert pipeline(text)[1].status == Status.HELD


def test_a_villain_called_a_psycho_is_the_plot_and_a_guy_is_not():
    published = "the villain in this show is such a psycho, brilliant acting"
    assert pipeline(published)[1].status == Status.PUBLISHED
    assert personal_attack(facts("this guy is such a psycho"), ctx()).score >= HOLD


# Blind batch 9 (comment threads, issue 13): the classes its misses belonged to,
# each in other words than the batch's.
@pytest.mark.parametrize(
    "text",
    [
        "@sam_k you smug twat",
        "nobody cares about your diet, you attention whore",
        "the columnist looks like a sweaty neckbeard",
        "everyone in this thread is brain dead",
        "@lee you absolute window licker",
        "y0u ar3 a moron",
        "she is a shrivelled up old hag",
        "migrants are thieving scum",
        "the chancellor is a slimy lizard",
        "fat cow, nobody asked",
        "no woman will ever want you",
        "women can't code, simple as",
        "Dave from the golf club is a pompous old windbag",
        "crypto bros are a cult of basement dwellers",
        "migrants are swarming into our towns like locusts",
    ],
)
def test_thread_insults_in_new_words_compounds_and_similes_are_held(text):
    attack = personal_attack(facts(text), ctx())
    assert attack.score >= HOLD, attack
    assert pipeline(text)[1].status == Status.HELD


@pytest.mark.parametrize(
    "text",
    [
        "nice tits, love",
        "I'd bend her over the bonnet",
        "would love to see you in lingerie",
        "we all know who controls the banks",
        "proud to be white 1488",
        "get back in the kitchen sweetie",
        "typical raghead logic",
        "these pikeys have nicked the lead off the church roof again",
    ],
)
def test_sexual_remarks_coded_group_hate_and_slurs_are_held(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD
    assert pipeline(text)[1].status == Status.HELD


@pytest.mark.parametrize(
    "text",
    [
        "I will hunt you down",
        "the ref should be dragged off the pitch and beaten",
        "go choke on your chips",
        "hope your whole family gets hurt",
        "millennials should just hurry up and croak",
        "vegans can go die",
    ],
)
def test_hunting_dragging_choking_and_groups_told_to_die_are_threats(text):
    assert threat(facts(text), ctx()).score >= HOLD
    assert pipeline(text)[1].status == Status.HELD


@pytest.mark.parametrize(
    "text",
    [
        "I'll track you down a copy of the recipe",
        "this bill should be dragged out and shot",
        "players can die in one hit on hard mode",
        "old batteries should die quietly",
        "the main characters should die",
        "I nearly choke on my tea every time",
        "hope your dog gets better soon",
    ],
)
def test_fetching_things_killing_bills_and_game_deaths_are_no_threat(text):
    for result in abuse_results(text):
        assert result.score < HOLD, result


@pytest.mark.parametrize(
    "text",
    [
        "saw a pair of great tits in the garden this morning",
        "a big ass truck blocked the road for an hour",
        "I can't wait to get back in the kitchen after my surgery",
        "we know who runs the club, it's the owners",
        "at school they called me a pajeet every day",
        "the chink in their armour is the back line",
        "nobody will love you more than your mum",
        "Janet from accounts is a legend",
        "Paris from the air is a sight",
        "refugees are treated like animals in those camps",
        "rumours are spreading like a virus",
        "the council are a bunch of clowns, says my gran",
        "Shut up and take my money, this cake looks unreal",
        "damn you for making me hungry at midnight",
        "the patient was declared brain dead after the crash",
        "that old cow has given us milk for ten years",
    ],
)
def test_birds_trucks_kitchens_reports_and_praise_are_published(text):
    for result in abuse_results(text):
        assert result.score < HOLD, result
    assert pipeline(text)[1].status == Status.PUBLISHED, pipeline(text)[1].reason


@pytest.mark.parametrize(
    "text",
    [
        "@jo_b go whinge somewhere else you whiny little brat",
        "your tests are garbage and so are you",
        "gypsies are nothing but thieves",
        "muslims are invading europe",
        "Steve your jokes are as stale as your personality",
    ],
)
def test_brats_insults_passed_on_and_a_people_cast_as_invaders_are_held(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD
    assert pipeline(text)[1].status == Status.HELD


@pytest.mark.parametrize(
    "text",
    ["I hope the linesman crashes his car", "see you after, you won't walk home"],
)
def test_crashes_wished_and_walks_home_denied_are_threats(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "this soup is amazing and so are you",
        "the roads are crap and so are the buses",
        "women are replacing men in management roles",
        "I hope my car passes its MOT",
        "the dough should be as dry as sand before you add water",
    ],
)
def test_praise_passed_on_roads_and_careers_are_not_attacks(text):
    for result in abuse_results(text):
        assert result.score < HOLD, result


# --- issue 13, blind batch of civil comments (devset/civil_blind1.csv) --------------------


@pytest.mark.parametrize(
    "text",
    [
        "The tweet that got her sacked said men were 'too stupid to cook'. Good riddance.",
        "The councillor's email said tenants were 'lazy scroungers'. She should resign.",
    ],
)
def test_words_quoted_after_the_verb_that_reports_them_are_not_the_writers(text):
    assert pipeline(text)[1].status == Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "'women are too stupid to vote' lol so true",
        "women are too stupid to vote, he said it and he's right",
        "In the video he shouted 'you stupid bitch' at the cashier, disgusting behaviour",
    ],
)
def test_a_quotation_passed_on_or_a_slur_reported_is_still_held(text):
    assert pipeline(text)[1].status == Status.HELD


def test_who_a_thing_is_bad_for_is_not_who_is_insulted():
    assert pipeline("This tax is a disgrace for anyone on a low wage, shameful")[1].status == (
        Status.PUBLISHED
    )
    for held in (
        "You are a disaster for everyone around you, idiot",
        "people like you are a disgrace, a disaster for everyone",
    ):
        assert pipeline(held)[1].status == Status.HELD


@pytest.mark.parametrize(
    "text",
    [
        "My neighbour got called a 'dirty foreigner' in the shop. I told them that was disgusting.",
        "Flagging that the troll in the match thread keeps posting the same spam, mods.",
        "Just noticed that the troll account from last week is back under a new name.",
    ],
)
def test_what_the_writer_told_someone_and_a_conjunction_that_aim_at_no_one(text):
    assert personal_attack(facts(text), ctx()).score < HOLD
    assert pipeline(text)[1].status == Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "I told him that he is a clown and a liar",
        "I told them that they are disgusting pigs",
        "What a clown, that mayor",
    ],
)
def test_an_insult_told_to_someone_or_pointed_at_them_is_still_held(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD
    assert pipeline(text)[1].status == Status.HELD


@pytest.mark.parametrize(
    "text",
    [
        "Worst patch they've shipped in years. The menu is a total trainwreck and it lags.",
        "Their new logo is a disgrace, who approved it",
    ],
)
def test_what_a_thing_is_said_to_be_is_said_of_the_thing(text):
    assert pipeline(text)[1].status == Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "The mayor is a liar and they all know it",
        "their manager is a clown, they deserve better",
        "Your mum is a whore",
    ],
)
def test_what_a_person_is_said_to_be_is_still_held(text):
    assert pipeline(text)[1].status == Status.HELD


@pytest.mark.parametrize(
    "text",
    ["Bitcoin is a bubble, change my mind", "Tesla is a meme stock at this point"],
)
def test_a_capitalised_thing_said_to_be_no_insult_is_published(text):
    assert pipeline(text)[1].status == Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    ["Trump is a moron", "Boris is a crook", "Biden is a senile old fool", "Pelosi is a hag"],
)
def test_a_name_said_to_be_an_insult_or_a_kind_of_person_is_still_held(text):
    assert pipeline(text)[1].status == Status.HELD


@pytest.mark.parametrize(
    "text",
    [
        "He got a two match ban for the tackle. That's pathetic, it should be ten.",
        "She lied to the inquiry. That's disgraceful and she should resign.",
    ],
)
def test_an_insulting_word_said_of_what_that_points_at_is_said_of_a_deed(text):
    assert pipeline(text)[1].status == Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "That's disgusting, you should be ashamed",
        "that's pathetic, he is a pathetic little man",
        "Those fans are animals, that's disgusting",
    ],
)
def test_that_said_beside_an_insult_or_to_the_reader_is_still_held(text):
    assert pipeline(text)[1].status == Status.HELD


# --- blind round 8 (devset/abuse_blind8.csv): classes fixed by general means ---------------
# The sentences below are other wordings of each class, not the batch's rows.


@pytest.mark.parametrize(
    "text",
    [
        "I'll post your home address on every forum I can find.",
        "we will keep sharing your phone number until you shut this site down",
        "I've got your home address, remember that.",
        "Keep running your mouth and see what happens.",
        "carry on trolling and you'll see what happens",
        "post that again and see what happens to you",
        "We know where your daughter plays on Saturdays.",
        "Your kids will pay for what you wrote.",
        "Do the world a favour and stop breathing.",
        "why don't you just off yourself",
        "Get raped, you clown.",
        "these thugs from the estate should be caged like animals",
    ],
)
def test_blind8_exposure_veiled_threats_and_orders_to_die_are_threats(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Never post your home address in a comment, folks.",
        "Keep adding stock and see what happens, it thickens as it cools.",
        "keep writing and see what happens, you'll get better",
        "Do we have your address for the raffle prize?",
        "Do yourself a favour and stop breathing through your mouth when you run.",
        "Just log off yourself for a week, it does wonders.",
        "Be careful walking home tonight, the streetlights on Elm Road are out.",
        "How not to get raped on a night out is the wrong question to ask women.",
        "The animals at the shelter should be rehomed, not put to sleep.",
    ],
)
def test_blind8_advice_recipes_and_reports_are_not_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "another (((banker))) buying up the press",
        "Muslim men keep moving in, they're all rapists.",
        "trans people want access to kids, they are all predators.",
        "Ship them out where they came from, all of them.",
        "Jews run the banks, look it up.",
        "Typical gyppo, nicked my bike.",
        "the councillors here are a bunch of useless cronies",
        "Your readers are ignorant yokels and hillbillies, every one of them.",
        "what a tool this presenter is",
        "Are you seriously this thick?",
        "The ref was about as much use as a chocolate fireguard.",
        "honestly who the hell raised you?",
        "you're a waste of a good keyboard",
        "He's a nasty little piece of work.",
        "the host is a sad little incel, turn him off",
        "abe gandu, kuch bhi bolta hai",
        "tu ek number ka bewakoof hai",
        "muh band kar aur ja",
    ],
)
def test_blind8_coded_hate_group_slander_comparisons_and_other_languages_are_attacks(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "(((((IMPORTANT))))) read the update at the bottom",
        "Refugees I met at the centre were kind, they are all just trying to get by.",
        "Women run the world, get used to it.",
        "I'm Pakistani and this karahi recipe is spot on.",
        "What a tool this app is, saved me hours.",
        "Are you seriously doing the marathon this year? Respect.",
        "This new router is about as useful as a chocolate teapot.",
        "He's a real piece of history, that old lighthouse keeper.",
        "the incel forums the article describes are frightening",
        "She was raped at knifepoint, police said, and the man was charged on Tuesday.",
        "They were wed at St Mary's in June.",
        "tu pagal hai yaar, kya shot maara",
        "Chutiya bana diya humko, 500 rupees waste",
        "Send them back where they came from? They're hedgehogs, the rescue said no.",
    ],
)
def test_blind8_emphasis_pride_things_and_news_are_not_attacks(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "the chancellor's spending plan is a complete disaster",
        "His pension reform was a total failure and he should go.",
        "Her latest policy is a mess and she knows it.",
    ],
)
def test_blind8_a_verdict_on_someones_policy_is_published(text):
    assert pipeline(text)[1].status == Status.PUBLISHED


def test_blind8_a_verdict_on_the_person_is_still_held():
    assert pipeline("the chancellor is a complete idiot and he should go")[1].status == Status.HELD


@pytest.mark.parametrize(
    "text",
    [
        "Honestly nobody would notice if you vanished.",
        "the world would be a better place without people like you in it",
        "I hope your plane goes down.",
        "Your kind should be rounded up.",
        "you deserve everything that's coming to you, mark my words",
        "Be a real shame if something happened to that shop of yours.",
    ],
)
def test_blind8_better_dead_disasters_wished_and_groups_rounded_up_are_threats(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I hope your flight isn't delayed and the car doesn't crash on the ice.",
        "Nobody would notice if you swapped the butter for margarine.",
        "It'd be a real shame if your bakery closed, best bread in town.",
        "nobody would care if you skipped the saffron honestly",
    ],
)
def test_blind8_wishes_for_a_good_trip_and_kitchen_swaps_are_not_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Seriously, how are you even allowed to vote?",
        "He needs his head read.",
        "you're the reason they print instructions on shampoo bottles",
        "Migrants are destroying our towns.",
        "sit down clown",
        "Piss off troll",
    ],
)
def test_blind8_rhetorical_doubts_groups_blamed_and_orders_with_a_name_are_attacks(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "How are they even allowed to drive that bus down a B road?",
        "You're the reason I started baking, thank you!",
        "Immigrants are not ruining this country, bad policy is.",
        "Refugees are invading? No, they are fleeing a war.",
        "sit down everyone, the show is starting",
        "Go on then, mate",
    ],
)
def test_blind8_questions_thanks_and_orders_without_a_name_are_not_attacks(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Eres una basura.",
        "eres un inútil",
        "Du bist ein Versager.",
        "t'es une ordure",
        "Sei un fallito.",
    ],
)
def test_blind8_people_called_refuse_or_failures_in_other_languages_are_attacks(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "La receta es basura, no funciona.",
        "t'es dans la merde si tu rates le train",
        "Tu es une merveille.",
    ],
)
def test_blind8_things_called_refuse_and_trouble_in_other_languages_are_not(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


# Blind batch 10 (docs/checks.md): each class fixed, in sentences of its own.
@pytest.mark.parametrize(
    "text",
    [
        "men shouldnt be allowed to teach nursery",
        "theyre vermin, every last one of them",
        "the neighbours are parasites the lot of them",
        "shes a whore",
    ],
)
def test_blind10_contractions_typed_without_apostrophes_and_closing_tags_are_attacks(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "isnt it lovely how the garden comes back every spring",
        "shes a nurse and hes a teacher, both wonderful",
        "we invited the neighbours, the lot of them came",
        "theyre great, every last one of them",
    ],
)
def test_blind10_contractions_and_tags_said_kindly_are_not_attacks(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "i hope the ref gets stabbed on his way home",
        "hope she ODs",
        "hope his tumour spreads",
        "I hope the office burns down with him still inside",
        "do us all a favour and drop dead",
        "just rope yourself",
    ],
)
def test_blind10_knifing_overdose_illness_fire_and_rope_wished_are_threats(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I hope my cancer never comes back",
        "hope the old mill burns down, it's an eyesore",
        "you'll need to rope yourself to the anchor on that pitch",
        "do us all a favour and bring cake on Friday",
    ],
)
def test_blind10_hopes_for_oneself_buildings_and_climbing_are_not_threats(text):
    assert threat(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "with a face like a slapped arse he should stay off telly",
        "the presenter was beaten with the ugly stick",
        "wow he has really let himself go",
        "she looks like she ate all the pies",
        "you need to find a treadmill, love, and lose that double chin",
        "he's a poof",
        "what a mong",
        "bhenchod umpire ruined the match",
        "muzzies are parasites",
    ],
)
def test_blind10_stock_looks_insults_and_slurs_are_attacks(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I've let myself go a bit since the baby, any tips?",
        "this contour trick hides my double chin",
        "bought a treadmill in January, still using it",
        "and poof, the bug was gone after the update",
        "we ate in Mong Kok every night",
        "slag heaps still line the valley above the village",
        "Chutiya bana diya humko, 500 rupees waste",
    ],
)
def test_blind10_own_looks_sounds_places_and_slag_heaps_are_not_attacks(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "those heels are sharp enough to kill a man",
        "she's a queen and this look proves it",
        "The court heard she called the bouncer a 'fat pig' before the fight.",
    ],
)
def test_blind10_hyperbole_praise_and_reported_name_calling_are_published(text):
    _, decision = pipeline(text)
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    ["you're a queen of nothing, you stupid cow", "I called the police, you idiot"],
)
def test_blind10_praise_and_reports_do_not_cover_an_insult_beside_them(text):
    _, decision = pipeline(text)
    assert decision.status != Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "men like you are why women give up on dating",
        "girls like you are the reason guys cheat",
        "everyone knows who controls the federal reserve",
    ],
)
def test_blind10_a_gender_in_the_reader_blamed_and_the_central_bank_tale_are_attacks(text):
    assert personal_attack(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "women like you are an inspiration to my daughter",
        "we all know who runs the show in this house: the cat",
        "we all know who runs the EU budget talks, and it isn't Brussels",
    ],
)
def test_blind10_readers_praised_and_who_runs_the_show_are_not_attacks(text):
    assert personal_attack(facts(text), ctx()).score < HOLD


@pytest.mark.parametrize(
    "text",
    ["people like you will rot and we'll laugh every minute", "I'd love watching him suffer"],
)
def test_blind10_gloating_over_someone_suffering_is_a_threat(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "the onions will burn and I'll love the smoky flavour",
        "I love watching them burn the old boats at Up Helly Aa",
        "can't wait to watch you suffer through leg day tomorrow",
    ],
)
def test_blind10_cooking_festivals_and_leg_day_are_not_gloating(text):
    assert threat(facts(text), ctx()).score < HOLD
