"""Abuse aimed at people: ``personal_attack`` and ``threat``.

Both are rules, not models, so that a moderator can read why: the reason
names the words that decided and who they were aimed at. Both are "abuse"
kind (``worker.decision``): at or over the hold threshold they hold the
comment for a person, never file it as spam.

What makes a comment an attack is a *target*: "you are a clueless clown" is
one, "this API is garbage" is criticism of a thing, "I'm an idiot" is
self-deprecation and "fucking hell, this bug" is untargeted swearing; none of
the last three is held. Words in quotes, in a Markdown block quote or after
"called me" are someone else's and are not counted ("he called me an idiot,
which is not OK"), and a negated insult ("you are not an idiot") scores low.

The demeaning terms come from the word list shipped by ``better-profanity``
(MIT), less the words in it that name an identity, a body part or a
substance rather than insult anyone, plus a short list of ordinary insults it
lacks ("idiot", "clown", "clueless"); a site adds or removes terms with
``policy.abuse_terms`` and ``policy.abuse_allowed_terms``. Every word is
compared after ``text_rules.fold`` (case, accents, leetspeak, repeats), so
"1d10t" and "iiidiot" are "idiot".
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from service import caches
from worker.checks.base import CheckContext, CommentFacts, check
from worker.checks.text_rules import fold, prepare

# --- the lexicon -------------------------------------------------------------------------

# Insults people trade in comment sections that the profanity list lacks: kept
# short and generic on purpose (a site adds its own with ``abuse_terms``).
# Nouns insult on their own ("you clown"); adjectives only as what someone *is*.
_INSULT_NOUNS = (
    "idiot imbecile cretin clown loser fool buffoon halfwit dimwit nitwit numpty "
    "simpleton ignoramus troll shill hack scumbag degenerate lowlife liar hypocrite coward scum"
).split()
_INSULT_ADJECTIVES = (
    "stupid dumb clueless brainless braindead pathetic worthless useless ignorant "
    "incompetent idiotic moronic disgusting delusional garbage trash"
).split()
# Said of a group of people, these deny them their humanity; said of a thing
# they are rare, so a plural subject is enough of a target.
_DEHUMANIZING = (
    "vermin subhuman subhumans parasites cockroaches rats animals savages filth scum "
    "plague infestation"
).split()
# Words in the profanity list that name an identity, a body, a substance or a
# feeling rather than insult a person: "they are gay" or "you are horny" is
# not an attack, and respectful talk about identity must not be held.
_NOT_INSULTS = frozenset(
    (
        "gay gays gey ghey gai gae lesbians lesbo lesbos lez lezbian lezbians queer queers "
        "homo god omg lmao lmfao drunk hemp heroin meth opium opiate pot reefer ganja "
        "nude nudes naked organ ovary ovum ovums breasts nipple nipples erect erotic "
        "sexual sex kinky horny lust lusty racy seduce seaman seamen revue rum pawn "
        "sandbar maxi loin loins kill murder hell damn crap screw screwed screwing pissed "
        "jerk pee poop potty fart fat hump napalm negro hitler nazi nazism reich "
        "prude junkie junky masochist sadist schizo playboy pms herpes hiv "
        "vulva vagina penis testicle testis uterus womb anus rectum rectal scrotum "
        "labia pubic hymen menses menstruation menstruate prostitute"
    ).split()
)
# Intensifiers ("a fucking idiot", "damn right") are never what someone *is*.
_INTENSIFIERS = frozenset(
    "fucking fuckin freaking frickin bloody damn damned goddamn total complete absolute "
    "utter real right such so very really truly big biggest little massive huge".split()
)


def _profanity_words() -> list[str]:
    # Read the package's list without importing it: its __init__ builds a
    # censor with every leetspeak variant, which the worker does not need.
    spec = importlib.util.find_spec("better_profanity")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("better-profanity is not installed (pip install parley)")
    listed = Path(next(iter(spec.submodule_search_locations))) / "profanity_wordlist.txt"
    return [w.strip().lower() for w in listed.read_text(encoding="utf-8").splitlines()]


@dataclass(frozen=True)
class Lexicon:
    nouns: frozenset[str]  # folded: demeaning on their own ("you clown")
    adjectives: frozenset[str]  # folded: demeaning as a complement ("you are clueless")
    dehumanizing: frozenset[str]
    # folded: nouns that can only mean a person ("this idiot"; "this shit" is a thing)
    people: frozenset[str] = frozenset()

    def kind_of(self, word: str) -> str | None:
        """ "noun", "adjective" or "dehumanizing" for a folded word, plural or not."""
        for key in (word, word[:-1] if len(word) > 3 and word.endswith("s") else None):
            if key in self.dehumanizing:
                return "dehumanizing"
            # "stupid" is in both lists: as an adjective it does not make a name an attack.
            if key in self.adjectives:
                return "adjective"
            if key in self.nouns:
                return "noun"
        return None

    def is_person(self, word: str) -> bool:
        # Not the dehumanizing words: "those poor animals" are animals.
        return word in self.people or word.removesuffix("s") in self.people


@lru_cache(maxsize=16)
def lexicon(added: tuple[str, ...] = (), allowed: tuple[str, ...] = ()) -> Lexicon:
    """The demeaning terms for one site's ``abuse_terms`` and ``abuse_allowed_terms``."""
    drop = {fold(w) for w in (*_NOT_INSULTS, *allowed)}
    profane = {fold(w) for w in _profanity_words() if w and " " not in w and "*" not in w}
    nouns = (profane | {fold(w) for w in (*_INSULT_NOUNS, *added)}) - drop
    adjectives = {fold(w) for w in _INSULT_ADJECTIVES} - drop
    dehumanizing = {fold(w) for w in _DEHUMANIZING} - drop
    people = {fold(w) for w in (*_INSULT_NOUNS, *added)} - drop
    return Lexicon(
        frozenset(nouns - {""}), frozenset(adjectives), frozenset(dehumanizing), frozenset(people)
    )


caches.declare("patterns.abuse_lexicon", lexicon.cache_clear)


def _site_lexicon(ctx: CheckContext) -> Lexicon:
    policy = ctx.policy
    return lexicon(
        tuple(t.strip().lower() for t in policy.abuse_terms if t.strip()),
        tuple(t.strip().lower() for t in policy.abuse_allowed_terms if t.strip()),
    )


# --- someone else's words ----------------------------------------------------------------

_QUOTED = (
    re.compile(r'["“”«»„][^"“”«»„\n]{0,300}["“”«»„]'),
    # Single quotes, but not apostrophes: the quote opens and closes outside a word.
    re.compile(r"(?<!\w)['‘][^'‘’\n]{1,300}['’](?!\w)"),
    re.compile(r"(?m)^\s*>.*$"),  # a Markdown block quote
    re.compile(r"(?<!\w)#\w+"),  # a hashtag names a topic ("#GTFO"), it says nothing
    # Reported name-calling: "he called me an idiot", "they labelled her a troll".
    re.compile(
        r"\b(?:call(?:ed|s|ing)?|labell?(?:ed|s|ing)?|branded)\s+"
        r"(?:me|you|him|her|them|us|my\s+\w+)\b[^.!?;\n]*",
        re.IGNORECASE,
    ),
)


@lru_cache(maxsize=64)
def _own_words(body: str) -> str:
    """The comment's text without what it quotes or reports of others."""
    text = prepare(body).clean.replace("’", "'")
    for pattern in _QUOTED:
        text = pattern.sub(" ", text)
    return text


caches.declare("texts.own_words", _own_words.cache_clear)
own_words_of = _own_words  # what the toxicity model reads for a target, too


@lru_cache(maxsize=8192)
def _folded_word(word: str) -> str:
    return fold(word)


caches.declare("vocabulary.folded_words", _folded_word.cache_clear)


# --- personal attack ---------------------------------------------------------------------

_CONTRACTIONS = (
    (re.compile(r"n't\b", re.IGNORECASE), " not"),
    (re.compile(r"'re\b", re.IGNORECASE), " are"),
    (re.compile(r"'m\b", re.IGNORECASE), " am"),
    (re.compile(r"\b(he|she|that|who|it)'s\b", re.IGNORECASE), r"\1 is"),
    (re.compile(r"\b(?:youre|ur|u r)\b", re.IGNORECASE), "you are"),
)
_CLAUSES = re.compile(r"[.!?;:,\n()]+")
_WORD = re.compile(r"[^\W_][\w@$|*]*")

# Who can be attacked (the first person is absent on purpose: self-deprecation).
_PEOPLE = frozenset(
    "you u ya ye yall youse he she they him her them op author writer guy guys man "
    "woman people folks everyone anyone everybody anybody whoever".split()
)
_POINTING = frozenset("this that these those what".split())
_NOT_NAMES = _POINTING | {"it", "there", "here", "everything", "something", "nothing"}
_IS_A = {(verb, article) for verb in ("is", "was") for article in ("a", "an")}
_FIRST_PERSON = frozenset("i am me we us myself".split())
_COPULAS = frozenset(
    "are is r was were be been being am seem seems sound sounds look looks".split()
)
_NEGATIONS = frozenset("not never no hardly".split())
# Said before the target, these deny the whole clause: "nobody thinks you are stupid".
_DENIALS = _NEGATIONS | {"nobody", "noone", "none"}
_DETERMINERS = frozenset("a an the some of like one such".split())
_FILLERS = frozenset("really clearly obviously just must all seriously truly still always".split())
# A word that can follow a term the term is the head of ("an idiot who …").
_PHRASE_ENDS = frozenset(
    "and or but who that which if because for to about with at in on of when than "
    "person man woman guy people human being kid child individual lol lmao haha".split()
)
_AT_YOU = re.compile(
    r"\b(?:(?:fuck|screw|f)\s+(?:you|u|off|yourself|urself)|stfu|go\s+to\s+hell)\b"
)


@dataclass(frozen=True)
class Attack:
    words: str  # the demeaning words as written
    target: str
    negated: bool = False


def _head(words: list[str], folded: list[str], lex: Lexicon, start: int, kinds: set[str]):
    """The demeaning words a phrase starting at ``start`` ends in, if it ends in any.

    "a clueless clown", "a fucking idiot" and "a stupid person" do; "a clown
    show" and "fucking right" do not (the phrase goes on past the terms).
    """
    found: list[str] = []
    nouns = 0
    for k in range(start, min(start + 6, len(words))):
        word = words[k]
        kind = lex.kind_of(folded[k])
        if kind in kinds:
            found.append(word)
            nouns += kind != "adjective"
            continue
        if found:
            return (" ".join(found), nouns) if word in _PHRASE_ENDS else None
        if word not in _INTENSIFIERS and word not in _DETERMINERS:
            return None
    return (" ".join(found), nouns) if found else None


def _pointed(words: list[str], folded: list[str], lex: Lexicon, at: int) -> Attack | None:
    """ "this cheating scum": a noun that can only mean a person, ending the phrase."""
    if any(w in _FIRST_PERSON for w in words[max(0, at - 4) : at]):
        return None  # "I'm one of those idiots who …" is self-deprecation
    for k in range(at + 1, min(at + 5, len(words))):
        if lex.is_person(folded[k]):
            nxt = words[k + 1] if k + 1 < len(words) else None
            if nxt is None or nxt in _PHRASE_ENDS:
                return Attack(words[k], " ".join(words[at : k + 1]))
            return None
    return None


def _attacks_in(clause: str, lex: Lexicon) -> list[Attack]:
    shown = _WORD.findall(clause)
    words = [w.lower() for w in shown]
    folded = [_folded_word(w) for w in words]
    found: list[Attack] = []
    covered = -1  # the last word of the attack found so far: "you guys are" is one target
    for i, word in enumerate(words):
        if i <= covered:
            continue
        # "Dave is an idiot": a capitalised subject may be a person, if the
        # term is a noun with its article ("Windows is shit" is about a thing).
        named = (
            word not in _NOT_NAMES
            and shown[i][:1].isupper()
            and tuple(words[i + 1 : i + 3]) in _IS_A
        )
        # Pointing at someone: "ban this cheating scum", "what an idiot".
        if word in _POINTING:
            pointed = _pointed(words, folded, lex, i)
            if pointed:
                found.append(pointed)
                covered = i + len(pointed.target.split()) - 1
                continue
        if word not in _PEOPLE and not named and not word.endswith("s"):
            continue
        # Up to a few words between subject and verb: "you guys really are",
        # "people who write this are".
        relative = words[i + 1 : i + 2] in (["who"], ["that"], ["like"])
        reach = 8 if relative else 4
        verb = next(
            (j for j in range(i + 1, min(i + reach, len(words))) if words[j] in _COPULAS), None
        )
        if verb is not None and not relative:
            if any(w not in _FILLERS and w not in _PEOPLE for w in words[i + 1 : verb]):
                verb = None
        if verb is not None:
            rest = verb + 1
            while rest < len(words) and words[rest] in _NEGATIONS | {"even", "like", "such"}:
                rest += 1
            negated = any(w in _NEGATIONS for w in words[i + 1 : rest]) or any(
                w in _DENIALS for w in words[max(0, i - 4) : i]
            )
            if word in _PEOPLE:
                kinds = {"noun", "adjective", "dehumanizing"}
            elif named:
                kinds = {"noun"}  # "Rust is stupid" is about a thing
            else:
                kinds = {"dehumanizing"}  # a plural subject: "immigrants are vermin"
            head = _head(words, folded, lex, rest, kinds)
            if head:
                found.append(Attack(head[0], _target(shown[i]), negated))
                covered = verb
                continue
        # Direct address: "you clueless clown", "shut up, you moron"; asked,
        # an adjective is enough: "are you stupid?".
        if word in ("you", "u", "ya"):
            head = _head(words, folded, lex, i + 1, {"noun", "adjective", "dehumanizing"})
            asked = i > 0 and words[i - 1] in _COPULAS
            if head and (head[1] or asked):
                found.append(Attack(head[0], word))
    return found


def _target(word: str) -> str:
    return word.lower() if word.lower() in _PEOPLE else word


def _expanded(text: str) -> str:
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


@check("personal_attack", kind="abuse", version="1")
def personal_attack(facts: CommentFacts, ctx: CheckContext):
    """An insult or demeaning term aimed at a person or a group of people."""
    own = _expanded(_own_words(facts.body or facts.text or ""))
    lex = _site_lexicon(ctx)
    # Every attack holds a demeaning term or a curse at "you": most comments
    # have neither, and are done with one look at each word.
    lower = own.lower()
    if not _AT_YOU.search(lower) and not any(
        lex.kind_of(f) or lex.is_person(f) for f in map(_folded_word, _WORD.findall(lower))
    ):
        return 0.0, "no insult aimed at a person"
    attacks: list[Attack] = []
    for clause in _CLAUSES.split(own):
        attacks += _attacks_in(clause, lex)
        cursed = _AT_YOU.search(clause.lower())
        if cursed:
            attacks.append(Attack(cursed.group(0), "you"))
    meant = [a for a in attacks if not a.negated]
    if meant:
        first = meant[0]
        # Two insults, or one with profanity at the reader, is no slip.
        score = 0.9 if len(meant) > 1 or " " in first.words else 0.8
        more = f" (+{len(meant) - 1} more)" if len(meant) > 1 else ""
        return score, f"personal attack: '{first.words}' aimed at '{first.target}'{more}"
    if attacks:
        first = attacks[0]
        return 0.1, f"'{first.words}' about '{first.target}' is negated"
    return 0.0, "no insult aimed at a person"


# --- threats and self-harm incitement ----------------------------------------------------


def _slot(alternatives: str) -> str:
    # Each alternative is folded like the text, so "kill" matches "k1ll" and "k i l l".
    folded = sorted({fold(a) for a in alternatives.split("|")}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(a) for a in folded if a) + ")"


def _phrase(*slots: str) -> str:
    # "~" is a gap of up to two words: "I hope you all die", "someone should really hurt him".
    parts = [r"(?:\w+ ){0,2}" if s == "~" else _slot(s) + " " for s in slots]
    return r"(?<![^\W_])" + "".join(parts).rstrip(" ") + r"(?![^\W_])"


_SOMEONE = "you|u|he|she|they|him|her|them|ya|op|this guy|that guy|the author|these people"
_HARM = "kill|hurt|shoot|stab|murder|beat|strangle|punch|rape|hang|lynch|burn|behead"


_WISHED = (
    "die|dies|get killed|gets killed|get hurt|gets hurt|get cancer|rot|suffer|get raped|"
    "gets raped|burn|get shot|gets shot"
)
_DESERVED = (
    "die|be killed|be shot|be hanged|be hung|be hurt|get shot|get killed|get hurt|hang|"
    "be raped|get raped"
)
_WILL = "will|am going to|m going to|are going to|re going to|m gonna|gonna|want to|wanna|would|ll"
_MUST = "should|ought to|needs to|need to|must|gotta|has to|have to"


@lru_cache(maxsize=1)
def threat_patterns() -> tuple[tuple[str, str, re.Pattern], ...]:
    """(what it says, a plain example, the pattern in the folded text's terms)."""
    said = [
        (
            "tells someone to kill themselves",
            "kill yourself",
            _phrase("kill|hang|neck|end|unalive|shoot|cut", "yourself|urself|yourselves"),
        ),
        ("tells someone to kill themselves", "kys", _phrase("kys")),
        (
            "tells someone to kill themselves",
            "go die",
            _phrase("go", "die|drink bleach|jump off a bridge"),
        ),
        ("wishes death on someone", "die in a fire", _phrase("die in a fire|drop dead")),
        (
            "wishes death or harm on someone",
            "I hope you die",
            _phrase("hope|wish", _SOMEONE, "~", _WISHED),
        ),
        (
            "wishes death or harm on someone",
            "he deserves to die",
            _phrase(
                _SOMEONE, "should|deserve to|deserves to|ought to|needs to|need to", "~", _DESERVED
            ),
        ),
        (
            "says they will hurt someone",
            "I will hurt you",
            _phrase("i|we", _WILL, "~", _HARM, _SOMEONE + "|your family|your kids"),
        ),
        ("says they will hurt someone", "I know where you live", _phrase("i know where you live")),
        (
            "urges others to hurt someone",
            "someone should hurt him",
            _phrase(
                "someone|somebody|people|we|they|you all|yall|y all|anyone",
                _MUST,
                "~",
                _HARM + "|beat up",
                _SOMEONE,
            ),
        ),
    ]
    return tuple((what, example, re.compile(pattern)) for what, example, pattern in said)


caches.declare("patterns.threats", threat_patterns.cache_clear)


@lru_cache(maxsize=1)
def _threat_words() -> re.Pattern:
    # Every pattern holds one of these: most comments are done with one search.
    words = f"yourself|urself|yourselves|kys|die|dies|dead|live|bleach|bridge|{_HARM}|{_WISHED}"
    words = "|".join(w for w in re.split(r"[| ]", words) if w not in ("get", "gets"))
    return re.compile(r"(?<![^\W_])" + _slot(words) + r"(?![^\W_])")


caches.declare("patterns.threat_words", _threat_words.cache_clear)

# "Don't kill yourself over it" is advice, not incitement.
_ADVICE = re.compile(r"(?:don t|dont|do not|never|not|no need to|shouldn t) (?:\w+ )?$")


@check("threat", kind="abuse", version="1")
def threat(facts: CommentFacts, ctx: CheckContext):
    """A threat, a wish of harm, or an urging to self-harm ("kill yourself", "kys")."""
    text = fold(_own_words(facts.body or facts.text or ""))
    if not _threat_words().search(text):
        return 0.0, "no threat"
    for what, example, pattern in threat_patterns():
        for m in pattern.finditer(text):
            if _ADVICE.search(text[: m.start()]):
                continue
            # The text is folded ("k1ll" is "ki"): the reason quotes the plain form.
            return 0.9, f"threat: {what} (like '{example}')"
    return 0.0, "no threat"
