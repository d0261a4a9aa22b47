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
import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import product
from pathlib import Path

from service import caches
from worker.checks.base import CheckContext, CommentFacts, check
from worker.checks.text_rules import fold, prepare
from worker.text.prefilter import may_match

# --- the lexicon -------------------------------------------------------------------------

# Insults people trade in comment sections that the profanity list lacks: kept
# short and generic on purpose (a site adds its own with ``abuse_terms``).
# Nouns insult on their own ("you clown"); adjectives only as what someone *is*.
_INSULT_NOUNS = (
    "idiot imbecile cretin clown loser fool buffoon halfwit dimwit nitwit numpty "
    "simpleton ignoramus troll shill hack scumbag degenerate lowlife liar hypocrite coward scum "
    # in the profanity list, but they only ever name a person
    "moron dumbass jackass asshole prick dipshit retard "
    "twit creep pervert freak lunatic snowflake sheep sheeple bigot psycho cow pig "
    "weasel muppet fraud traitor manchild "
    # British and Irish English, and the political name-calling of comment threads
    "cockwomble gobshite nonce tosser bellend plonker pillock wazzock scrote knobhead "
    "libtard retardican bastard hag troglodyte dumbo grifter airhead caveman slob tosspot "
    # vulgar names for a person, and the internet's newer ones (not in WordNet)
    "twat cunt whore skank wanker neckbeard incel simp cuck windowlicker soyboy basementdweller "
    "brat crybaby "
    # Hindi and Urdu names typed in Latin letters in Indian and Pakistani threads
    "chutiya chutiye chutia gandu harami haramkhor kamina kamine bhosdike lodu"
    " madarchod maderchod behenchod bhenchod"
    # British slurs for a disabled, a gay or a promiscuous person
    " mong poofter slag"
).split()
_INSULT_ADJECTIVES = (
    "stupid dumb clueless brainless braindead pathetic worthless useless ignorant "
    "incompetent idiotic moronic disgusting delusional garbage trash dense brainwashed "
    "insufferable deranged unhinged spineless gutless thick daft gullible senile filthy inbred "
    "mindless illiterate halfwitted smallminded peabrained knuckledragging mouthbreathing "
    "slackjawed basementdwelling stoopid vile repulsive revolting despicable loathsome odious "
    "smug selfimportant twofaced backstabbing whiny smarmy sleazy "
    # nouns that insult only as what someone *is* ("you are a disgrace"; "Brexit is a joke")
    "disgrace joke embarrassment abomination cancer blight stain"
    # a slur that is also a sound ("and poof, it's gone"): only as what someone is
    " poof"
).split()
# Said of a group of people, these deny them their humanity; said of a thing
# they are rare, so a plural subject is enough of a target.
_DEHUMANIZING = (
    "vermin subhuman subhumans parasites parasite cockroaches cockroach rats animals savages filth "
    "scum "
    "plague infestation leeches"
).split()
# Groups of people by identity: what they are called is identity hate where the
# same words of a thing or a person's deeds are not ("all Mexicans are
# criminals"; "the men who robbed the bank are criminals").
_IDENTITY_GROUPS = frozenset(
    (
        "muslims jews christians catholics hindus sikhs atheists immigrants migrants "
        "refugees foreigners blacks whites asians latinos hispanics mexicans arabs africans "
        "gypsies indians chinese gays lesbians homosexuals trans transgenders women men females "
        "males girls feminists"
        # a sneering name for Muslims, weighed as the group it names: "muzzies are a cancer"
        " muzzies"
    ).split()
)
# Dehumanizing plurals that, alone in a clause, can only be said of people
# (not "Rats!", "Animals.": those are also exclamations and things).
_CALLED_OUT = frozenset(
    fold(w) for w in "vermin subhumans parasites cockroaches savages leeches maggots".split()
)
_REMOVAL = frozenset(
    "deported expelled exterminated gassed eradicated purged sterilized sterilised".split()
)
_SPECIFIC = frozenset("the these those this that my our his her their some two three".split())
_OWNERS = frozenset("your its ur".split())
# A group denied a place ("women shouldn't vote"), not spared one ("shouldn't have to").
_DENIED_RIGHTS = re.compile(
    r"(?:should|must)\s*(?:not|never|n t)\s+(?:\w+\s+)?(?:be\s+allowed\b|be\s+in\s+charge"
    r"|be\s+trusted|vote\b|have\s+rights|hold\s+office|lead\b|teach\b|drive\b|work\b"
    r"|comment\b|breed\b)"
    # or said to ruin what others share: "immigrants are ruining this country"
    r"|(?:are|is)\s+(?:(?:just|all|slowly|literally)\s+)?(?:ruining|destroying|infesting"
    r"|polluting|poisoning)\b"
    # or told they have none: "Muslims have no place in a civilised society"
    r"|(?:(?:have|has)\s+no\s+place|(?:do|does)\s+not\s+belong|are\s+not\s+welcome"
    r"|should\s+not\s+be)\s+(?:here\b|in\s+(?:this|our|a|any|the)\s+(?:\w+\s+)?(?:country"
    r"|society|nation|town|city|neighbou?rhood|world|continent)\b|in\s+(?:europe|britain"
    r"|england|america|the\s+uk|the\s+us|the\s+west)\b)"
)
_CRIMINAL = frozenset(
    "terrorist criminal rapist thief scrounger invader groomer paedo pedo paedophile pedophile "
    "thug scammer".split()
)
# People by what they do online, newer than WordNet: "the streamer is a talentless leech".
_NEW_ROLES = frozenset(
    "streamer youtuber influencer journo tiktoker podcaster blogger vlogger".split()
)
# What a group is said to be secretly behind: "Jews are behind every war".
_EVILS = frozenset(
    "war wars crisis crime crimes problem problems attack attacks terror conflict conflicts "
    "plot plots scam scams riot riots pandemic evil disaster disasters".split()
)
# "Fat people", "gay people": a group by who they are (not "old people": age is a fact
# a sentence may well turn on, "old people shouldn't have to queue").
_AS_PEOPLE = [[w] for w in "fat gay trans black white disabled jewish muslim".split()]
# Who someone is, said as an adjective ("a trans woman"; "the trans freaks" is hate).
_IDENTITY_ADJECTIVES = frozenset(
    "gay trans jewish muslim islamic feminist lesbian queer asian mexican indian "
    "arab african chinese catholic christian hindu sikh migrant immigrant refugee foreign".split()
)
# What a whole group is said to control in the oldest conspiracy tales.
_CONTROLLED = frozenset("banks media world government governments money hollywood press".split())
_GROUP_SLANDER = frozenset(
    "criminals rapists terrorists thugs pedophiles paedophiles perverts predators freaks cancer "
    "disease inferior subhuman scammers thieves invaders scroungers freeloaders groomers "
    "degenerates cheats savages barbarians animals filthy dirty lazy violent evil backward "
    "primitive hysterical irrational".split()
)
_GENDERS = frozenset("women men females males girls feminists".split())
_GROUP_WORDS = (
    _GROUP_SLANDER
    | _REMOVAL
    | {"control", "controls", "run", "runs", "not", "never", "place", "behind"}
    | {"rabbits", "locusts", "roaches", "lice", "fleas", "termites", "plague", "virus"}
    | {"invading", "replacing", "outbreeding", "breeding", "colonising", "colonizing"}
    | {"ruining", "destroying", "infesting", "polluting", "poisoning"}
)  # what the prefilter looks for
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
        "labia pubic hymen menses menstruation menstruate prostitute "
        # what is done to someone, reported ("she was raped", "stoned to death"), or a wedding
        "rape raped stoned wed unwed "
        # looks, said of shoes and buildings more than of people ("an ugly old hag" is the hag)
        "ugly"
    ).split()
)
# Ethnic slurs with no other sense in English: the writer's own use is an attack on
# a people wherever it stands ("another pajeet tutorial"); mentioned in quotes or
# reported ("he called me a paki") they are not the writer's own words. Not the ones that are also
# words ("chink in the armour", "faggots" in gravy, a "fag" to smoke, "Spic and Span").
_SLURS = frozenset(
    (
        "pajeet raghead towelhead sandnigger gyppo pikey wetback kike darkie darky wog "
        "nigger gook beaner zipperhead shitskin muzrat jigaboo paki golliwog gypo groid "
        "currymuncher"
    ).split()
)
_SLUR_LEET = str.maketrans("013457@$", "oieastas")


def _slur(seen: list[str]) -> str | None:
    for word in seen:
        plain = word.translate(_SLUR_LEET) if not word.isalpha() else word
        if plain in _SLURS or (plain.endswith("s") and plain[:-1] in _SLURS):
            return word
    return None


# Intensifiers ("a fucking idiot", "damn right") are never what someone *is*.
_INTENSIFIERS = frozenset(
    "fucking fuckin freaking frickin bloody damn damned goddamn total complete absolute "
    "utter real right such so very really truly genuinely seriously literally big biggest "
    "little massive huge this that "
    "too always actually".split()
)


def _profanity_words() -> list[str]:
    # Read the package's list without importing it: its __init__ builds a
    # censor with every leetspeak variant, which the worker does not need.
    spec = importlib.util.find_spec("better_profanity")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("better-profanity is not installed (pip install parley)")
    listed = Path(next(iter(spec.submodule_search_locations))) / "profanity_wordlist.txt"
    return [w.strip().lower() for w in listed.read_text(encoding="utf-8").splitlines()]


_WORDNET_ARTIFACT = Path(__file__).resolve().parents[1] / "artifacts" / "wordnet_contempt.json"


@lru_cache(maxsize=1)
def _wordnet() -> dict:
    return json.loads(_WORDNET_ARTIFACT.read_text(encoding="utf-8"))


def wordnet_contempt() -> dict[str, bool]:
    """WordNet's words for a person held in contempt ("windbag", "nincompoop",
    "blowhard"), each with whether it can only mean a person: built by
    ``python -m worker.build_wordnet`` from the Debian package wordnet-base."""
    return _wordnet()["nouns"]


@lru_cache(maxsize=1)
def person_words() -> frozenset[str]:
    """WordNet's words that are a person first ("vegan", "voter", "yokel")."""
    return frozenset(_wordnet()["persons"])


caches.declare("patterns.wordnet_contempt", _wordnet.cache_clear)
caches.declare("patterns.person_words", person_words.cache_clear)

# Animals a person is likened to in contempt besides WordNet's ("the mayor is a
# greasy little toad"): not the ones said fondly or in praise ("you lucky dog",
# "a beast on the pitch", "my little monkeys").
_BEASTS = (
    "toad snake weasel slug maggot leech cockroach swine vulture hyena jackal baboon lizard"
).split()


@dataclass(frozen=True)
class Lexicon:
    nouns: frozenset[str]  # folded: demeaning on their own ("you clown")
    adjectives: frozenset[str]  # folded: demeaning as a complement ("you are clueless")
    dehumanizing: frozenset[str]
    # folded: nouns that can only mean a person ("this idiot"; "this shit" is a thing)
    people: frozenset[str] = frozenset()
    # folded: animals a person is likened to in contempt ("you rat", "he is a toad")
    beasts: frozenset[str] = frozenset()
    # folded: terms the writer typed as an ordinary word that only a fold made a
    # term ("as" is "ass" folded, "Niger" is a slur folded): not terms when typed plain
    plain: frozenset[str] = frozenset()

    @cached_property
    def forms(self) -> frozenset[str]:
        """Every folded word ``kind_of`` or ``is_person`` knows, as it may be written
        (plurals, compared adjectives): one set lookup tells most words apart."""
        terms = self.nouns | self.adjectives | self.dehumanizing | self.people | self.beasts
        compared = {a + end for a in self.adjectives for end in ("est", "er")}
        return frozenset(terms | {t + "s" for t in terms} | compared)

    def kind_of(self, word: str) -> str | None:
        """ "noun", "adjective" or "dehumanizing" for a folded word, plural or not."""
        if len(word) > 5 and word.endswith(("est", "er")):
            # "the dumbest person", "stupider than": the adjective compared
            base = word[:-3] if word.endswith("est") else word[:-2]
            if base in self.adjectives:
                return "adjective"
        for key in (word, word[:-1] if len(word) > 3 and word.endswith("s") else None):
            if key in self.dehumanizing:
                return "dehumanizing"
            # "stupid" is in both lists: as an adjective it does not make a name an attack.
            if key in self.adjectives:
                return "adjective"
            if key in self.nouns:
                return "noun"
        return None

    def is_beast(self, word: str) -> bool:
        return word in self.beasts or word.removesuffix("s") in self.beasts

    def is_person(self, word: str) -> bool:
        # Not the dehumanizing words: "those poor animals" are animals.
        return word in self.people or word.removesuffix("s") in self.people


@lru_cache(maxsize=16)
def lexicon(added: tuple[str, ...] = (), allowed: tuple[str, ...] = ()) -> Lexicon:
    """The demeaning terms for one site's ``abuse_terms`` and ``abuse_allowed_terms``
    (the default one is ``lexicon((), ())``: one cache entry with a site's that adds none)."""
    drop = {fold(w) for w in (*_NOT_INSULTS, *allowed)}
    wordnet = wordnet_contempt()
    raw_nouns = [w for w in _profanity_words() if w and " " not in w and "*" not in w]
    raw_nouns += [*_INSULT_NOUNS, *wordnet, *added]
    nouns = {fold(w) for w in raw_nouns} - drop
    raw_adjectives = [*_INSULT_ADJECTIVES, *_wordnet()["adjectives"]]
    adjectives = {fold(w) for w in raw_adjectives} - drop
    dehumanizing = {fold(w) for w in _DEHUMANIZING} - drop
    person_only = (w for w, only in wordnet.items() if only)
    people = {fold(w) for w in (*_INSULT_NOUNS, *person_only, *added)} - drop
    beasts = {fold(w) for w in (*_wordnet()["animals"], *_BEASTS)} - drop
    # A term that folding made out of another spelling ("ass" -> "as", "boob" ->
    # "bob"), when the folded form is not itself a term as typed.
    typed = {w.lower() for w in (*raw_nouns, *raw_adjectives, *_DEHUMANIZING, *_BEASTS)}
    plain = {fold(w) for w in typed if fold(w) != w} - {fold(w) for w in typed if fold(w) == w}
    return Lexicon(
        frozenset(nouns - {""}),
        frozenset(adjectives),
        frozenset(dehumanizing),
        frozenset(people),
        frozenset(beasts),
        frozenset(plain),
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
    # Single quotes, but not apostrophes: the quote opens and closes outside a word,
    # and may hold apostrophes within its words ("'I'll find you'").
    re.compile(r"(?<!\w)['‘](?:[^'‘’\n]|(?<=\w)['’](?=\w)){1,300}['’](?!\w)"),
    re.compile(r"(?m)^\s*>.*$"),  # a Markdown block quote
    re.compile(r"(?<!\w)#\w+"),  # a hashtag names a topic ("#GTFO"), it says nothing
    _REPORTED := re.compile(
        # Reported name-calling: "he called me an idiot", "they labelled her a troll",
        # "calling people idiots won't help", "the kid was called a freak".
        r"\b(?:(?:call(?:ed|s|ing)?|labell?(?:ed|s|ing)?|branded)\s+"
        r"(?:me|you|him|her|them|us|my\s+\w+|people|others|someone|somebody|everyone)\b"
        # "he called the officer a 'stupid pig'": a named someone called a name
        r"|call(?:ed|s|ing)?\s+(?:the|his|her|their|a|an|this|that)\s+(?:\w+\s+){0,2}?\w+\s+"
        r"(?=an?\s|['‘\"“])"
        r"|(?:was|were|is|are|be|been|being|get|got|gets|getting)\s+"
        r"(?:called|labell?ed|branded|named(?!\s+and\s+shamed))\b)[^.!?;\n]*",
        re.IGNORECASE,
    ),
)


_REPORTING_VERB = re.compile("call|label|brand|named", re.IGNORECASE)


def reports_name_calling(body: str) -> bool:
    """Whether a comment reports name-calling (its own words leave that out)."""
    return _REPORTED.search(body) is not None


@lru_cache(maxsize=64)
def _own_words(body: str) -> str:
    """The comment's text without what it quotes or reports of others."""
    text = prepare(body).clean.replace("’", "'")
    for pattern in _QUOTED:
        # Reported name-calling first needs its verb: a literal scan, ten times cheaper.
        if pattern is not _REPORTED or _REPORTING_VERB.search(text):
            text = pattern.sub(" ", text)
    return text


caches.declare("texts.own_words", _own_words.cache_clear)
own_words_of = _own_words  # what the toxicity model reads for a target, too


_VOWELS = "aeiou"


@lru_cache(maxsize=8192)
def _folded_word(word: str) -> str:
    folded = fold(word)
    if folded == word and folded in lexicon((), ()).plain:
        # Typed as the ordinary word ("as", "Niger"), not a term's disguise ("ass", "a$$").
        return word + "_"
    if 0 < word.count("*") <= 2:
        # Masked vowels: "st*pid", "f*cking", "id**t" are the word they hide.
        known = lexicon((), ()).forms
        parts = word.split("*")
        for vowels in product(_VOWELS, repeat=len(parts) - 1):
            unmasked = fold("".join(p + v for p, v in zip(parts, (*vowels, ""), strict=True)))
            if unmasked in known:
                return unmasked
    return folded


# Letters spelled out one by one ("m o r o n", "i.d.i.o.t", "m-o-r-o-n") are one word;
# a short piece may come first ("st u p i d").
_SPELLED_OUT = re.compile(
    r"(?<![^\W_])(?:[^\W\d_]{2,3} )?(?:[^\W\d_] ){2,}[^\W\d_](?![^\W_])"
    r"|(?<![^\W_])(?:[^\W\d_][.\-·]){2,}[^\W\d_](?![^\W_])"
)
# Words that may stand between the terms in a run of spelled-out letters.
_SMALL_WORDS = frozenset("a an you u ur are r is so such what the ya".split())
# Two words joined by a hyphen are one term when they spell one: "brain-dead",
# "knuckle-dragging", "slack-jawed".
_HYPHENATED = re.compile(r"(?<![\w-])([^\W\d_]+)-([^\W\d_]+)(?![\w-])")


def _segmented(letters: str, known: frozenset[str]) -> list[str] | None:
    """``letters`` as known words, at least one of them a term ("stupidbitch")."""
    best: list[list[str] | None] = [[]] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - 16), end):
            piece = letters[start:end]
            if best[start] is not None and (piece in _SMALL_WORDS or fold(piece) in known):
                best[end] = [*best[start], piece]
                break
    found = best[-1]
    return found if found and any(w not in _SMALL_WORDS for w in found) else None


def _joined(text: str) -> str:
    if "-" in text:
        known = lexicon((), ()).forms
        text = _HYPHENATED.sub(
            lambda m: (
                m.group(1) + m.group(2) if fold(m.group(1) + m.group(2)) in known else m.group(0)
            ),
            text,
        )
    if _SPELLED_OUT.search(text) is None:
        return text

    def join(m: re.Match) -> str:
        # Only when the letters spell known terms; "what a m o r o n": the
        # article stays a word of its own.
        letters = re.split(r"[ .\-·]", m.group(0))
        known = lexicon((), ()).forms
        for drop in (0, 1, 2):
            word = "".join(letters[drop:])
            if fold(word) in known:
                return " ".join([*letters[:drop], word])
        for drop in (0, 1):
            words = _segmented("".join(letters[drop:]).lower(), known)
            if words:
                return " ".join([*letters[:drop], *words])
        return m.group(0)

    return _SPELLED_OUT.sub(join, text)


caches.declare("vocabulary.folded_words", _folded_word.cache_clear)


@lru_cache(maxsize=1)
def _compounds() -> frozenset[str]:
    """The lexicon's terms that are two words run together ("braindead", "windowlicker",
    "halfwit"), as typed: written open ("brain dead", "window licker") they are one term."""
    typed = (*_profanity_words(), *_INSULT_NOUNS, *_INSULT_ADJECTIVES, *wordnet_contempt())
    return frozenset(w for w in typed if len(w) > 5 and w.isalpha())


caches.declare("vocabulary.compounds", _compounds.cache_clear)
_PAIR = re.compile(r"(?<![^\W_])([a-z]{3,}) (?=([a-z]{3,})(?![^\W_]))", re.IGNORECASE)


def _closed(text: str) -> str:
    """Open compounds of the lexicon closed up: "a brain dead window licker"."""
    known = _compounds()
    spaces = [
        m.end(1)
        for m in _PAIR.finditer(text)
        if (m[1] + m[2]).lower() in known or (m[1] + m[2][:-1]).lower() in known
    ]
    for at in reversed(spaces):
        text = text[:at] + text[at + 1 :]
    return text


# Small words in leetspeak ("y0u ar3 such a …"): the reading of who is meant needs them plain.
_LEET_SMALL = ((re.compile(r"\by[o0]u\b|\bj[o0]u\b"), "you"), (re.compile(r"\b[a4]r[e3]\b"), "are"))


# --- personal attack ---------------------------------------------------------------------

_CONTRACTIONS = (
    (re.compile(r"n't\b", re.IGNORECASE), " not"),
    (re.compile(r"'re\b", re.IGNORECASE), " are"),
    (re.compile(r"'m\b", re.IGNORECASE), " am"),
    (re.compile(r"\b(he|she|that|who|it)'s\b", re.IGNORECASE), r"\1 is"),
    (re.compile(r"\b(?:youre|ur|u r)\b", re.IGNORECASE), "you are"),
)
# The same contractions typed without the apostrophe ("women shouldnt be allowed",
# "shes a tart", "theyre vermin"): only the forms that are no other word.
_BARE_CONTRACTIONS = (
    (
        re.compile(
            r"\b(should|could|would|must|is|are|was|were|does|did|has|have|had)nt\b", re.IGNORECASE
        ),
        r"\1 not",
        "nt",
    ),
    (re.compile(r"\b(s?he)s\b", re.IGNORECASE), r"\1 is", "hes"),
    (re.compile(r"\btheyre\b", re.IGNORECASE), "they are", "theyre"),
    # A closing tag that says the subject again: "they're vermin the lot of them".
    (
        re.compile(
            r"\s+(?:the\s+lot\s+of|every\s+(?:last\s+|single\s+)?one\s+of)\s+(?:them|you|em|'em)\b"
            r"(?=\s*(?:[.!?,;]|$))",
            re.IGNORECASE,
        ),
        "",
        " of ",
    ),
)
_CLAUSES = re.compile(r"[.!?;:,\n()]+")
_WORD = re.compile(r"[^\W_][\w@$|*]*")

# Who can be attacked (the first person is absent on purpose: self-deprecation).
_PEOPLE = frozenset(
    (
        "you u ya ye yall youse he she they him her them op author writer guy guys man "
        "woman people folks everyone anyone everybody anybody whoever "
        # people a blog or news comment talks about
        "journalist journalists reporter reporters editor columnist writers authors mayor "
        "senator president politician politicians minister governor commenter commenters "
        "poster moderator moderators mod mods admin ceo boss manager dude dudes kid host "
        "leader official officials"
    ).split()
)
_POINTING = frozenset("this that these those what".split())
_IS_A = {(verb, article) for verb in ("is", "was") for article in ("a", "an")}
_FIRST_PERSON = frozenset("i am me we us myself".split())
_NOT_NAMES = (
    _POINTING | _FIRST_PERSON | {"it", "there", "here", "everything", "something", "nothing"}
)
_COPULAS = frozenset(
    "are is r was were be been being am seem seems sound sounds look looks".split()
)
_NEGATIONS = frozenset("not never no hardly".split())
# Said before the target, these deny the whole clause: "nobody thinks you are stupid".
_DENIALS = _NEGATIONS | {"nobody", "noone", "none"}
_DETERMINERS = frozenset("a an the some of like one such".split())
_ARTICLES = frozenset("a an the some one".split())
_FILLERS = frozenset(
    "really clearly obviously just must all seriously truly still always honestly literally "
    "genuinely simply officially here".split()
)


# A subject's place or role before its verb: "the guy in the video is".
_SKIPPED = frozenset("even like such".split())
_ANIMALS = frozenset("shep cow pig weasei".split())  # folded: "sheep", "weasel"
_COLLECTIVES = frozenset("bunch pack gang band load herd lot".split())
# Bodies that run things, whose running a comment criticises as a whole.
_INSTITUTIONS = frozenset(
    "council councils government cabinet committee board club management administration "
    "ministry department federation league fa uefa fifa regime authority".split()
)
_MODALS = frozenset("would could can will does did".split())
_PREPOSITIONS = frozenset("in on at from of with".split())
# A word that can follow a term the term is the head of ("an idiot who …").
_PHRASE_ENDS = frozenset(
    "and or but who that which if because for to about with at in on of when than "
    "person man woman guy people human being kid child individual lol lmao haha it its mate m8 "
    "bro pal buddy dude though tho tbh honestly".split()
)
# What a pointed-at phrase may end in when an insulting adjective comes before it
# ("what a pathetic little man").
_A_PERSON = frozenset("person man woman guy human individual creature kid child boy girl".split())
_AT_YOU = re.compile(
    r"\b(?:(?:fuck|screw|f)\s+(?:you|u|off|yourself|urself)|stfu|go\s+to\s+hell)\b"
)
# Scorn and exclusion aimed at the reader, and telling someone to leave the
# country: no demeaning word, but an attack all the same.
_SCORN = re.compile(
    r"\b(?:(?:nobody|no\s+one|noone)\s+(?:here\s+)?(?:wants|likes|cares\s+about|asked)\s+(?:you|u)\b"
    r"(?!\s+to\b)"
    r"|(?:nobody|no\s+one|noone)\s+cares\s+(?:what\s+(?:you|u)\s+think|about\s+your\s+opinions?)"
    # "nobody cares what a washed up has-been like you thinks"
    r"|(?:nobody|no\s+one|noone)\s+cares\s+what\s+(?:[\w-]+\s+){1,6}?(?:like\s+)?(?:you|u)"
    r"\s+(?:think|thinks|say|says)\b"
    r"|shut\s+your\s+(?:\w+\s+)?(?:mouth|face|trap|pie\s*hole|gob|cake\s*hole|yap)"
    r"|waste\s+of\s+(?:oxygen|skin|air|a\s+human\s+being)"
    # "you're a waste of a perfectly good keyboard", "he is a total waste of time"
    r"|\b(?:you|u)\s+(?:are|r)\s+(?:such\s+|just\s+)?an?\s+(?:\w+\s+)?waste\s+of\b"
    r"|(?:everyone|everybody)\s+(?:here\s+|on\s+this\s+\w+\s+)?(?:hates|laughs\s+at)\s+(?:you|u)\b"
    r"|go\s+back\s+to\s+(?:your|their|his|her)\s+(?:own\s+)?(?:country|countries)\b"
    # what the reader says is not wanted: "nobody asked for your opinion"
    r"|(?:nobody|no\s+one|noone)\s+(?:here\s+)?(?:wants|asked\s+for|needs|cares\s+about)"
    r"\s+(?:to\s+(?:read|hear)\s+)?(?:your|ur)\s+(?:\w+\s+)?(?:opinions?|takes?|garbage|drivel"
    r"|nonsense|comments?|input|rants?|crap|bs)\b"
    # denied humanity: "you're not even human"
    r"|(?:you|u|he|she|they)\s+(?:are|is|re|r)\s+not\s+even\s+(?:a\s+)?human\b"
    # sent back where vermin live: "crawl back under your rock"
    r"|(?:crawl|slither|scurry|slink)\s+back\s+(?:in)?(?:to|under|in)\s+(?:\w+\s+){0,3}?"
    r"(?:rock|hole|cave|swamp|sewer|gutter|pit|basement|bridge)s?\b"
    # "imagine being this stupid"; a life wished away: "should have been aborted"
    r"|imagine\s+being\s+(?:this|that|so)\s+(?:stupid|dumb|thick|dense|ignorant|clueless"
    r"|brainless|pathetic|gullible)\b"
    r"|\b(?:you|u|he|she|they)\s+should\s+have\s+been\s+aborted\b"
    r"|\b(?:your|ur|his|her|their)\s+(?:mother|mom|mum|parents|dad|father)\s+should\s+have"
    r"\s+(?:swallowed|aborted)\b"
    # people as refuse: "human garbage", "a waste of space"
    r"|human\s+(?:garbage|trash|filth|waste|scum|refuse|excrement|debris|vermin)\b"
    r"|waste\s+of\s+(?:space|a\s+life|sperm)\b(?!\s+(?:in|on|at|for|under|inside|behind))"
    # talked down to as a child: "let the grown-ups talk", "did your mum let you"
    r"|let\s+the\s+(?:grown[\s-]?ups|adults|big\s+boys)\s+(?:talk|speak|handle)"
    r"|past\s+(?:your|ur)\s+bedtime"
    r"|(?:go|just|outside\s+and|please|pls)\s+touch\s+(?:some\s+)?grass"
    r"|(?:listen|look)\s+here,?\s+(?:little|sweetie|sweetheart|honey|hun|son|sonny|kid|boy"
    r"|girl|princess|missy|pal|buddy|snowflake)\b"
    # one's place in the world denied: "go back to the kitchen", "go back where you came from"
    r"|go\s+back\s+(?:to\s+(?:the|your)\s+kitchen|(?:to\s+)?where\s+(?:you|they|u)\s+came\s+from)"
    # ... or sent there: "send them all back where they came from"
    r"|(?:send|ship|deport|kick|throw)\s+(?:them|em|the\s+lot|all\s+of\s+them)\s+(?:all\s+)?"
    r"(?:back|out)\s+(?:to\s+)?where(?:ver)?\s+(?:they|them)\s+came\s+from(?!\s*\?)"
    r"|(?:go\s+|get\s+)?back\s+to\s+(?:your|ur|their)\s+(?=(?:\w+)\s*(?:[,.!?]|$|and\b"
    r"|where\b|you\b))(?:cave|hut|tribe|jungle|goats?|camels?|swamp"
    r"|trailer|basement)\b"
    # sarcasm at the reader: "hey genius", "nice try, Einstein"
    r"|(?:^|[.!?,]\s*)(?:hey|ok|okay|nice\s+try|well\s+done|sure|listen|congrats|good\s+job"
    r"|great\s+job)\s*,?\s+(?:genius|einstein|sherlock|champ|smart\s*guy|big\s+brain|hotshot)"
    r"(?=\s*[,.!?]|\s*$)"
    r"|\b(?:your|ur)\s+(?:parents|kids|children|family|mum|mom|mother|dad|father|wife"
    r"|husband|partner)\s+must\s+be\s+(?:so\s+|very\s+|really\s+)?(?:disappointed"
    r"|ashamed|embarrassed|proud\s+lol)"
    # a stereotype's name as the whole put-down: "ok karen", "Typical boomer, …"
    r"|(?:^|[.!?,]\s*)(?:(?:lol|lmao|haha)\s+)?(?:ok|okay|typical|such\s+a|what\s+a|total"
    r"|absolute|classic)\s+"
    r"(?:karen|boomer)s?(?=\s*[,.!?]|\s*$|\s+(?:behaviou?r|energy|move|attitude|logic))"
    r"|\bface\s+(?:could|would|that\s+could)\s+(?:curdle|stop|crack|sour)\b"
    r"|face\s+only\s+a\s+mother\s+could\s+love)"
)
# More scorn, looked for only when one of its words is there (a set lookup
# before a long search): told they should not exist, talked down to, cursed.
_SCORN_WORDS = frozenset(
    "need worth breathing wasting reason why wrong raised gene mommy mummy mommie mama momma "
    "cry crying cope seethe grandpa grandma gramps sweetie kiddo boy girl snowflake boomer "
    "sonny buttercup adults grown grownups big away shove stick piss spit pee contempt banned "
    "locked removed deported silenced allowed delete favour favor smarter brighter cleverer "
    "intelligent wiser lose keep internet life down along problem ruining".split()
)
_SCORN_MORE = re.compile(
    # told they should not exist: "the world doesn't need more people like you"
    r"(?:world|country|planet|internet|site|thread)\s+(?:does\s+not|doesn\s*'?t|do\s+not)\s+need"
    r"\s+(?:any\s+)?(?:more\s+)?(?:people\s+like\s+(?:you|u)|your\s+kind|you)\b"
    r"|not\s+worth\s+the\s+(?:oxygen|air)\s+(?:you|u|he|she|they)\b"
    r"|(?:stop|quit)\s+(?:breathing|wasting)\s+(?:my|our)\s+(?:air|oxygen)"
    # (or a gender in the reader: "women like you are why men leave")
    r"|(?:(?:people|folks|idiots|morons|clowns|women|men|girls|guys|females|males)\s+like"
    r"\s+(?:you|u)|(?:you|u)\s+(?:people|lot))"
    r"\s+are\s+(?:what\s+is\s+wrong|the\s+problem|a\s+problem|ruining|(?:the\s+reason|why)\s+"
    r"(?:why\s+)?(?:we\s+can\s*not|we\s+cannot|we\s+do\s+not|this\s+(?:country|world|site|place"
    r"|thread)|the\s+(?:country|world)|society|everything|nothing|nobody|no\s+one|things\s+are"
    r"|(?:men|women|guys|girls|husbands|wives|people)\s+(?:leave|cheat|hate|stay|give\s+up|avoid)))"
    r"|(?:were|was)\s+(?:you|u)\s+raised\s+by\s+(?:wolves|apes|animals)"
    r"|(?:you|u)\s+(?:were|was)\s+raised\s+by\s+(?:wolves|apes|animals)"
    # asked of the reader's upbringing: "honestly, who raised you?"
    r"|(?:^|[.!?,]\s*)(?:\w+\s+){0,2}?who\s+(?:the\s+hell\s+|tf\s+|on\s+earth\s+)?raised"
    r"\s+(?:you|u|ya)\s*(?:[?!]|$)"
    r"|gene\s+pool\s+needs|chlorine\s+in\s+the\s+gene\s+pool"
    r"|(?:remove|take)\s+(?:yourself|urself|himself|herself|themselves)\s+(?:out\s+of|from)"
    r"\s+the\s+gene\s+pool"
    # sent off as a child: "go cry to your mommy", "cry more", "sit down and shut up, grandpa"
    r"|(?:go|run)\s+(?:and\s+)?(?:cry|whine|run|home)\s+to\s+(?:your|ur)\s+(?:mommy|mummy|mommie"
    r"|mama|momma)\b"
    r"|(?:^|[.!?,]\s*)(?:cry|keep\s+crying|cope|seethe)\s+(?:more|harder|some\s+more)"
    r"(?=\s*[,.!?]|\s*$|\s+(?:snowflake|loser|lol|lmao|kid|baby|little))"
    r"|(?:shut\s+up|pipe\s+down|run\s+along|calm\s+down|simmer\s+down|off\s+you\s+go)"
    r"\s*,?\s+(?:grandpa|grandma|gramps|sweetie|princess|kiddo|little\s+boy|little\s+girl"
    r"|snowflake|boomer|sonny|buttercup)\b"
    r"|the\s+(?:adults|grown[\s-]?ups|big\s+boys)\s+are\s+(?:talking|speaking)(?=\s*[,.!?]|\s*$)"
    r"|(?:^|[.!?,]\s*)(?:just\s+|now\s+)?go\s+away\s+and\s+(?:never|do\s+not|don\s*'?t)\s+come"
    r"\s+back"
    r"|(?:shove|stick)\s+(?:it|that|them|your\s+\w+)\s+(?:up\s+your|where\s+the\s+sun)"
    r"|(?:would\s+not|wouldn\s*'?t|would\s+n't)\s+(?:piss|spit|pee)\s+on\s+(?:you|u|him|her|them)\b"
    r"|(?:you|u|he|she|they)\s+(?:are|is|r)\s+(?:\w+\s+)?beneath\s+contempt"
    r"|(?:you|u|people\s+like\s+you|your\s+kind)\s+(?:are|is|r)\s+(?:exactly\s+)?"
    r"(?:what\s*'?s|what\s+is|whats)\s+wrong\s+with\s+(?:this|the|our)\b"
    r"|(?:people|folks|idiots|morons)\s+like\s+(?:you|u)\s+(?:should|need\s+to|ought\s+to|must)"
    r"\s+(?:be\s+|not\s+be\s+)?(?:banned|locked\s+up|removed|put\s+away|kept\s+away|allowed"
    r"|deported|silenced)"
    r"|(?:^|[.!?,]\s*)(?:just\s+|please\s+|pls\s+)?delete\s+your\s+(?:account|profile)"
    r"|do\s+(?:us|everyone|the\s+world)\s+(?:all\s+)?a\s+favou?r\s*,?\s+(?:and\s+)?(?:leave|go"
    r"|disappear|shut\s+up|log\s+off|stop\s+posting|delete)"
    r"|(?:smarter|brighter|cleverer|more\s+intelligent|wiser)\s+(?:[\w-]+\s+){1,3}than\s+(?:you|u)"
    r"\b(?!\s+(?:think|d|would|might|realise|realize|expect|know|imagine))"
    r"|(?:you|u)(?:\s+would|\s+could|'d|\s+d)\s+lose\s+(?:a|an)\s+(?:debate|argument|battle\s+of\s+wits"
    r"|game\s+of\s+chess)\s+(?:with|to|against)\s+an?\s+"
    r"|keep\s+your\s+(?:filthy|stupid|dumb|vile|disgusting|ignorant|idiotic|racist|moronic|garbage)"
    r"\s+(?:opinions?|comments?|views|takes?|mouth)\s+to\s+yourself"
    r"|(?:get|log)\s+off\s+the\s+internet"
    r"(?=\s*(?:[,.!?]|$|you\b|grandad|grandpa|loser|mate|kid|already))"
    r"|(?:^|[.!?]\s*)(?:just\s+|go\s+|seriously\s+|please\s+)?get\s+a\s+life"
    r"(?=\s*(?:[,.!?]|$|and\b|you\b|loser\b|mate\b|lol\b))"
    r"|,\s*(?:sweetie|kiddo|snowflake|buttercup|sonny|little\s+boy|little\s+girl|grandpa)"
    r"\s*[.!?]*\s*$"
)

# Common insults in the other languages a comment section gets (Spanish, German,
# French, Italian, Portuguese, Dutch), said to the reader: "eres un idiota",
# "du bist so ein Vollidiot", "t'es un abruti". Only after a second-person "you
# are", so a word that is also a name or an English word is never read alone.
_FOREIGN_INSULTS = (
    "idiota|idiotas|imbecil|imbécil|estupid[oa]|estúpid[oa]|pendej[oa]|gilipollas|cabr[oó]n"
    "|tont[oa]|subnormal|payas[oa]|retrasad[oa]|mongol[oa]|burr[oa]|idiot|vollidiot|depp"
    "|trottel|arschloch|wichser|vollpfosten|dummkopf|spast|idiotin|abrutie?|connard|connasse"
    "|con|conne|crétin|cretin|crétine|débile|debile|imbécile|idiote|stronz[oa]|cretin[oa]"
    "|coglione|imbecille|deficiente|otári[oa]|otari[oa]|babaca|idioot|sukkel|klootzak|eikel"
    # people as refuse or failures: "eres una basura", "du bist ein Versager", "t'es une ordure"
    "|basura|escoria|in[uú]til|versager|penner|missgeburt|ordure|fallit[oa]|lixo"
)
_HINDI_INSULTS = (
    # (not "pagal", "buddhu": said fondly to friends as often as not)
    "bewakoof|bewkoof|bevakoof|gadha|gadhe|ullu|chutiya|chutiye|kamina|kamine"
    "|nalayak|murkh|jahil|jaahil|harami|gandu|bhosdike|lodu"
)
_FOREIGN_YOU = re.compile(
    r"(?<![\w'])(?:eres|sos|du\s+bist|bist\s+du|t\s*'\s*es|t\s+es|tu\s+es|tu\s+sei|sei"
    r"|você\s+é|voce\s+e|vc\s+é|vc\s+e|tu\s+és|jij\s+bent|je\s+bent|ben\s+je)\s+"
    r"(?:[^\W\d_]+\s+){0,3}?(?:" + _FOREIGN_INSULTS + r")(?![\w'])"
    # Hindi puts the verb last: "tum pagal ho", "tu chutiya hai"; "muh band kar" (shut up)
    r"|(?<![\w'])(?:tu|tum|aap|ap)\s+(?:\w+\s+){0,3}?(?:" + _HINDI_INSULTS + r")"
    r"\s+(?:ho|hai|hain|he|h)(?![\w'])"
    r"|(?<![\w'])(?:muh|munh|mooh|bakwas|bakwaas)\s+band\s+(?:kar|karo|rakh|rakho)(?![\w'])"
)
# The words each needs, so most comments are done with one look at each word.
_FOREIGN_WORDS = frozenset(
    (
        "idiota idiotas imbecil imbécil estupido estupida estúpido estúpida pendejo pendeja "
        "gilipollas cabron cabrón tonto tonta subnormal payaso payasa retrasado retrasada "
        "mongolo mongola burro burra idiot vollidiot depp trottel arschloch wichser "
        "vollpfosten dummkopf spast idiotin abruti abrutie connard connasse con conne crétin "
        "cretin crétine débile debile imbécile idiote stronzo stronza cretino cretina coglione "
        "imbecille deficiente otário otária otario otaria babaca idioot sukkel klootzak eikel "
        "tu tum aap ap muh munh mooh bakwas bakwaas "
        "basura escoria inutil inútil versager penner missgeburt ordure fallito fallita lixo"
    ).split()
)
_DEMEANED_WORDS = frozenset(
    "worth only slept diversity brain can ca cant cannot unable know learn want love marry date "
    "fancy".split()
)
# Demeaning claims that name no insult: worth nothing, a job won by sex or by who
# someone is rather than by merit, a reader who costs others their wits.
_DEMEANED = re.compile(
    r"(?:your|ur|his|her|their)\s+(?:opinions?|views?|takes?|votes?|words?|comments?|input"
    r"|thoughts?)\s+(?:is|are|r)\s+worth\s+(?:[^.!?]{0,80}?\b)?(?:nothing|zero|zilch|squat"
    r"|jack|fuck\s+all|sod\s+all|less\s+than\s+nothing)(?=\s*(?:[.!?,]|$|lol|mate))"
    r"|\bonly\s+(?:got|gets|get|won|landed)\s+(?:the|that|this|her|his|their|a)\s+(?:\w+\s+)?"
    r"(?:job|role|position|promotion|seat|part|gig|title|post|place)\s+(?:because|cos|cause"
    r"|coz|bc)\s+(?:(?:she|he|they)\s*(?:'s|is|are|was)?\s*(?:slept|sleeps|sleeping|shagged"
    r"|shagging|screwed|a\s+woman|a\s+girl|female|black|pretty|hot|gay|a\s+diversity"
    r"|a\s+token)|of\s+(?:her|his|their)\s+(?:looks|gender|race|skin|sex|boobs|legs|body"
    r"|ethnicity))"
    r"|\bslept\s+(?:her|his|their)\s+way\s+(?:to|into|up)\b|\bdiversity\s+hire\b"
    # worth denied by who would have them: "no man would ever want you"
    r"|\b(?:no|nobody|no\s+one|noone)\s+(?:\w+\s+)?(?:would|will|could|is\s+going\s+to)\s+(?:ever\s+)?"
    r"(?:want|love|marry|date|fancy)\s+(?:you|u|her|him|ya)\b(?!\s+(?:more|less|like"
    r"|as|the|to|for|back|if|unless|when|with|without|at|in|on|after|before|until))"
    r"|(?:you|your\s+\w+|ur\s+\w+)\s+(?:makes?|made)\s+me\s+lose\s+brain\s+cells"
    r"|lose\s+brain\s+cells\s+(?:reading|listening\s+to)\s+(?:you|your|ur)\b"
    # a whole group said to lack a plain skill or the mind for it: "Asians can't drive"
    r"|(?<![\w'])(?:(?:all|most)\s+)?(?:"
    + "|".join(sorted(_IDENTITY_GROUPS))
    + r"|(?:"
    + "|".join(sorted(_IDENTITY_ADJECTIVES | {"black", "white", "fat", "disabled"}))
    + r")\s+(?:people|folk|folks|drivers))\s+(?:can\s*'?t|ca\s*n\s*'?t|cannot|can\s+not|ca\s+not"
    r"|are\s+unable\s+to"
    r"|don\s*'?t\s+know\s+how\s+to|never\s+learn\s+(?:how\s+)?to)\s+(?:drive|park|think|code"
    r"|program|write\s+code|do\s+science|be\s+funny|referee"
    r"|lead|reason|do\s+maths?|be\s+trusted|control\s+themselves|handle\s+(?:money|pressure"
    r"|stress|power|responsibility))(?=\s*(?:[.!?,;]|$|and\b|lol|its|it\s*'?s|this|that"
    r"|properly|for\s+(?:shit|toffee|crap|their|themselves)))"
)


# Sexual remarks at a person (a body rated, a body wanted, an act offered) and the
# coded hate of a group that names no insult ("we know who runs the media", 1488),
# looked for only when one of their words is there.
_LEERING_WORDS = frozenset(
    "tits titties boobs ass arse butt booty bend naked nude topless lingerie bikini "
    "fuck shag bang screw rail nudes sit suck know knows 1488 88 kitchen sandwich".split()
)
_LEERING = re.compile(
    # (not "great tits": birds in the garden)
    r"\b(?:nice|big|lovely|huge|perfect|fine|sexy|hot|juicy)\s+(?:pair\s+of\s+)?(?:tits"
    r"|titties|boobs)\b"
    # not "a big ass truck", "a fine ass strike": the body, said alone
    r"|\b(?:nice|great|lovely|perfect|sexy|hot|juicy)\s+(?:ass|arse|butt|booty)"
    r"(?=\s*[,.!?]|\s*$|\s+(?:on|in|you|babe|love|lol|btw|though|tho)\b)"
    r"|\bbend\s+(?:you|u|her|ya)\s+over\b"
    r"|\b(?:see|seeing|watch|watching|have|picture|imagine)\s+(?:you|u|her|ya)\s+(?:\w+\s+){0,2}?"
    r"(?:naked|nude|topless|in\s+(?:a\s+|your\s+|her\s+)?(?:bikini|lingerie|underwear|thong))\b"
    r"|\b(?:want|like|love|going|gonna|wanna|d|would)\s+(?:to\s+)?(?:fuck|shag|bang|rail)"
    r"\s+(?:you|u|her|ya)\b(?!\s+(?:up|over))"
    r"|\b(?:show|send)\s+(?:us|me)\s+(?:your|ur|them|those|ya|some)\s+(?:tits|boobs|titties|nudes"
    r"|feet|body|ass|arse)\b"
    r"|\bsit\s+on\s+my\s+(?:face|lap|dick|cock)\b|\bsuck\s+my\s+(?:dick|cock|balls)\b"
    # the conspiracy told as a wink, the neo-Nazi numbers
    r"|\b(?:we|you|everyone|everybody)\s+(?:all\s+)?knows?\s+(?:exactly\s+)?who\s+(?:really\s+)?"
    r"(?:runs|controls|owns|run|control|own)\s+(?:the\s+)?(?:media|banks|world|hollywood|press"
    r"|money|government|governments|news|fed|federal\s+reserve|central\s+banks?"
    r"|porn\s+industry|music\s+industry)\b"
    r"|\b14\s*/?\s*88\b|\b1488\b"
    # a woman told her place is the kitchen (not "I can't wait to get back in the kitchen")
    r"|(?<!to\s)(?<!i\s)(?<!ll\s)(?<!can\s)(?<!will\s)(?<!we\s)\b(?:get|go)\s+back\s+(?:in|into"
    r"|to)\s+(?:the|your|ur)\s+kitchen(?=\s*[,.!?]*\s*(?:$|love|sweetie|sweetheart|darling|woman"
    r"|girl|hun|honey|babe|dear|missy|where\s+(?:you|u|she|they|women)\s+belongs?|and\s+make))"
    r"|\bmake\s+me\s+a\s+sandwich\b(?=\s*[,.!?]*\s*(?:$|love|sweetie|sweetheart|darling|woman"
    r"|girl|hun|honey|babe|lol))"
)


def _scorned(lower: str, seen: list[str]) -> re.Match | None:
    """Scorn aimed at the reader in lowercased text, if there is any."""
    found = _SCORN.search(lower) if may_match(_SCORN, lower) else None
    if found is None and not _SCORN_WORDS.isdisjoint(seen):
        found = _SCORN_MORE.search(lower)
    if found is None and not _DEMEANED_WORDS.isdisjoint(seen):
        found = _DEMEANED.search(lower)
    if found is None and not _FOREIGN_WORDS.isdisjoint(seen):
        found = _FOREIGN_YOU.search(lower)
    if found is None and not _LEERING_WORDS.isdisjoint(seen):
        found = _LEERING.search(lower)
    return found


# Belittling comparisons: a person's mind or character likened to a thing's or
# found wanting against one ("the IQ of a damp sponge", "the backbone of a wet
# noodle", "rocks with more sense than you", "your brain must be the size of a
# pea"). Counted when the sentence names someone who is not the writer.
_BELITTLED = re.compile(
    r"\b(?:ha[sd]|have|having|got|with)\s+(?:\w+\s+)?the\s+(?:\w+\s+)?"
    r"(?:iq|brains?|intelligence|backbone|spine|morals|personality|charisma|attention\s+span"
    r"|manners|wits?|common\s+sense|sense|emotional\s+range|self-awareness|(?:reading\s+)?"
    r"comprehension|maturity|logic|critical\s+thinking|intellect)\s+of\s+an?\s+"
    r"(?!(?:\w+\s+)?(?:professor|genius|saint|scholar|lawyer|poet|pro|surgeon|hawk|lion|champion"
    r"|master|philosopher|scientist|detective|grandmaster|sage)\b)"
    r"|\b(?:more|less|fewer)\s+(?:\w+\s+)?(?:sense|brains?|brain\s+cells|intelligence|iq"
    r"|personality|wit|integrity|spine|backbone)\s+than\s+(?:you|u|him|her|them|this|that|the)\b"
    r"|\b(?:your|his|her|their|ur)\s+(?:brain|brains|iq|skull|head)\s+(?:\w+\s+){0,3}?"
    r"(?:the\s+size\s+of|smaller\s+than|thicker\s+than|emptier\s+than|lower\s+than"
    r"|denser\s+than|dumber\s+than)\b"
    # "writes like a twelve year old", "argues like a toddler"
    r"|\b(?:writes?|talks?|thinks?|argues?|sounds?|spells?|types?|acts?|behaves?)\s+"
    r"like\s+an?\s+(?:\w+\s+){0,2}?(?:child|toddler|kid|(?:\w+[\s-])?years?[\s-]old|monkey"
    r"|chimp|caveman|drunk|lunatic|dunce)\b(?!\s+(?:would|does|did|might|can))"
    r"|\b(?:room[\s-]temperature|single[\s-]digit|negative|two[\s-]digit)\s+iq\b"
    r"|\bthe\s+reason\s+\w+\s+(?:has|have|comes?\s+with)\s+(?:instructions|warning\s+labels)"
    r"|\bneeds?\s+(?:their|his|her|your|ur)\s+head\s+read\b"
    r"|\b(?:you|u)(?:\s+are|\s+r|'re|re)\s+(?:\w+\s+)?the\s+reason\s+(?:why\s+)?(?:\w+\s+){1,3}?(?:put\s+)?"
    r"(?:warnings?|warning\s+labels|instructions)\s+on\b"
    # "how are you allowed to vote": the reader's rights doubted for want of wits
    r"|\bhow\s+(?:on\s+earth\s+|the\s+hell\s+|tf\s+)?(?:are|were)\s+(?:you|u)"
    r"\s+(?:even\s+)?(?:allowed|legally\s+allowed|permitted)\s+to\s+(?:vote|breed|reproduce"
    r"|have\s+kids|have\s+children|own\s+a|use\s+a\s+computer|use\s+the\s+internet|be\s+a\s+parent)"
    r"|dropped\s+on\s+(?:your|his|her|their|ur)\s+heads?\s+as\s+an?\s+(?:baby|child|kid)"
    r"|\bhuman\s+(?:equivalent|version)\s+of\s+an?\b"
)
# The stock pictures of a dim mind and a few more comparisons, looked for only when
# one of their words is there (one set lookup instead of a long search per comment):
# "the lights are on but nobody's home", "a few sandwiches short of a picnic", "not
# the sharpest tool in the shed", "if brains were …", "the only thing emptier than
# your head", "lowers the IQ of this thread", "a pathetic excuse for a journalist",
# "has never touched grass or a woman" (a life outside a screen denied).
_IDIOM_WORDS = frozenset(
    "lights short sharpest brightest brains dumb thick stupid between cells never emptier "
    "thicker denser dumber smaller slower hollower lowers lower excuse drop dropped personality "
    "character soul attitude mind transplant brain brains cell examined testing checking "
    "checked useful helpful piece chocolate teapot fireguard ashtray handbrake inflatable "
    "submarine teabag face ugly herself himself yourself pies treadmill chin chins".split()
)
_IDIOMS = re.compile(
    r"\b(?:emptier|thicker|denser|dumber|smaller|slower|hollower)\s+than\s+(?:your|his|her"
    r"|their|ur)\s+(?:head|skull|brain|brains|iq|mind)\b"
    r"|\blowers?\s+the\s+(?:collective\s+|average\s+)?iq\s+of\b"
    r"|\bas\s+(?:bad|ugly|dull|boring|awful|terrible|shallow|empty|rotten|vile|bland|flat|stale"
    r"|dry|tasteless|lifeless|grim|sad)\s+as\s+(?:your"
    r"|his|her|their|ur)\s+(?:personality|face|character|soul|attitude|brain|mind)\b"
    r"|\bexcuse\s+for\s+an?\s+(?:\w+\s+)?(?:human|person|man|woman|journalist|writer|reporter"
    r"|parent|father|mother|referee|ref|moderator|politician|mp|mayor|author|adult|teacher"
    r"|coach|player|president|leader|columnist|editor)\b"
    r"|\bdrop(?:ped)?\s+(?:you|u|him|her|them)\s+on\s+(?:your|his|her|their|ur)\s+heads?\b"
    r"|\blights\s+are\s+on\s+but\s+(?:nobody|no\s+one|noone)(?:\s+is|'s|s)?\s+home\b"
    r"|\b(?:a\s+few|one|a\s+couple|two|several)\s+(?:\w+\s+){1,2}short\s+of\s+an?\s+"
    r"(?:\w+\s+)?(?:picnic|load|meal|six[\s-]?pack|deck|full\s+\w+|sandwich|biscuit|pack)\b"
    r"|\bnot\s+the\s+(?:sharpest|brightest)\s+(?:tool|knife|bulb|crayon|pencil|spoon|light)\b"
    r"|\bif\s+brains\s+were\s+\w+"
    r"|\b(?:dumb|thick|stupid)\s+as\s+(?:a\s+)?(?:box|bag|sack)\s+of\s+(?:rocks|hammers|bricks)"
    # the stock pictures of no use at all: "about as useful as a chocolate teapot"
    r"|\bas\s+(?:useful|helpful|much\s+use|much\s+good)\s+as\s+(?:a|an)\s+(?:chocolate\s+\w+"
    r"|screen\s+door|ashtray\s+on|handbrake\s+on|inflatable\s+\w+|glass\s+hammer"
    r"|one[\s-]legged|wet\s+paper|fart\s+in|lead\s+balloon|paper\s+umbrella"
    r"|waterproof\s+teabag|solar[\s-]powered\s+torch|tits\s+on|knitted\s+condom)"
    r"|\b(?:dumb|thick|stupid)\s+as\s+(?:a\s+)?(?:rock|brick|post|doorknob|mince|two\s+short"
    r"\s+planks|pigshit|a\s+plank)\b"
    r"|\b(?:nothing|air|sawdust|cotton\s+wool)\s+between\s+(?:your|his|her|their|ur)\s+ears\b"
    r"|\b(?:zero|no|two|one|a\s+single|three|\d)\s+(?:functioning\s+|working\s+)?brain[\s-]cells?\b"
    r"|\bnever\s+(?:even\s+|once\s+)?(?:touched|seen|felt|talked\s+to|spoken\s+to|kissed)\s+"
    r"(?:grass|a\s+woman|a\s+girl|sunlight|daylight|soap)\b"
    r"|\bneeds?\s+a\s+brain\s+transplant\b|\bonly\s+brain\s+cell\b"
    r"|\b(?:a|such\s+a)\s+(?:nasty|real|right|proper|horrible|vile|evil|nasty\s+little)\s+piece"
    r"\s+of\s+work\b"
    r"|\bneeds?\s+(?:their|his|her|your|ur)\s+head\s+(?:examined|testing|checking|checked)\b"
    r"|\b(?:your|his|her|their|ur)\s+brains?\s+(?:is|are|must\s+be)\s+(?:broken|fried|mush"
    r"|rotten|damaged|missing|smooth)\b"
    # the stock mockery of looks and weight: "a face for radio", "hit with the ugly stick",
    # "she's let herself go", "ate all the pies", "try a treadmill", "your double chin"
    r"|\b(?:a\s+)?face\s+(?:for\s+radio|only\s+a\s+mother\s+could\s+love|like\s+a\s+(?:slapped"
    r"|smacked|bulldog|dropped|melted|robber|bag\s+of|busted|horse|pug))\b"
    r"|\b(?:hit|beaten|beat|whacked|smacked)\s+(?:with|by)\s+(?:the|an|a)\s+ugly\s+stick\b"
    r"|\bfell\s+out\s+of\s+the\s+ugly\s+tree\b"
    r"|(?:\b(?:has|have|really|totally|completely)|'s|’s)\s+let\s+(?:herself|himself"
    r"|yourself)\s+go\b"
    r"|\b(?:ate|eaten|eats|eat)\s+all\s+the\s+pies\b"
    r"|\b(?:lay|layoff|step\s+away\s+from|put\s+down)\s+(?:off\s+)?the\s+pies\b"
    r"|\b(?:try|find|found|see|seen|discover|buy)\s+a\s+treadmill\b"
    r"|\b(?:your|ur|her|his|that)\s+(?:double|triple)\s+chins?\b"
)


def _belittling(lower: str, words=None) -> re.Match | None:
    """A belittling comparison or picture in lowercased text, if there is one."""
    found = _BELITTLED.search(lower)
    if found is None and not _IDIOM_WORDS.isdisjoint(words or _WORD.findall(lower)):
        found = _IDIOMS.search(lower)
    return found


_SOMEONE_NAMED = re.compile(
    r"(?<![\w@])(?:you|u|ur|your|he|she|they|him|her|them|his|their|whoever|@\w+)(?!\w)"
    r"|(?<![\w@])(?:the|this|that)\s+(?:[\w-]+\s+)?(?:author|writer|reporter|journalist|editor"
    r"|columnist|mp|senator|mayor|minister|president|politician|judge|guy|man|woman|commenter"
    r"|poster|moderator|ceo|governor|official|ref|referee|umpire|coach|manager|keeper|streamer"
    r"|presenter|host|councill?or|teacher|boss|landlord|neighbou?r)s?(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Attack:
    words: str  # the demeaning words as written
    target: str
    negated: bool = False


def _head(
    words: list[str],
    folded: list[str],
    lex: Lexicon,
    start: int,
    kinds: set[str],
    people_only: bool = False,
    modifiers: int = 2,
    beasts: bool = False,
):
    """The demeaning words a phrase starting at ``start`` ends in, if it ends in any.

    "a clueless clown", "a fucking idiot" and "a stupid person" do; "a clown
    show" and "fucking right" do not (the phrase goes on past the terms). Up to
    ``modifiers`` other words may come before a demeaning noun that can only
    mean a person ("a corrupt lying scumbag", not "awesome as fuck"), never
    before an adjective alone. ``people_only``: a noun counts only if it can
    mean nothing but a person ("morons", not "shit"). ``beasts``: said of a
    person, an animal of contempt is a name ("the mayor is a greasy little toad").
    """
    found: list[str] = []
    nouns = 0
    other = 0
    person = False  # the last term can only mean a person
    scorned = None  # an insulting adjective the kinds asked for leave out
    insulted = False  # an insulting adjective came first: "a spineless worm" is no animal
    for k in range(start, min(start + 6, len(words))):
        word = words[k]
        kind = lex.kind_of(folded[k])
        if scorned and not found and _a_person(word) and _ends_at(words, k + 1):
            # "a bunch of slack-jawed yokels", "they are inbred hicks"
            return f"{scorned} {word}", 1
        if kind == "adjective" and "adjective" not in kinds:
            scorned = word
        beast = (beasts or insulted) and lex.is_beast(folded[k])
        insulted = insulted or kind == "adjective"
        if kind == "noun" and people_only and not lex.is_person(folded[k]):
            kind = None
        if beast and kind is None:
            kind = "noun"
        if kind in kinds:
            found.append(word)
            nouns += kind != "adjective"
            # "a piece of shit": said of someone, the piece is the person
            piece = k > 1 and words[k - 1] == "of" and words[k - 2] in ("piece", "sack")
            # "thieving scum": a dehumanizing word that can only mean people is a person
            person = piece or beast or (kind != "adjective" and lex.is_person(folded[k]))
            continue
        if found:
            # "you are thick as two short planks", "vermin breeding like rats": the
            # phrase goes on in a comparison or a participle, not in a thing it names
            last = lex.kind_of(folded[k - 1])
            goes_on = (word == "as" and last == "adjective") or (
                last != "adjective" and word.endswith("ing") and len(word) > 4
            )
            if word not in _PHRASE_ENDS and not goes_on:
                # "a stupid little man (with a keyboard)": insulting adjectives
                # before a word for a person are said of the person.
                person_at = next(
                    (
                        j
                        for j in range(k, min(k + 3, len(words)))
                        # "a braindead little incel": a name for a person ends it too
                        if _a_person(words[j]) or lex.is_person(folded[j])
                    ),
                    None,
                )
                if nouns or person_at is None:
                    return None
                after = words[person_at + 1 : person_at + 2]
                if after and after[0] not in _PHRASE_ENDS:
                    return None
                found.append(words[person_at])
                nouns += 1
                person = True
            break
        if word in _COLLECTIVES or word == "cult":
            continue  # "a cult of basement dwellers": the people are the head
        if word not in _INTENSIFIERS and word not in _DETERMINERS:
            # one more word before a name only a person is called: "a dried up old hag"
            last = other == modifiers + 1 or (
                other == modifiers and not (k + 1 < len(words) and lex.is_person(folded[k + 1]))
            )
            if word in _PHRASE_ENDS or word in _NEGATIONS or last:
                return None
            other += 1
    if not found or (other and not person):
        return None
    return " ".join(found), nouns


# Words a slander passes on its way ("are just more violent", "are all lazy").
_HEDGES = frozenset("just all more simply basically mostly nothing but".split())


def _slander(words: list[str], rest: int) -> tuple[str, int] | None:
    """What a group is said to be, if slander ends the phrase: "all criminals", "dirty
    scammers", "a disease" (not "fleeing violent regimes")."""
    k = rest
    while k < min(rest + 3, len(words)) and words[k] not in _GROUP_SLANDER:
        # "genetically inferior", "freeloading rapists"
        manner = words[k].endswith(("ly", "ing")) and len(words[k]) > 4
        if (
            words[k] not in _DETERMINERS
            and words[k] not in _INTENSIFIERS
            and words[k] not in _HEDGES
            and not manner
        ):
            return None
        k += 1
    end = k
    while end < len(words) and words[end] in _GROUP_SLANDER:
        end += 1
    if end == k or not _ends_at(words, end):
        return None
    return " ".join(words[k:end]), 1


def _fold_last(words: str) -> str:
    return _folded_word(words.split()[-1]).removesuffix("s")


def _ends_at(words: list[str], k: int) -> bool:
    return k >= len(words) or words[k] in _PHRASE_ENDS


def _a_person(word: str) -> bool:
    """A word for a person ("man", "voter") or people ("yokels")."""
    return (
        word in _A_PERSON
        or word.removesuffix("s") in _A_PERSON
        or word in person_words()
        or _is_people(word)
    )


# What follows a person pointed at, never a thing's name ("this clown show"):
# the verbs and places of someone doing something.
_AFTER_A_PERSON = frozenset(
    "near from into off over like needs wants thinks wrote writes keeps".split()
)
# Who an exclamation is about, said after it: "what a weasel this minister is".
_EXCLAIMED = frozenset("this that the you u he she they".split())


# Someone in a story, named by the part they play: what they are called is the plot.
_FICTIONAL = frozenset(
    "villain villains antagonist antagonists baddie baddies character characters npc npcs".split()
)


def _pointed(words: list[str], folded: list[str], lex: Lexicon, at: int) -> Attack | None:
    """ "this cheating scum", "what a pathetic little man": a phrase ending in a
    noun that can only mean a person, or in a person after an insulting adjective."""
    if any(w in _FIRST_PERSON for w in words[max(0, at - 4) : at]):
        return None  # "I'm one of those idiots who …" is self-deprecation
    if words[at] == "that" and words[at + 1 : at + 2] in (["the"], ["a"], ["an"]):
        return None  # "reporting that the troll told…": a conjunction, pointing at no one
    if any(w in _FICTIONAL for w in words[max(0, at - 4) : at]):
        return None  # "the villain in this show is such a psycho": a part, well played
    adjective = None
    for k in range(at + 1, min(at + 6, len(words))):
        nxt = words[k + 1] if k + 1 < len(words) else None
        # "who let this clown near a keyboard", "this idiot thinks…"
        ends = nxt is None or nxt in _PHRASE_ENDS or nxt in _AFTER_A_PERSON
        # "what a two-faced weasel this minister is", "what an idiot you are"
        ends = ends or (words[at] == "what" and nxt in _EXCLAIMED)
        if words[at] == "what" and words[k] in _YOU_ONLY and nxt in _EXCLAIMED:
            # "what a tool this guy is" (not "what a tool this is": the thing is "this")
            who = words[k + 2 : k + 3]
            if nxt in ("you", "u", "he", "she", "they") or (who and _a_person(who[0])):
                return Attack(words[k], " ".join(words[k + 1 : k + 3]))
        if lex.is_person(folded[k]):
            # "what kind of moron writes this": the kind asked about is the person
            kind_of = words[k - 2 : k] in (["kind", "of"], ["sort", "of"], ["type", "of"])
            return Attack(words[k], " ".join(words[at : k + 1])) if ends or kind_of else None
        if adjective and (words[k] in _A_PERSON or (ends and lex.kind_of(folded[k]) == "noun")):
            return Attack(f"{adjective} {words[k]}", " ".join(words[at : k + 1])) if ends else None
        if lex.kind_of(folded[k]) == "adjective":
            adjective = words[k]
    return None


_ORDERS = frozenset("go sit shut get piss sod bugger clear run jog naff push".split())
_PARTICLES = frozenset("away down up lost off along out".split())


def _vocative(words: list[str], folded: list[str], lex: Lexicon) -> Attack | None:
    """A clause that only calls someone a name: "Get a life, loser.", ", you absolute
    moron", "Typical brainwashed sheep". Never with an article: "Me, an idiot" is not."""
    for tail in (["the", "lot", "of", "them"], ["the", "lot", "of", "you"], ["all", "of", "them"]):
        if words[-len(tail) :] == tail and len(words) > len(tail):
            words, folded = words[: -len(tail)], folded[: -len(tail)]
    if not words or len(words) > 4:
        return None
    if not lex.is_person(folded[-1]) and not (
        # "…, everyone knows it, parasites.": a dehumanizing plural called out
        folded[-1] in _CALLED_OUT and all(w in _INTENSIFIERS for w in words[:-1])
    ):
        return None
    if any(w in _ARTICLES or w in _FIRST_PERSON for w in words):
        return None
    if folded[-1] in _ANIMALS and not any(
        lex.kind_of(f) or w in _SNEERING for w, f in zip(words[:-1], folded[:-1], strict=True)
    ):
        return None  # "Sheep, cows and a dog": an animal is a name only with an insult
    before = zip(words[:-1], folded[:-1], strict=True)
    other = sum(
        not (w in _INTENSIFIERS or w in ("you", "u", "ya") or lex.kind_of(f)) for w, f in before
    )
    # "go away troll", "sit down clown": an order, then the name (a verb and its particle)
    ordered = words[0] in _ORDERS and len(words) >= 3 and words[1] in _PARTICLES
    if other > 1 + ordered:
        return None
    return Attack(" ".join(w for w in words if w not in ("you", "u", "ya")), "you")


_SWARMING = re.compile(
    r"(?:(?:are|keep|just|all|still|now)\s+)*(?:breed(?:ing)?|multipl(?:y|ying|ies)|swarm(?:ing)?"
    r"|spread(?:ing)?|tak(?:e|es|ing)\s+over|invad(?:e|ing)|infest(?:ing)?|overrun(?:ning)?"
    r"|crawl(?:ing)?|flood(?:ing)?|pour(?:ing)?\s+in)\b(?:\s+\w+){0,5}?\s+(like\s+(?:rats|vermin"
    r"|cockroaches|roaches|locusts|rabbits|maggots|lice|fleas|parasites|leeches|insects|termites"
    r"|a\s+plague|a\s+virus|a\s+disease|a\s+cancer))\b"
)


# Invading something: a bare "are invading?" is the question a reply then answers.
_INVADING = re.compile(
    r"(?:are\s+|is\s+)?(?:(?:all|just|slowly|quietly|literally)\s+)*(?:invading\s+\w|replacing\s+us\b"
    r"|outbreeding\s+us\b|breeding\s+us\s+out\b|colonis(?:ing|e)\b|coloniz(?:ing|e)\b)"
)
# An insult of the reader's work passed on to the reader: "your code is garbage and so are you".
_SO_ARE_YOU = re.compile(r"\b(?:and|&)\s+so\s+(?:are|r)\s+(?:you|u)\b(?!\s+(?:going|doing|right))")


def _attacks_in(clause: str, lex: Lexicon) -> list[Attack]:
    shown = _WORD.findall(clause)
    words = [w.lower() for w in shown]
    folded = [_folded_word(w) for w in words]
    called = _vocative(words, folded, lex)
    if called:
        return [called]
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
        # "Janet from the parish council is a…": a name and where the person is from
        named_from = (
            not named
            and i == 0
            and shown[i][:1].isupper()
            and word not in _NOT_NAMES
            and words[i + 1 : i + 2] in (["from"], ["at"], ["on"])
            and any(tuple(words[j : j + 2]) in _IS_A for j in range(i + 3, min(i + 7, len(words))))
        )
        named = named or named_from
        # Pointing at someone: "ban this cheating scum", "what an idiot".
        if word in _POINTING:
            pointed = _pointed(words, folded, lex, i)
            if pointed:
                found.append(pointed)
                covered = i + len(pointed.target.split()) - 1
                continue
        # "a parent as dense as you", "as thick as him": measured against the reader
        if (
            word == "as"
            and words[i + 2 : i + 3] == ["as"]
            and words[i + 3 : i + 4] in (["you"], ["u"], ["him"], ["her"], ["them"])
            and lex.kind_of(folded[i + 1]) == "adjective"
            and (
                i + 4 == len(words) or (words[i + 4] in ("are", "is", "r") and i + 5 == len(words))
            )
        ):
            negated = words[i - 1 : i] == ["not"]
            found.append(Attack(" ".join(shown[i : i + 4]), words[i + 3], negated))
            covered = i + 3
            continue
        # "a clown of a writer", "fat pig of a presenter": the person is the name
        if (
            words[i + 1 : i + 2] == ["of"]
            and words[i + 2 : i + 3] in (["a"], ["an"])
            and i + 3 < len(words)
            and _a_person(words[i + 3])
            and (lex.is_person(folded[i]) or lex.is_beast(folded[i]))
        ):
            found.append(Attack(" ".join(shown[i : i + 4]), shown[i + 3]))
            covered = i + 3
            continue
        # "absolute melt", "this total walnut trying to…": a daft name said of someone
        if (
            word in ("absolute", "total", "utter", "complete")
            and words[i + 1 : i + 2]
            and words[i + 1] in _YOU_ONLY
            and (
                i + 2 == len(words)
                or words[i + 2] in _PHRASE_ENDS - {"for", "of", "to", "in", "on", "with"}
                or (words[i + 2].endswith("ing") and len(words[i + 2]) > 4)
            )
        ):
            found.append(Attack(" ".join(shown[i : i + 2]), "someone"))
            covered = i + 1
            continue
        # "a bunch of losers"; "only an idiot would": a name for whoever is meant.
        if word in _COLLECTIVES and words[i + 1 : i + 2] == ["of"]:
            head = _head(words, folded, lex, i + 2, {"noun"}, people_only=True)
            # "the council are a bunch of clowns": a body's running criticised, no one named
            said_of = words[max(0, i - 4) : i]
            if head and _INSTITUTIONS.intersection(said_of) and "you" not in words[:i]:
                head = None
            if head:
                found.append(Attack(head[0], " ".join(words[i : i + 2])))
                covered = i + 2
                continue
        if word in ("only", "any") and words[i + 1 : i + 2] in (["a"], ["an"]):
            k = next(
                (k for k in range(i + 2, min(i + 6, len(words))) if lex.is_person(folded[k])), None
            )
            if k is not None and words[k + 1 : k + 2] and words[k + 1] in _MODALS:
                found.append(Attack(words[k], "whoever"))
                covered = k
                continue
        # "idiots like you": a name for people, said to be the reader's kind.
        if words[i + 1 : i + 3] in (["like", "you"], ["like", "u"]) and lex.is_person(folded[i]):
            found.append(Attack(shown[i], "you"))
            covered = i + 2
            continue
        # "Another Muslim terrorist, what a surprise": one of a group made the group's crime
        if (
            word in ("another", "typical")
            and words[i + 1 : i + 2]
            and words[i + 1] in _IDENTITY_ADJECTIVES
            and words[i + 2 : i + 3]
            and words[i + 2] in _CRIMINAL
        ):
            found.append(Attack(" ".join(shown[i : i + 3]), shown[i + 1]))
            covered = i + 2
            continue
        # An identity made an insult: "the trans freaks", "some feminist whale".
        if word in _IDENTITY_ADJECTIVES and i + 1 < len(words):
            after = folded[i + 1]
            if lex.is_person(after) or lex.is_beast(after):
                found.append(Attack(" ".join(shown[i : i + 2]), shown[i]))
                continue
        # A whole identity group, not some of its people ("the men who robbed the bank"),
        # unless it is all of them ("all these refugees").
        group = (
            (word in _IDENTITY_GROUPS or (word == "people" and words[i - 1 : i] in _AS_PEOPLE))
            and (i == 0 or words[i - 1] not in _SPECIFIC or words[i - 2 : i - 1] == ["all"])
            and words[i + 1 : i + 2] not in (["who"], ["that"], ["which"])
        )
        # "Typical woman, …": a whole identity as the reason for what is scorned.
        if word == "typical" and len(words) == i + 2 and _identity(words[i + 1]):
            found.append(Attack(" ".join(shown[i:]), shown[i + 1]))
            continue
        # People by what they are ("vegans", "voters", "the referee"): WordNet's
        # words that are a person first, said of a group, or of one with a determiner.
        crowd = not group and word not in _PEOPLE and _is_people(word)
        # "foreigners are taking over this town like rats": a group's doings likened to
        # vermin's (not "refugees are treated like animals": done to them, not by them)
        if (group or crowd) and "like" in words[i + 1 : i + 10]:
            swarm = _SWARMING.match(" ".join(words[i + 1 : i + 12]))
            if swarm:
                found.append(Attack(swarm.group(1), _target(shown[i])))
                continue
        role = (
            not crowd
            and i > 0
            and words[i - 1] in _SPECIFIC
            and (word in person_words() or word in _NEW_ROLES)
            and word not in _PEOPLE
        )
        subject = word in _PEOPLE or group or word.endswith("s") or role
        if not subject and not named:
            continue
        # Up to a few words between subject and verb: "you guys really are",
        # "people who write this are", "the guy in the video is".
        relative = words[i + 1 : i + 2] in (["who"], ["that"], ["like"])
        placed = (
            # "the women on this panel are…" (not "the villain in the film was…": a role)
            (word in _PEOPLE or crowd or named_from)
            and words[i + 1 : i + 2]
            and words[i + 1] in _PREPOSITIONS
        )
        reach = 8 if relative else 6 if placed else 4
        verb = next(
            (j for j in range(i + 1, min(i + reach, len(words))) if words[j] in _COPULAS), None
        )
        if verb is not None and not relative and not placed:
            if any(w not in _FILLERS and w not in _PEOPLE for w in words[i + 1 : verb]):
                verb = None
        if verb is not None:
            rest = verb + 1
            while rest < len(words) and (
                words[rest] in _NEGATIONS or words[rest] in _FILLERS or words[rest] in _SKIPPED
            ):
                rest += 1
            negated = any(w in _NEGATIONS for w in words[i + 1 : rest]) or any(
                w in _DENIALS for w in words[max(0, i - 4) : i]
            )
            people_only, beasts = False, True
            # "Vegans are stupid" of all of them; "the docs are useless" may be pages
            bare = crowd and (i == 0 or words[i - 1] not in _SPECIFIC | _OWNERS)
            if word in _PEOPLE or group or bare:
                kinds = {"noun", "adjective", "dehumanizing"}
            elif crowd:
                kinds = {"noun", "dehumanizing"}
            elif role:
                kinds = {"noun", "dehumanizing"}  # "the ref is useless" criticises a job
                # "my husband is a pig", "my son is a little monkey": family banter
                beasts = words[i - 1] not in ("my", "our")
                people_only = not beasts
                if beasts and words[rest : rest + 1] in (["a"], ["an"]):
                    # "this referee is a disgrace", "the mayor is a joke": what the person is
                    kinds = {"noun", "adjective", "dehumanizing"}
            elif named:
                # "Rust is stupid", "Python is a snake": about a thing
                kinds, beasts = {"noun"}, False
            else:
                # A plural subject: "immigrants are vermin", "vegans are morons"
                # (not "these bugs are shit": a thing is no moron).
                kinds, people_only, beasts = {"noun", "dehumanizing"}, True, False
            head = _head(words, folded, lex, rest, kinds, people_only, beasts=beasts)
            if not head and group:
                head = _slander(words, rest)
            family = role and words[i - 1] in ("my", "our")
            if head and family and _fold_last(head[0]) in _ANIMALS:
                head = None  # "my husband is a pig": an animal of one's own family
            if head:
                found.append(Attack(head[0], _target(shown[i]), negated))
                covered = verb
                continue
        if (
            group
            and words[i + 1 : i + 4] in (["are", "behind", "every"], ["are", "behind", "all"])
            and words[i + 4 : i + 5]
            and words[i + 4] in _EVILS
        ):
            # "Jews are behind every war": a group cast as the hidden cause
            found.append(Attack(" ".join(shown[i + 1 : i + 5]), _target(shown[i])))
            continue
        # ("women run the world" is a slogan of pride, not a secret power)
        runs = words[i + 1 : i + 2] in (["run"], ["runs"]) and word not in _GENDERS
        if group and (words[i + 1 : i + 2] in (["control"], ["controls"]) or runs):
            # "Jews control the banks": a group cast as a secret power
            end = next(
                (
                    k
                    for k in range(i + 2, i + 5)
                    if words[k : k + 1][0:1] and words[k] in _CONTROLLED
                ),
                None,
            )
            if end is not None:
                found.append(Attack(" ".join(shown[i + 1 : end + 1]), _target(shown[i])))
                continue
        if group and _DENIED_RIGHTS.match(" ".join(words[i + 1 : i + 8])):
            # "women shouldn't be in charge of anything": a group denied a place
            found.append(Attack(" ".join(shown[i + 1 : i + 6]), _target(shown[i])))
            continue
        if group and _INVADING.match(" ".join(words[i + 1 : i + 8])):
            # "Muslims are invading Europe and breeding us out": a people cast as invaders
            found.append(Attack(" ".join(shown[i + 1 : i + 4]), _target(shown[i])))
            continue
        if group:
            # "Muslims should all be deported": a whole group's removal wished for.
            removal = next((w for w in words[i + 1 : i + 6] if w in _REMOVAL), None)
            if removal:
                found.append(Attack(removal, _target(shown[i])))
                continue
        # Direct address: "you clueless clown", "shut up, you moron"; asked,
        # an adjective is enough: "are you stupid?".
        if word in ("you", "u", "ya"):
            head = _head(
                words,
                folded,
                lex,
                i + 1,
                {"noun", "adjective", "dehumanizing"},
                modifiers=0,
                beasts=True,
            )
            asked = i > 0 and words[i - 1] in _COPULAS
            if head and (head[1] or asked):
                found.append(Attack(head[0], word))
            else:
                called = _called(words[i + 1 :], folded[i + 1 :], lex)
                if called:
                    found.append(Attack(called, word))
                elif words[i + 1 : i + 2] and words[i + 1] in _SNEERING and i + 2 < len(words):
                    # "you old windbag nobody asked…", "get a grip, you hysterical woman"
                    name, after = words[i + 2], words[i + 3 : i + 4]
                    person = lex.is_person(folded[i + 2]) or name in _A_PERSON
                    if person and (not after or after[0] not in ("who", "that", "s")):
                        found.append(Attack(" ".join(shown[i + 1 : i + 3]), word))
    return found


def _called(words: list[str], folded: list[str], lex: Lexicon) -> str | None:
    """What ends a clause after "you" when it calls the reader a name: "you
    knuckle-dragging neanderthal", "you sad little man", "Said no one ever, you tool"."""
    if not 1 <= len(words) <= 4 or words[-1] in _INTENSIFIERS:
        return None
    last = folded[-1]
    if len(words) == 1:
        return words[0] if words[0] in _YOU_ONLY else None
    before = folded[:-1]
    # Only names come between "you" and the name: "you want ignorant schlock" is a verb.
    unknown = [
        w
        for w, f in zip(words[:-1], before, strict=True)
        if not (
            lex.kind_of(f) == "adjective"
            or w in _INTENSIFIERS
            or (w.endswith(("ing", "ed")) and len(w) > 5)
        )
    ]
    if len(unknown) > ("little" in words[:-1]):
        return None
    scorned = any(lex.kind_of(f) == "adjective" for f in before)
    # "you sad little man", not "you little ripper" (praise, a person too)
    little = "little" in words[:-1] and (
        words[-1] in _A_PERSON or lex.kind_of(last) or lex.is_beast(last)
    )
    if (scorned and lex.kind_of(last) != "adjective" and words[-1] not in _PHRASE_ENDS) or little:
        return " ".join(words)
    return None


# Words of scorn that make "you … woman" a name: "you hysterical woman", "you old windbag".
_SNEERING = frozenset(
    "old silly sad bitter miserable hysterical shrill nasty pompous arrogant smug lying fat "
    "ugly dirty stupid dumb ignorant".split()
)
# Names said only to someone's face, in British English mostly: as nouns
# they also name things ("a handy tool", "a plank of wood").
_YOU_ONLY = frozenset(
    "tool plank prat plonker pillock wally muppet melt donkey knob bellend wazzock berk "
    "twonk numpty walnut spanner melon nob".split()
)


# Words the prefilter lets through besides the lexicon's: "you tool", "Typical woman".
_CALLING = _YOU_ONLY | {"typical", "little"}


def _identity(word: str) -> bool:
    """An identity group's name, one of them or all ("woman", "muslims")."""
    return word in _IDENTITY_GROUPS or word + "s" in _IDENTITY_GROUPS or word in ("man", "woman")


def _is_people(word: str) -> bool:
    """A plural of a word that is a person first ("vegans", "voters", "yokels")."""
    if len(word) < 4 or not word.endswith("s"):
        return word in ("men", "women", "folk", "folks")
    persons = person_words()
    return (
        word[:-1] in persons
        or (word.endswith("es") and word[:-2] in persons)
        # "hillbillies", "cronies", "bullies"
        or (word.endswith("ies") and word[:-3] + "y" in persons)
    )


# Names that mean nothing but a person held in contempt: wherever the writer
# uses one of their own words, it is said of someone ("another hit piece from
# the resident halfwit", "@sam the moron strikes again"). Not the words that
# also name a thing or a role ("a quick hack", "fraud", "the clown at the
# party", "April fools", "the losers' bracket", "scope creep").
_CONTEMPT = frozenset(
    fold(w)
    for w in (
        "idiot imbecile cretin buffoon halfwit dimwit nitwit numpty simpleton ignoramus "
        "scumbag lowlife moron dumbass jackass asshole dipshit retard manchild "
        "gandu harami haramkhor bhosdike"
        # Hindi and Urdu oaths that name a person ("madarchod selectors", "tere jaise chutiye";
        # not "chutiya", also the fool one is made of: "chutiya bana diya")
        " madarchod maderchod behenchod bhenchod chutiye"
    ).split()
)


_SENTENCES = re.compile(r"[.!?\n]+")
# A sentence about the writer with its "I" left out: "feel like a total moron, …"
_MY_FEELINGS = (["feel"], ["felt"], ["feeling"], ["am"])
# "barely literate" says what "illiterate" does (of a person: of "the author", not "my dad").
_HALF_LITERATE = re.compile(r"\b(?:barely|functionally|semi)[\s-]?literate\b", re.IGNORECASE)


def _named_anywhere(own: str, lex: Lexicon) -> list[Attack]:
    """A name of contempt in a clause that is not about the writer, not negated."""
    found: list[Attack] = []
    for sentence in _SENTENCES.split(own):
        words = [w.lower() for w in _WORD.findall(sentence)]
        if any(w in _FIRST_PERSON or w == "my" for w in words) or words[:1] in _MY_FEELINGS:
            continue  # "my idiot brain", "Me, an idiot: …": the writer's own
        for k, word in enumerate(words):
            folded = _folded_word(word)
            if folded not in _CONTEMPT and folded.removesuffix("s") not in _CONTEMPT:
                continue
            if any(w in _DENIALS for w in words[max(0, k - 4) : k]):
                found.append(Attack(word, "someone", negated=True))
            elif folded in lex.nouns or folded.removesuffix("s") in lex.nouns:
                found.append(Attack(word, "someone"))
    return found


def _belittled(own: str) -> list[Attack]:
    """A belittling comparison in a sentence that names someone other than the writer."""
    found: list[Attack] = []
    for sentence in _SENTENCES.split(own):
        compared = _belittling(sentence.lower())
        if compared is None:
            continue
        words = {w.lower() for w in _WORD.findall(sentence)}
        if words & (_FIRST_PERSON | {"my", "our"}):
            continue  # "I have the attention span of a goldfish"
        named = _SOMEONE_NAMED.search(sentence)
        # or a name: a capitalised word past the sentence's first ("Senator Hale has…")
        # (not an acronym: "this API is as useful as …" is about a thing)
        name = next(
            (
                w
                for w in _WORD.findall(sentence)[1:]
                if w[:1].isupper() and not w.isupper() and w != "I"
            ),
            None,
        )
        target = named.group(0).lower() if named is not None else name
        if target is not None:
            found.append(Attack(" ".join(compared.group(0).split()), target))
    return found


# A list of what someone is: "the ref is blind, bent and useless", "he is lazy,
# arrogant and dishonest". Three items or more, one of them an insult, or two insults.
_LISTED = re.compile(
    r"(?<![\w'])(?P<before>\w+\s+)?(?P<subject>[a-z]+)\s+(?:here\s+|there\s+)?"
    r"(?:is|are|was|were|r)\s+(?:just\s+|so\s+|really\s+|clearly\s+|completely\s+"
    r"|utterly\s+|both\s+)?(?P<items>[a-z-]+(?:\s*,\s*[a-z-]+)*,?\s+and\s+[a-z-]+)\b"
)


# ... or the list alone, said of whoever the comment addresses: "You lot are all the
# same, smug and useless."
_LISTED_ALONE = re.compile(
    r"(?:^|[,.;!?]\s*)(?P<items>(?:[a-z-]+\s*,\s*)*[a-z-]+,?\s+and\s+[a-z-]+)\s*(?:[.!?]|$)"
)


def _listed(own: str, lex: Lexicon) -> list[Attack]:
    found: list[Attack] = []
    lower = own.lower()
    for m in _LISTED_ALONE.finditer(lower):
        items = [w for w in re.split(r"\s*,\s*|\s+and\s+", m.group("items")) if w]
        insults = [w for w in items if lex.kind_of(_folded_word(w)) == "adjective"]
        named = _SOMEONE_NAMED.search(lower)
        if len(insults) >= 2 and len(insults) == len(items) and named is not None:
            found.append(Attack(m.group("items"), named.group(0)))
    for m in _LISTED.finditer(own.lower()):
        subject, before = m.group("subject"), (m.group("before") or "").strip()
        # a person by role with its determiner ("the ref"), not a plural that may be
        # things ("the docs are outdated, incomplete and useless")
        role = before in _SPECIFIC and subject in person_words()
        person = subject in _PEOPLE or role or subject in _IDENTITY_GROUPS
        if not person or before in ("my", "our") or subject in _FIRST_PERSON:
            continue  # "my son is loud, messy and tired": family, or the writer's own
        items = [w for w in re.split(r"\s*,\s*|\s+and\s+", m.group("items")) if w]
        insults = [w for w in items if lex.kind_of(_folded_word(w)) == "adjective"]
        if (
            len(items) >= 2
            and all(" " not in w for w in items)
            and (len(insults) >= 2 or (insults and len(items) >= 3))
        ):
            found.append(Attack(m.group("items"), subject))
    return found


# Readers told to leave for a country: "go back to Pakistan if you hate it here".
_GO_BACK = re.compile(
    r"\bgo\s+(?:back|home)\s+to\s+(?P<place>[a-z]+(?:\s+[a-z]+){0,2}?)"
    r"(?=\s*(?:[.!?,;]|$|then\b|already\b|where\b|and\s+(?:take|stay)\b"
    r"|if\s+(?:you|u|they)\s+(?:hate|don\s*'?t\s+like|do\s+not\s+like|dislike|can\s*'?t"
    r"\s+stand|love\s+it|like\s+it|miss\s+it|are\s+so|want\s+to\s+(?:complain|moan|whine))))"
)
# ... or a group's rights called the cause of what is wrong: "this is what happens
# when you let women vote"
_LET_IN = re.compile(
    r"what\s+(?:happens|you\s+get)\s+when\s+(?:you|we|they|u|people)\s+(?:let|allow)\s+"
    r"(?:the\s+)?(?:"
    + "|".join(sorted(_IDENTITY_GROUPS))
    # said as the sentence's point, not "…, the company tripled revenue"
    + r")\b(?=(?:\s+[\w']+){0,4}\s*(?:[.!?\n]|$))"
)
# ... or a group sent out: "another immigrant leeching off us, send them back".
_SENT_BACK = re.compile(
    r"(?:^|[.!?,;]\s*)(?:just\s+|and\s+|so\s+)?(?:send|ship|kick|deport|throw)\s+"
    r"(?:them|em|the\s+lot|all\s+of\s+them|(?:all\s+)?(?:the|these|those)\s+[a-z]+)\s+(?:all\s+)?"
    r"(?:back|home|out)\b(?!\s*\?)"
)
_MIGRANTS = re.compile(
    r"\b(?:immigrants?|migrants?|refugees?|foreigners?|asylum\s+seekers?|illegals|muslims?"
    r"|mexicans?|africans?|arabs?|asians?|indians?|pakistanis?|romanians?|poles|gypsies"
    r"|travell?ers|invaders)\b"
)


_LOCALE_NAME = re.compile(r"'([a-z]{2})':'([^'\\]*)'")


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Countries' and continents' English names, lowercased: the region names that
    ``phonenumbers`` (a dependency already) ships, so no list of our own. Its
    ``geodata`` package loads every city of the world on import (seconds, tens of
    MB), so the one file of names is read as text, not imported."""
    spec = importlib.util.find_spec("phonenumbers")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("phonenumbers is not installed (pip install parley)")
    source = Path(next(iter(spec.submodule_search_locations))) / "geodata" / "locale.py"
    names = set()
    for line in source.read_text(encoding="utf-8").splitlines():
        # "  'AD': {'aa':'Andorra','ab':'*aa',…,'en':'*aa',…},"
        by_language = dict(_LOCALE_NAME.findall(line))
        name = by_language.get("en")
        while name and name.startswith("*"):
            name = by_language.get(name[1:])
        if name:
            names.add(name.lower())
    return frozenset(names | {"africa", "asia", "europe", "the middle east", "the third world"})


caches.declare("patterns.countries", countries.cache_clear)


def _sent_away(own: str) -> list[Attack]:
    lower = own.lower()
    found: list[Attack] = []
    for sentence in _SENTENCES.split(lower):
        if not (
            {"go", "send", "ship", "kick", "deport", "throw", "let", "allow"}
            & set(sentence.split())
        ):
            continue
        mine = set(_WORD.findall(sentence)) & (_FIRST_PERSON | {"my", "our"})
        # "I can't wait to go back to Italy" (but "our benefits … send them back" is no trip)
        for m in () if mine else _GO_BACK.finditer(sentence):
            place = m.group("place").removeprefix("the ")
            if place in countries() or f"the {place}" in countries():
                found.append(Attack(" ".join(m.group(0).split()), "you"))
        let_in = _LET_IN.search(sentence)
        if let_in:
            found.append(Attack(" ".join(let_in.group(0).split()), let_in.group(0).split()[-1]))
        sent = _SENT_BACK.search(sentence.strip())
        if sent and _MIGRANTS.search(lower):
            found.append(Attack(" ".join(sent.group(0).strip(" .!?,;").split()), "them"))
    return found


# "What a stupid decision by the council": an insulting adjective said of a thing
# (a decision, an idea, a rule) rather than of a person. The adjective, and the
# word after it that it describes, and the one after that (not "an excuse for").
_DESCRIBED = re.compile(r"(?<![\w'])([^\W\d_]+)(?=\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?)")
# What an adjective may stand before that is no thing: a verb's or a phrase's word.
_NOT_A_THING = frozenset(
    "and or but to as enough of for than that who which you your he she they it is are was "
    "were be been like about when if so too very haha hahaha lol lmao lmfao omg smh af tho "
    "though bro wow tbh fr rn yo ngl imo honestly ever af".split()
)


def without_things_criticised(body: str) -> str | None:
    """The comment's own words without the insulting adjectives it says of things
    ("a stupid decision", "this idiotic rule"), if it says any; else None."""
    lex = lexicon((), ())
    cut = False

    def drop(m: re.Match) -> str:
        nonlocal cut
        adjective, thing, after = (g.lower() if g else "" for g in m.groups())
        if lex.kind_of(_folded_word(adjective)) != "adjective":
            return m.group(0)
        folded = _folded_word(thing)
        if (
            thing in _NOT_A_THING
            or thing in _PEOPLE
            or thing in _INTENSIFIERS
            or _a_person(thing)
            or folded in lex.forms
            or lex.kind_of(folded) is not None
            or after in ("of", "for")  # "a pathetic excuse for a human", "stupid piece of"
        ):
            return m.group(0)
        cut = True
        return " "

    own = _DESCRIBED.sub(drop, _own_words(body))
    # "That's disgusting", "this is pathetic": an insulting adjective said of what a
    # pointer stands for (a deed, a report), in a comment that addresses no reader.
    if _POINTER_IS.search(own) and not _ADDRESSED.search(own):
        pointed = _POINTER_IS.sub(lambda m: _pointer_said(m, lex), own)
        cut = cut or pointed != own
        own = pointed
    # "The UI is a total trainwreck", "this update was such a joke": what a thing is
    # said to be, its subject a thing (no person, no role, no name), to its clause's end.
    if " is " in own or " was " in own or " are " in own or " were " in own:
        said_of = _SAID_OF_A_THING.sub(lambda m: _said_of(m, lex), own)
        cut = cut or said_of != own
        own = said_of

    def verdict(m: re.Match) -> str:
        # "the minister's housing policy is a complete failure": what a thing is called,
        # said of the thing (not "her son is an idiot", "his plan is a moron's")
        nonlocal cut
        subject, called = m.group("subject").lower(), m.group("called").lower()
        folded = _folded_word(called)
        if (
            subject in _PEOPLE
            or subject in _NOT_A_THING
            or _a_person(subject)
            or lex.is_person(_folded_word(subject))
            or lex.is_person(folded)
            or lex.is_beast(folded)
            or lex.kind_of(folded) == "dehumanizing"
            or _a_person(called)
        ):
            return m.group(0)
        cut = True
        return m.group("owner") + " " + m.group("subject")

    if " is a" in own or " was a" in own:
        own = _THING_CALLED.sub(verdict, own)
    return own if cut else None


_POINTER_IS = re.compile(
    r"(?<![\w'])(?:that'?s|that\s+is|that\s+was|this\s+is|this\s+was|it'?s|it\s+is|it\s+was)\s+"
    r"(?:(?:so|just|absolutely|utterly|truly|really|totally|frankly|bloody|fucking)\s+)?"
    r"([^\W\d_]+)(?![\w'])",
    re.IGNORECASE,
)
_ADDRESSED = re.compile(
    r"(?<![\w'])(?:you|u|ur|ya|your|yours|yourself|y'?all)(?![\w'])", re.IGNORECASE
)


def _pointer_said(m: re.Match[str], lex: Lexicon) -> str:
    if lex.kind_of(_folded_word(m.group(1).lower())) != "adjective":
        return m.group(0)
    return m.group(0)[: m.start(1) - m.start()] + " "


_SAID_OF_A_THING = re.compile(
    r"(?<![\w'])(?:the|this|that|these|those|its|their|our|my)\s+([^\W\d_]+)\s+"
    r"(?:is|was|are|were)\s+(?:(?:a|an|such\s+a|such\s+an|just\s+a|just\s+an|total|complete"
    r"|absolute|utter)\s+)+[^.!?;\n]*",
    re.IGNORECASE,
)


# A thing someone owns or did, and what the writer calls it: "his tax plan is a total
# disaster", "the minister's policy was a failure".
_THING_CALLED = re.compile(
    r"(?P<owner>\b(?:his|her|their|its|the|this|that)\b|'s)(?:\s+[a-z]+){0,2}?\s+"
    r"(?P<subject>[a-z]+)\s+(?:is|was)\s+an?\s+(?:[a-z]+\s+){0,2}?(?P<called>[a-z]+)\b"
    r"(?!\s+(?:of|for)\b)",
    re.IGNORECASE,
)


def _said_of(m: re.Match[str], lex: Lexicon) -> str:
    thing = m.group(1).lower()
    folded = _folded_word(thing)
    if thing in _PEOPLE or _a_person(thing) or lex.is_person(folded) or lex.kind_of(folded):
        return m.group(0)
    return m.group(0)[: m.start(1) - m.start() + len(m.group(1))] + " "


def uses_no_abuse_term(text: str, ctx: CheckContext) -> bool:
    """Whether no word of ``text`` is an insult, a curse, a demeaning term or a beast of
    the site's lexicon, nor a word for a person ("Bitcoin is a bubble"; not "Trump is a
    fat clown", "Boris is a crook")."""
    lex = _site_lexicon(ctx)
    words = _WORD.findall(text.lower())
    return not any(lex.kind_of(f) or lex.is_beast(f) for f in map(_folded_word, words)) and not any(
        _a_person(w) for w in words
    )


def _target(word: str) -> str:
    return word.lower() if word.lower() in _PEOPLE else word


# "a spineless, two-faced weasel": insulting adjectives in a list are one phrase.
_ADJECTIVE_LIST = re.compile(r"(?<![\w-])([^\W\d_]+),\s+(?=([^\W\d_]+))")


def _one_phrase(m: re.Match, lex: Lexicon) -> str:
    both = (_folded_word(m.group(1).lower()), _folded_word(m.group(2).lower()))
    if all(lex.kind_of(w) == "adjective" for w in both):
        return m.group(1) + " "
    return m.group(0)


_SO_CALLED = re.compile(r"\b(?:so|self)[\s-](?:called|proclaimed|styled)\s+", re.IGNORECASE)


def _expanded(text: str) -> str:
    # All but the last rewrite need an apostrophe; most comments have none.
    for pattern, replacement in _CONTRACTIONS if "'" in text else _CONTRACTIONS[-1:]:
        text = pattern.sub(replacement, text)
    lower = text.lower()
    for pattern, replacement, needle in _BARE_CONTRACTIONS:
        if needle in lower:  # a literal scan first: most comments have none of them
            text = pattern.sub(replacement, text)
    return text


# "I told them that was disgusting": what is told is a clause of its own, said to them,
# not said of them ("I told him that he is a clown" still calls him one).
_TOLD_THAT = re.compile(
    r"\b(?:told|tell|tells|telling|asked|warned|reminded)\s+(?:him|her|them|us|everyone|people)"
    r"(?=\s+that\b)",
    re.IGNORECASE,
)


# The antisemitic "echo": a name or a pronoun in triple parentheses marks someone
# as Jewish in scorn ("one of (((them)))", "(((globalists)))"; ADL's hate symbols).
# Exactly three: "(((((LISTEN)))))" is emphasis.
_ECHO = re.compile(r"(?<!\()\({3}\s*([^()\n]{1,40}?)\s*\){3}(?!\))")
# A group named, then slandered by pronoun: "gay people … they're all groomers".
_THEY_SLANDERED = re.compile(
    r"\b(?:they|them)\s+(?:are|r)\s+((?:all|just|basically|simply|mostly|nothing\s+but)\s+)*"
    r"(?P<slander>[a-z]+)\b"
)
_GROUP_NAMED = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(sorted(_IDENTITY_GROUPS))
    + r"|(?:"
    + "|".join(w[0] for w in _AS_PEOPLE)
    + r")\s+(?:people|folk|folks|men|women))(?![\w'])"
)


def _they_slandered(lower: str) -> list[Attack]:
    """A slander said by pronoun of a group the comment names."""
    if "they" not in lower or not _GROUP_NAMED.search(lower):
        return []
    found = []
    for m in _THEY_SLANDERED.finditer(lower):
        rest = lower[m.end() :].lstrip()
        ends = not rest or rest[0] in ".,;:!?)" or _ends_at(rest.split(), 0)
        if m.group("slander") in _GROUP_SLANDER and ends:
            found.append(Attack(" ".join(m.group(0).split()), "them"))
    return found


@check("personal_attack", kind="abuse", version="4")
def personal_attack(facts: CommentFacts, ctx: CheckContext):
    """An insult or demeaning term aimed at a person or a group of people."""
    said = _joined(_own_words(facts.body or facts.text or ""))
    if "(((" in said:
        echoed = _ECHO.search(said)
        if echoed:
            return 0.9, f"personal attack: '{echoed.group(0)}' marks '{echoed.group(1)}' in scorn"
    if any(c.isdigit() for c in said):
        for pattern, plain in _LEET_SMALL:
            said = pattern.sub(plain, said)
    said = _closed(said)
    own = _expanded(said)
    if "-" in own or "self" in own:
        # "this so-called expert is a clown": the role is still who is meant
        own = _SO_CALLED.sub("", own)
    if "litera" in own:
        own = _HALF_LITERATE.sub("illiterate", own)
    lex = _site_lexicon(ctx)
    # Every attack holds a demeaning term or a curse at "you": most comments
    # have neither, and are done with one look at each word.
    lower = own.lower()
    seen = _WORD.findall(lower)
    slur = _slur(seen)
    if slur:
        return 0.8, f"personal attack: the slur '{slur}' aimed at a people"
    scorn = _scorned(lower, seen)
    if (
        not scorn
        and _CALLING.isdisjoint(seen)
        and _GROUP_WORDS.isdisjoint(seen)
        and _CRIMINAL.isdisjoint(seen)
        and not _belittling(said.lower())
        and not _AT_YOU.search(lower)
        and lex.forms.isdisjoint(map(_folded_word, seen))
        and not (may_match(_GO_BACK, lower) and _GO_BACK.search(lower))
        and not (may_match(_SENT_BACK, lower) and _SENT_BACK.search(lower))
        and not _LET_IN.search(lower)
    ):
        return 0.0, "no insult aimed at a person"
    attacks: list[Attack] = []
    if "," in own:
        own = _ADJECTIVE_LIST.sub(lambda m: _one_phrase(m, lex), own)
    if "that" in lower:
        own = _TOLD_THAT.sub(r"\g<0>;", own)
    for clause in _CLAUSES.split(own):
        attacks += _attacks_in(clause, lex)
        cursed = _AT_YOU.search(clause.lower())
        if cursed:
            attacks.append(Attack(cursed.group(0), "you"))
    if not attacks:
        attacks += _named_anywhere(own, lex)
    if scorn:
        said_of = "you"
        if scorn.re is _LEERING and re.search(r"know|88|\(", scorn.group(0)):
            said_of = "a group"  # the coded hate of a group, not a word to the reader
        attacks.append(Attack(" ".join(scorn.group(0).split()), said_of))
    if not attacks and " and " in lower:
        attacks += _listed(own, lex)
    if not attacks:
        attacks += _they_slandered(lower)
    if not attacks and (
        _GO_BACK.search(lower) or _SENT_BACK.search(lower) or _LET_IN.search(lower)
    ):
        attacks += _sent_away(own)
    if not attacks and " so " in lower:
        also = _SO_ARE_YOU.search(lower)
        said_before = _WORD.findall(lower[: also.start()]) if also else []
        term = next((w for w in said_before if lex.kind_of(_folded_word(w))), None)
        if term:
            attacks.append(Attack(f"{term} … {also.group(0)}", "you"))
    if not attacks:
        # before "ur" is read as "you are": "ur brain must be the size of a pea"
        attacks += _belittled(said)
    meant = [a for a in attacks if not a.negated]
    if meant:
        first = meant[0]
        # Two insults, or one with profanity at the reader, is no slip.
        score = 0.9 if len(meant) > 1 or " " in first.words else 0.8
        if first.target == "someone":
            # A name of contempt with no one named: surely meant, less surely an attack.
            score = 0.6
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
    # "~" is a gap of up to two words: "I hope you all die", "someone should really hurt him";
    # "~3" of up to three: "I'm going to find you and beat you up".
    gaps = {"~": r"(?:\w+ ){0,2}", "~3": r"(?:\w+ ){0,3}", "~5": r"(?:\w+ ){0,5}"}
    parts = [gaps[s] if s in gaps else _slot(s) + " " for s in slots]
    return r"(?<![^\W_])" + "".join(parts).rstrip(" ") + r"(?![^\W_])"


_SOMEONE = (
    "you|u|he|she|they|him|her|them|ya|op|this guy|that guy|the author|these people"
    # someone a blog or news comment talks about, pointed at by role
    "|this writer|that writer|the writer|this reporter|that reporter|the reporter"
    "|this journalist|that journalist|the journalist|this judge|that judge|the judge"
    "|this man|that man|this woman|that woman|this idiot|that idiot|the mayor|that mayor"
    "|the senator|that senator|the editor|that editor|that politician|this politician"
    "|the ref|that ref|this ref|the referee|that referee|this referee|the umpire|that umpire"
    "|the mod|the mods|that mod|this mod|the op|the coach|that coach"
    + "".join(
        f"|{d} {role}"
        for d in ("the", "that", "this")
        for role in (
            "councillor councilor presenter host minister mp candidate mayor judge referee "
            "manager owner chairman streamer influencer professor teacher cop officer"
        ).split()
    )
)
# Violence done to a body ("smash your face in", "break every bone in his body").
_BODY_HARM = "break|smash|punch|kick|bash|snap|slit|cut|stab|knock|cave in|rip|crush|stomp|slap"
_BODY = (
    "face|faces|head|heads|skull|neck|throat|teeth|jaw|nose|legs|leg|arms|arm|knees|kneecaps"
    "|bones|body|ribs|eyes|brains|fingers|hands"
)
_POSSESSIVE = "your|ur|his|her|their"
_HARM = (
    "kill|hurt|shoot|stab|murder|strangle|punch|rape|hang|lynch|burn|behead|slap|smack"
    "|deck"
    "|put a bullet in|break the legs of"
)


_WISHED = (
    "die|dies|get killed|gets killed|get hurt|gets hurt|get cancer|rot|suffer|get raped|"
    "gets raped|burn|get shot|gets shot"
    # knifed, run down or overdosed: "hope he gets shanked", "hope she ODs"
    "|get stabbed|gets stabbed|get shanked|gets shanked|get knifed|gets knifed|get run over"
    "|gets run over|get hit by a bus|gets hit by a bus|overdose|overdoses|od|ods|get murdered"
    "|gets murdered|get lynched|gets lynched"
)
_DESERVED = (
    "die|be killed|be shot|be hanged|be hung|be hurt|get shot|get killed|get hurt|hang|"
    "be raped|get raped|be beaten|get beaten|be beat up|get beat up|be punched|"
    "be lined up and shot|be put down|and beaten|and shot|and hanged|and killed"
    "|be strung up|strung up|be lynched|be executed|be hunted down|hunted down|be shot dead"
    "|be gassed|be tortured|be stoned to death|be burned alive|be burnt alive|be thrown off"
    "|be slapped|get slapped|be punched|get punched|be smacked|get smacked|be kicked|get kicked"
    "|be run over|get run over|be beaten up|get beaten up|be stabbed|get stabbed"
)
_WILL = (
    "will|am going to|m going to|are going to|re going to|m gonna|gonna|want to|wanna|would|ll|d"
    "|d love to|would love to|d like to|d happily|would happily|d gladly|would gladly"
)
_MUST = "should|ought to|needs to|need to|must|gotta|has to|have to"
# People a writer would stop from having children ("dogs with bad hips" are bred with care).
_BREEDERS = (
    "you|u|your kind|their kind|his kind|her kind|people like you|people like them|you people"
    "|those people|these people|idiots like you|morons like you"
)
# Menace without a word of harm: the idioms that say "you will be hurt".
_VEILED = (
    "watch your back|you will regret|you ll regret|you re going to regret"
    "|make you regret|what s coming to you|what is coming to you"
    "|meet you in a dark alley|catch you in a dark alley|your days are numbered"
    "|we know who you are|we know where you work|i know where you work"
    "|sleep with one eye open|enjoy your last day"
    "|know where your daughter|know where your son|know where your wife|know where your husband"
    "|your family will pay|your kids will pay|your children will pay"
    "|you will pay for what you|you ll pay for what you"
    "|be a shame if something happened|be a shame if anything happened|be a shame if people saw"
    "|be a shame if someone|be a shame if your|be a pity if something happened"
    "|be a real shame if something happened|be a real shame if anything happened"
    "|deserve everything that s coming|deserve everything coming to you|deserve what s coming"
    "|found your facebook|found your address|found your house|found your kids|found your family"
    "|found your instagram|found your profile|found your linkedin|found your employer"
    "|know where your kids|know where your children|know where your family"
    "|know where you park|know where you sleep|know what car you drive|know where you drink"
    "|i ll be waiting outside your|i will be waiting outside your|we ll be waiting outside your"
    "|never work in this town again|never work in this industry again|make sure you never work"
    "|coming for you and your family|coming for your family|coming for your kids"
    "|coming for your children|coming after your family"
    "|lucky i don t know where you live|lucky i do not know where you live|lucky i can t reach you"
    "|you won t walk home|you won t be walking home|you will not walk home|won t make it home alive"
    "|lucky we re not face to face|lucky we are not face to face|lucky this is the internet"
)
# Misfortune wished on someone short of death: "I hope you lose your job".
_MISFORTUNE = (
    "lose your job|loses his job|loses her job|lose their job|lose your house|lose your home"
    "|lose your kids|lose your family|lose everything|loses everything|lose your career"
    "|get fired|gets fired|get sacked|gets sacked|go bankrupt|goes bankrupt|end up homeless"
    "|ends up homeless|end up alone|die alone|dies alone|get evicted|gets evicted"
    "|get what you deserve|get what s coming|choke|chokes|rot in|breaks his leg|break his leg"
    "|breaks her leg|break her leg|break your leg|break your neck|breaks his neck|get injured"
    "|gets injured|get hit by a|gets hit by a|get run over|gets run over"
    "|crashes his car|crashes her car|crash your car|crashes their car|crash his car|crash her car"
)


@lru_cache(maxsize=1)
def threat_patterns() -> tuple[tuple[str, str, re.Pattern], ...]:
    """(what it says, a plain example, the pattern in the folded text's terms)."""
    said = [
        (
            "tells someone to kill themselves",
            "kill yourself",
            # an order, not a warning ("you'll poison yourself eating raw beans")
            "".join(
                f"(?<!{re.escape(fold(w))} )"
                for w in ("ll", "will", "could", "might", "may", "can", "would")
            )
            + _phrase(
                "kill|hang|neck|end|unalive|shoot|cut|drown|poison|gas|stab",
                "yourself|urself|yourselves",
            ),
        ),
        ("tells someone to kill themselves", "kys", _phrase("kys")),
        (
            "tells someone to kill themselves",
            "rope yourself",
            # not the climber's "rope yourself to the anchor" or "rope yourself in"
            _phrase("rope", "yourself|urself|yourselves")
            + r"(?! (?:to|in|on|onto|off|up|together|into|with|for)\b)",
        ),
        (
            "tells someone to kill themselves",
            "just off yourself",
            _phrase(
                "just|go|maybe|please|pls|should|could|why not|why don t you|why dont you",
                "off yourself|off urself|off yourselves",
            ),
        ),
        (
            "tells someone to kill themselves",
            "jump off a bridge",
            _phrase("just|go|please|pls", "jump off a bridge|jump off a cliff|drink bleach"),
        ),
        (
            "tells someone to kill themselves",
            "go die",
            _phrase("go", "die|drink bleach|jump off a bridge"),
        ),
        (
            "wishes death on someone",
            "die in a fire",
            _phrase("die in a fire|drop dead|get cancer and die|get aids and die"),
        ),
        (
            "wishes death on someone",
            "eat shit and die",
            _phrase("eat shit|crawl off|crawl away|go off", "and die|and rot"),
        ),
        (
            "tells someone to kill themselves",
            "disappear permanently",
            _phrase(
                "you|u|and|just|please|pls",
                "~",
                "disappear permanently|disappear forever|disappear for good|vanish permanently",
            ),
        ),
        (
            "says someone should be hurt",
            "people like you need a good slap",
            _phrase(
                _SOMEONE + "|people like you|people like him|people like her|you people",
                "need|needs|deserve|deserves",
                "a good slap|a slap|a good kicking|a kicking|a good hiding|a beating"
                "|a punch in the face|a smack",
            ),
        ),
        (
            "tells someone to kill themselves",
            "delete yourself",
            _phrase("delete|uninstall", "~3", "yourself|urself"),
        ),
        (
            "wishes harm on someone",
            "you deserve everything bad that happens to you",
            _phrase(
                "you|u|he|she|they",
                "deserve|deserves",
                "everything bad|everything that happens|whatever happens|all the bad|to suffer"
                "|to rot|to be miserable",
            ),
        ),
        (
            "says they will hurt someone",
            "shut him up for good",
            _phrase(
                "shut",
                _SOMEONE + "|that woman|that man|this woman|this man",
                "up for good|up permanently",
            ),
        ),
        (
            "wishes a group could not have children",
            "they should be sterilised",
            # people, not "they" (feral cats are neutered)
            _phrase(
                _BREEDERS,
                "should be|need to be|needs to be|ought to be|must be|should all be",
                "sterilised|sterilized|neutered|castrated|spayed",
            ),
        ),
        (
            "wishes a group could not have children",
            "your kind shouldn't be allowed to breed",
            _phrase(
                _BREEDERS,
                "should not|shouldn t|should never|must not|mustn t",
                "be allowed to",
                "breed|reproduce|procreate|have children|have kids",
            ),
        ),
        (
            "wishes harm on someone",
            "I hope you lose your job",
            _phrase("hope|wish|love to see|like to see|wait to see|want to see", "~", _MISFORTUNE)
            + "(?! up)",
        ),
        (
            "wishes harm on someone",
            "they deserve to be homeless",
            _phrase(
                "deserve to|deserves to|deserve to get|deserves to get",
                "be homeless|suffer|rot|get run over|be run over|be shot|be beaten|be raped"
                "|get raped|get cancer|lose everything",
            ),
        ),
        (
            "tells someone to kill themselves",
            "end it all",
            _phrase(
                "you|u|just|go|please|pls|why not",
                "~",
                "end it all|end it already|end your life|end your miserable life"
                "|top yourself|unalive yourself",
            ),
        ),
        (
            "says someone will be hurt",
            "you're getting stabbed",
            _phrase(
                "you|u|he|she|they",
                "are|re|r|is|s|will|ll|are going to|re going to|re gonna|is going to",
                "getting|get|gonna get|going to get|be",
                "stabbed|shot|knifed|glassed|jumped|beaten up|battered|smacked up|kneecapped"
                "|a slap|a smack|a kicking|a beating|a hiding|slapped|punched|decked|a punch"
                "|your head kicked in|his head kicked in|your teeth kicked in",
            )
            + "(?! down| at| up| out| in the foot)",
        ),
        (
            "says they will hurt someone",
            "someone is going to make you pay",
            _phrase(
                "i|we|someone|somebody",
                _WILL + "|is going to|s going to|is gonna|s gonna",
                "~",
                "make you pay|make him pay|make her pay|make them pay",
            ),
        ),
        (
            "wishes death or harm on someone",
            "I hope you die",
            _phrase("hope|wish", _SOMEONE, "~", _WISHED),
        ),
        (
            "wishes death or harm on someone",
            "he deserves to die",
            _phrase(
                _SOMEONE,
                "should|deserve to|deserves to|ought to|needs to|need to",
                "~3",
                _DESERVED,
            ),
        ),
        (
            "says they will hurt someone",
            "I will hurt you",
            _phrase(
                "i|we",
                _WILL,
                "~3",
                _HARM,
                _SOMEONE
                + "|your family|your kids|your face|that face|your smug face|that smug face",
            ),
        ),
        (
            # not "we will beat them on Sunday": a match is won, not a body hurt
            "says they will hurt someone",
            "I will beat you up",
            _phrase(
                "i|we|someone|somebody",
                _WILL + "|" + _MUST,
                "~3",
                "beat",
                _SOMEONE,
                "up|to death|senseless|to a pulp|black and blue|within an inch of",
            ),
        ),
        (
            "says they will hurt someone",
            "I'll beat the crap out of you",
            _phrase(
                "i|we|someone|somebody",
                _WILL + "|" + _MUST,
                "~3",
                "beat|kick|knock|punch",
                "the crap out of|the shit out of|the hell out of|the living daylights out of",
                _SOMEONE,
            ),
        ),
        (
            "says they will hurt someone",
            "I know where you live",
            _phrase(
                "i know where you live|i know your address|better hope we never meet"
                "|better hope i never meet you"
                "|i will find you|we will find you|i ll find you|we ll find you"
            ),
        ),
        (
            # not "I'll track you down a copy": a person hunted, not a thing fetched
            "says they will hurt someone",
            "I'll hunt you down",
            _phrase("i|we|someone|somebody", _WILL, "~", "hunt|track", _SOMEONE, "down")
            + "(?! (?:a|an|one|some|the|a copy)(?![^\\W_]))",
        ),
        (
            # taken somewhere to be hurt: "should be dragged out of the newsroom and beaten"
            "says someone should be hurt",
            "he should be dragged out and beaten",
            _phrase(
                _SOMEONE + "|whoever|anyone who|the people who|the person who|people like you",
                "~3",
                _MUST,
                "be|all be",
                "dragged|frogmarched|marched",
                "~5",
                "and beaten|and shot|and hanged|and flogged|and killed|and stoned|and lynched"
                "|and beaten up|and strung up",
            ),
        ),
        (
            "wishes harm on someone",
            "go choke on it",
            _phrase("go|hope you|hope u|hope he|hope she|hope they", "choke on"),
        ),
        (
            "wishes death or harm on someone",
            "I hope someone hurts you",
            _phrase(
                "hope|wish",
                "someone|somebody|a truck|a bus|a car",
                "~",
                "kills|hurts|shoots|stabs|murders|beats|punches|rapes|runs over|hits|runs"
                "|doxxes|doxes|swats",
                _SOMEONE,
            ),
        ),
        (
            "wishes death or harm on someone",
            "I hope your house burns down",
            _phrase(
                "hope|wish",
                "your|your whole|your entire|your little",
                "house|home|family|kids|children|wife|husband|mother|mom|dog",
                "~",
                "burns|burn|dies|die|gets hurt|get hurt|gets raped|get raped|gets cancer"
                "|get cancer|leaves you|leave you|hates you|hate you",
            ),
        ),
        (
            "gloats over someone's suffering",
            "you will burn and I'll enjoy watching",
            _phrase(
                "you|u|he|she|they|like you|like him|like her|like them|your kind",
                "will|ll|are going to|re going to|is going to|s going to|gonna|shall",
                "burn|suffer|rot|fry|die|hang|choke",
                "and i|and we",
                "will|ll|am going to|m going to|m gonna|d",
                "~",
                "enjoy|love|laugh|cheer",
                "watching|it|every second|every minute",
            ),
        ),
        (
            "gloats over someone's suffering",
            "I'll enjoy watching you burn",
            _phrase(
                "enjoy watching|love watching|laugh watching|wait to watch|cheer watching",
                _SOMEONE + "|people like you|your kind",
                "burn|suffer|rot|fry|die|hang|choke|drown",
            )
            # the suffering is where the clause ends, not a thing burned ("burn the bridge")
            + r"(?=$| (?:in|slowly|and|lol|forever|like|for)\b)",
        ),
        (
            "wishes illness on someone",
            "I hope your cancer comes back",
            _phrase(
                "hope|wish",
                "your|his|her|their|ur",
                "cancer|tumour|tumor|leukaemia|leukemia|illness|disease",
                "comes back|come back|returns|spreads|gets worse|kills",
            ),
        ),
        (
            "wishes death or harm on someone",
            "I hope it burns down with you inside",
            _phrase(
                "burns down|burn down|burns|burn|blows up|blow up|collapses|sinks",
                "with you|with u|with him|with her|with them|with all of you",
                "inside|in it|still inside|in there",
            ),
        ),
        (
            "tells someone they are better dead",
            "do the world a favour and overdose",
            _phrase(
                "world|us all|everyone|us",
                "a favour and|a favor and|a favour &|a favor &",
                "~",
                "die|overdose|od|drop dead|kill yourself|end it|hang yourself|jump off",
            ),
        ),
        (
            "wishes death or harm on someone",
            "I hope your flight crashes",
            _phrase(
                "hope|wish",
                "your|his|her|their",
                "plane|flight|car|bus|train|boat|ship|helicopter",
                "crashes|crash|goes down|go down|blows up|explodes|sinks|burns|catches fire",
            ),
        ),
        (
            "wishes death or harm on a group",
            "you lot should be rounded up",
            _phrase(
                "you lot|you people|your lot|your kind|their kind|people like you",
                _MUST,
                "~",
                "rounded up|be rounded up|be locked up|be shot|be hanged|be gassed|be put down"
                "|be deported|be exterminated|be culled",
            ),
        ),
        (
            "tells someone they are better dead",
            "nobody would miss you",
            _phrase(
                "nobody|no one|noone",
                "would|will|d",
                "miss you|miss u|care if you died|care if you die|care if u die",
            ),
        ),
        (
            "tells someone they are better dead",
            "you would be better off dead",
            _phrase(
                "better off dead|world would be better without you"
                "|world would be better off without you|world a favor and die"
                "|world would be a better place without you"
                "|world would be a better place without people like you"
                "|world would be better without people like you|world would be better off without"
                " people like you|world would be a better place without your kind"
            ),
        ),
        (
            "says they will hurt someone",
            "I'll smash your face in",
            _phrase(
                "i|we|someone|somebody",
                _WILL + "|" + _MUST,
                "~3",
                _BODY_HARM,
                "~3",
                _POSSESSIVE,
                "~",
                _BODY,
            ),
        ),
        (
            "says they will hurt someone",
            "I'd throw you off a bridge",
            _phrase(
                "i|we|someone|somebody",
                _WILL + "|" + _MUST,
                "~",
                "throw|push|toss|shove",
                _SOMEONE,
                "off a bridge|off a cliff|off a roof|off a building|under a bus|under a train",
            ),
        ),
        (
            "says they will hurt someone",
            "someone should teach him a lesson",
            _phrase(
                "i|we|someone|somebody", _WILL + "|" + _MUST, "~", "teach", _SOMEONE, "a lesson"
            ),
        ),
        (
            "tells someone to kill themselves",
            "you should stop breathing",
            _phrase(
                "you|u|just|please|pls|everyone a favour and|everyone a favor and"
                "|us a favour and|us a favor and|world a favour and|world a favor and",
                "~",
                "stop breathing|cease to exist|stop existing",
            ),
        ),
        ("warns someone of harm", "watch your back", _phrase(_VEILED)),
        (
            "wishes harm on someone",
            "I hope the next flood takes your house",
            _phrase(
                "hope|wish",
                "the|a|that",
                "~",
                "flood|fire|storm|tornado|hurricane|earthquake|truck|bus|train",
                "takes|destroys|burns|wipes out|sweeps away|kills|hits|flattens",
                "your|his|her|their",
                "house|home|family|kids|children|wife|husband",
            ),
        ),
        (
            "says they would hurt someone",
            "I'd love to punch that smug grin off his face",
            _phrase(
                "punch|slap|smack|knock|wipe",
                "that|the|this",
                "~",
                "grin|smile|smirk|look",
                "off|right off",
                _POSSESSIVE,
                "face",
            ),
        ),
        (
            "says someone should be hurt",
            "this ref wants shooting",
            _phrase(
                _SOMEONE,
                "wants|needs|deserves|want|need|deserve",
                "shooting|hanging|stringing up|a bullet|putting down|a kicking|a good kicking",
            ),
        ),
        (
            "tells someone to kill themselves",
            "go play in traffic",
            _phrase(
                "go|just|please|pls",
                "play in traffic|play in the traffic|play on the motorway|play on the freeway"
                "|play on the highway|play on the railway|play on the train tracks"
                "|take a long walk off a short pier|jump in front of a train"
                "|jump in front of a bus",
            )
            + "(?! mode| setting| option| jam| light| sim)",
        ),
        (
            # "off yourself" is folded to "of yourself": only where "of" cannot stand
            "tells someone to kill themselves",
            "just off yourself",
            _phrase("just|please|pls|gonna|wanna", "of yourself|of urself|of yourselves"),
        ),
        (
            "urges others to hurt someone",
            "someone should run him over",
            _phrase(
                "i|we|someone|somebody|people",
                _WILL + "|" + _MUST,
                "~",
                "run",
                _SOMEONE,
                "over|down with",
            ),
        ),
        (
            # not "we gave them a hiding on Sunday": a match is won, "them" is a team
            "urges others to hurt someone",
            "someone needs to give him a good beating",
            _phrase(
                "i|we|someone|somebody|people|they|you all|yall|y all|anyone",
                _WILL + "|" + _MUST,
                "~",
                "give",
                _SOMEONE.replace("|them|", "|"),
                "a good beating|a beating|a good kicking|a kicking|a good hiding|a good slap"
                "|a slap|a smack|a black eye|a bloody nose|a thrashing|a good thrashing",
            ),
        ),
        (
            "tells someone they are better dead",
            "the world would be better off if you ended it",
            _phrase(
                "better off if|better place if|better if|happier if",
                _SOMEONE,
                "~",
                "ended it|ended it all|died|were dead|was dead|dropped dead|killed yourself"
                "|killed himself|killed herself|killed themselves|did not exist|didn t exist"
                "|stopped breathing|were never born|was never born|had never been born",
            ),
        ),
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
    words = (
        f"yourself|urself|yourselves|kys|die|dies|dead|live|bleach|bridge|{_HARM}|{_WISHED}"
        "|address|find|kills|hurts|shoots|stabs|murders|beats|punches|rapes|runs|hits|burns"
        "|miss|beaten|punched|put|world|meet|regret|alley|numbered"
        f"|{_BODY_HARM}|throw|push|toss|shove|teach|breathing|exist|existing|strung|lynched"
        "|executed|hunted|gassed|tortured|stoned|burned|burnt|lose|loses|fired|sacked|bankrupt"
        "|homeless|alone|evicted|deserve|coming|choke|chokes|rot|end|leaves"
        "|stabbed|shot|knifed|glassed|jumped|beaten|battered|smacked|kneecapped|kicked|pay"
        "|cancer|aids|delete|uninstall|deserve|suffer|shut|sterilised|sterilized"
        "|neutered|castrated|spayed|breed|reproduce|procreate|children|kids|outside|park|sleep|beat"
        "|leg|neck|injured|over|see|disappear|vanish|slap|kicking|hiding|beating|smack"
        "|traffic|motorway|freeway|highway|railway|pier|jump|slapped|punched|grin|smile|smirk"
        "|shooting|hanging|thrashing|eye|nose|ended|died|born|doxxes|doxes|swats|flood|storm|hit"
        "|drown|poison|hunt|track|dragged|frogmarched|marched|crashes|crash"
        "|rounded|deported|culled|plane|flight|helicopter|boat"
        "|tumour|tumor|leukaemia|leukemia|illness|disease|rope|favour|favor|enjoy|love|laugh|cheer"
    )
    stop = {"get", "gets", "a", "in", "the", "of", "and", "off", "be"}
    words = "|".join(w for w in re.split(r"[| ]", words) if w not in stop)
    return re.compile(r"(?<![^\W_])" + _slot(words) + r"(?![^\W_])")


caches.declare("patterns.threat_words", _threat_words.cache_clear)


@lru_cache(maxsize=1)
def _veiled() -> re.Pattern:
    # Its own look: its words ("watch", "know", "coming") are too common for the one above.
    return re.compile(_phrase(_VEILED))


caches.declare("patterns.veiled_threats", _veiled.cache_clear)


@lru_cache(maxsize=1)
def _exposures() -> tuple[re.Pattern, tuple[tuple[str, str, re.Pattern], ...]]:
    """Harassment with no word of harm: a reader's address or number held over them
    or spread, and talk warned of what follows. Their own look (one search for all),
    since their words ("post", "address", "happens") are everyday words on a blog."""
    said = [
        (
            "says they will expose someone",
            "I'll post your home address",
            _phrase(
                "i|we",
                _WILL + "|keep|ll keep|will keep|am going to keep|m going to keep",
                "~",
                "post|posting|share|sharing|leak|leaking|publish|publishing|spread|spreading"
                "|dox|doxx|doxing|doxxing",
                "your|his|her|their",
                "home address|address|phone number|number|details|personal details|workplace"
                "|kids|children|family|photos|nudes",
            ),
        ),
        (
            "says they know where someone lives",
            "I've got your address",
            _phrase(
                # (not "do we have your address for the prize?")
                "i ve got|i have got|i got|i ve now got|i ve found",
                "your|ur",
                "home address|address|home|workplace|number plate|licence plate|license plate",
            ),
        ),
        (
            "warns someone of harm",
            "keep talking and see what happens",
            # said of talk, not of a recipe or a habit tried ("keep adding salt and see …")
            _phrase(
                "keep|carry on|go on",
                "talking|trolling|lying|running your mouth|running ur mouth|mouthing off",
                "~",
                "and see what happens|and you will see what happens|and you ll see what happens",
            )
            + "|"
            + _phrase("see what happens to you|see what happens to u|see what happens to ya"),
        ),
        (
            "tells someone they are better dead",
            "nobody would care if you disappeared",
            _phrase(
                "nobody|no one|noone",
                "would|will|d",
                "care|notice|cry|mourn",
                "if|when",
                "you|u",
                "~",
                "died|disappeared|vanished|were gone|was gone|dropped dead|killed yourself"
                "|stopped breathing",
            ),
        ),
    ]
    union = re.compile("|".join(pattern for _, _, pattern in said))
    return union, tuple((what, example, re.compile(pattern)) for what, example, pattern in said)


caches.declare("patterns.exposures", _exposures.cache_clear)
# One of these (folded: "happens" is "hapens") is in every exposure: a few substring
# looks spare most comments the search.
_EXPOSURE_WORDS = tuple(
    fold(w) for w in "happens nobody noone post shar leak publish spread dox got found".split()
) + ("no one",)

# "Don't kill yourself over it" is advice, not incitement.
_WISH_DENIED = frozenset("not don doesn didn won never no".split())
_DENIERS = frozenset("nobody noone no one".split())
# "Why don't you just…" is no advice.
_ADVICE = re.compile(r"(?<!why )(?:don t|dont|do not|never|not|no need to|shouldn t) (?:\w+ )?$")


# Told, not reported ("Trump said to drink bleach"): a sentence that starts with the order.
_BLEACH = re.compile(
    r"(?:^|[.!?]\s+)(?:just\s+|go\s+|pls\s+|please\s+)?(?:drink|chug|swallow)\s+(?:some\s+)?"
    r"bleach\b",
    re.IGNORECASE | re.MULTILINE,
)


# Rape wished as an order: "get raped", "go get raped" (not "how not to get raped": a
# sentence that starts with it).
_GET_RAPED = re.compile(
    r"(?:^|[.!?]\s+)(?:just\s+|go\s+|pls\s+|please\s+)*(?:get|be)\s+raped\b",
    re.IGNORECASE | re.MULTILINE,
)


# A group of people doomed: "these protesters should all be shot" (not "these scenes
# should be shot at night", "the defence should be hung out to dry").
_GROUP_DOOMED = re.compile(
    r"\b(?:these|those|the|all)\s+([a-z]+)\s+"
    # where they are from: "those animals from the estate should be caged"
    r"(?:(?:from|in|on|at|round|around)\s+(?:the\s+|that\s+|this\s+)?[a-z]+\s+)?"
    r"(?:should|must|need\s+to|needs\s+to|ought\s+to"
    r"|deserve\s+to)\s+(?:all\s+)?(?:be\s+)?(?:shot|hanged|hung|killed|executed|gassed|caged"
    r"|exterminated|lynched|strung\s+up|put\s+down|lined\s+up\s+and\s+shot|hunted\s+down"
    r"|wiped\s+out|eradicated|eliminated|purged|wiped\s+off\s+the\s+face"
    r"|die(?=\s*[,.!?]|\s*$|\s+(?:already|now|slowly|painfully|horribly|in\s+a\s+fire)))"
    r"\b(?!\s+(?:out|at|on|in\s+(?:colou?r|black|daylight|the\s+studio)))"
)


# Killing people ordered: "Hang the traitors", "Kill all the lawyers" (not "kill all
# the processes", "shoot the messenger").
_ORDERED_DEATH = re.compile(
    r"(?:^|[.!?]\s+)(?:just\s+)?(?:kill|hang|shoot|lynch|execute|gas|exterminate|string\s+up)"
    r"\s+(?:all\s+)?(?:of\s+)?(?:the|these|those|all)\s+([a-z]+)\b"
    r"(?=\s*(?:[,.!?;]|$)|\s+(?:starting|first|now|already|and\s+their|all\b))",
    re.MULTILINE,
)


# A whole group told to die, with no article: "boomers should just hurry up and croak",
# "vegans should all drop dead" (not "old batteries should die quietly": people only).
_GROUP_DIE = re.compile(
    r"\b([a-z]+)\s+(?:should|need\s+to|needs\s+to|ought\s+to|can(?=\s+go\b))\s+(?:all\s+|just\s+)*"
    r"(?:hurry\s+up\s+and\s+|go\s+and\s+|go\s+)?(?:croak|drop\s+dead|die\s+off|kick\s+the\s+bucket"
    r"|die)(?=\s*[,.!?]|\s*$|\s+(?:already|now|soon|so|and|quicker|faster|off))"
)


# Generations, named as groups of people newer than WordNet knows.
_GENERATIONS = frozenset("boomers millennials zoomers gammons".split())


# The words one of those two needs (a set lookup before either search).
_DOOMING = frozenset(
    "shot hanged hung killed executed gassed exterminated lynched strung put lined hunted die "
    "caged "
    "wiped eradicated eliminated purged kill hang shoot lynch execute gas exterminate "
    "string croak".split()
)


def _group_doomed(own: str) -> str | None:
    lower = own.lower()
    for pattern in (_GROUP_DOOMED, _ORDERED_DEATH, _GROUP_DIE):
        for m in pattern.finditer(lower if pattern is not _ORDERED_DEATH else lower.strip()):
            who = m.group(1)
            people = _is_people(who) or who in _IDENTITY_GROUPS or who in _GENERATIONS
            if (
                (people or lexicon((), ()).kind_of(fold(who)) == "dehumanizing")
                and who not in ("messengers", "messenger")
                and who not in _FICTIONAL
            ):
                return " ".join(m.group(0).strip(" .!?").split())
    return None


@check("threat", kind="abuse", version="4")
def threat(facts: CommentFacts, ctx: CheckContext):
    """A threat, a wish of harm, or an urging to self-harm ("kill yourself", "kys")."""
    own = _own_words(facts.body or facts.text or "")
    if "bleach" in own.lower() and _BLEACH.search(own.strip()):
        return 0.9, "threat: tells someone to kill themselves (like 'drink bleach')"
    if "raped" in own.lower() and _GET_RAPED.search(own.strip()):
        return 0.9, "threat: wishes rape on someone (like 'get raped')"
    if not _DOOMING.isdisjoint(_WORD.findall(own.lower())) and _group_doomed(own):
        return 0.9, "threat: wishes death or harm on a group (like 'these people should be shot')"
    text = fold(own)
    union, exposures = _exposures()
    if any(w in text for w in _EXPOSURE_WORDS) and union.search(text):
        for what, example, pattern in exposures:
            m = pattern.search(text)
            if m and not _ADVICE.search(text[: m.start()]):
                return 0.9, f"threat: {what} (like '{example}')"
    if not _threat_words().search(text) and not _veiled().search(text):
        return 0.0, "no threat"
    for what, example, pattern in threat_patterns():
        if not may_match(pattern, text):  # none of the literals every match holds
            continue
        for m in pattern.finditer(text):
            if _ADVICE.search(text[: m.start()]):
                continue
            # "I hope he doesn't get injured", "nobody deserves to suffer"
            before = text[: m.start()].split()[-3:]
            denied = _WISH_DENIED.intersection(m.group(0).split())
            if what.startswith("wishes") and (denied or _DENIERS.intersection(before)):
                continue
            # The text is folded ("k1ll" is "ki"): the reason quotes the plain form.
            return 0.9, f"threat: {what} (like '{example}')"
    return 0.0, "no threat"
