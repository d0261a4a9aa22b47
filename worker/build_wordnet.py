"""``python -m worker.build_wordnet``: WordNet's words for a person held in contempt.

Builds ``worker/artifacts/wordnet_contempt.json``, which ``personal_attack``
adds to its lexicon (``worker.checks.abuse``). The service reads only that
artifact; this script reads WordNet 3.0 as the Debian package ``wordnet-base``
installs it (``apt-get install wordnet-base``: ``/usr/share/wordnet/data.noun``
and ``index.noun``), at build time only.

Which words: the nouns for people (lexicographer file ``noun.person``) under
the synsets WordNet's editors filed for people disliked or despised
(``ROOTS``: "unpleasant person", "simpleton", "weakling", "coward",
"villain", "vulgarian", and everything below them: "windbag", "yokel",
"nincompoop", "rotter", "blowhard"...), less the branches that describe what
someone does rather than scorn them (``DESCRIPTIVE``: critics, cynics,
authoritarians, opportunists, oppressors...) and a few words that are
ordinary descriptions or said fondly (``NOT_CONTEMPT``: "complainer",
"prude", "you little rascal", "a big softie"...). A word
counts only if its most frequent noun sense (WordNet lists senses by
frequency) is one of those: "worm" and "rat" are animals first, "hack" a
writer first, so they do not come in. ``person_only`` marks the words whose
every noun sense is a person ("windbag", not "pig"): those name whoever they
are said of, wherever they stand. Identity slurs are not taken from here:
WordNet's "ethnic slur" usage domain also files identity words used
respectfully ("Indian", "queer"), and the profanity list already holds the
slurs.

Besides those nouns the artifact holds three more lists, chosen the same way
(by a word's most frequent sense, so "slow" and "dull", first said of speed
and light, stay out):

- ``adjectives``: WordNet's adjectives for a stupid, contemptible or cowardly
  person (``ADJECTIVE_HEADS`` and their "similar to" satellites: "boneheaded",
  "gormless", "witless", "spineless"...), demeaning as what someone *is*;
- ``animals``: animals first (lexicographer file ``noun.animal``) that
  WordNet also files as a person held in contempt ("rat", "worm", "louse",
  "pig"): said of a person they insult ("the mayor is a greasy little rat"),
  less the ones said fondly or in praise (``NOT_CONTEMPT``: "lucky dog",
  "silly goose");
- ``persons``: every word whose most frequent noun sense is a person
  ("vegan", "voter", "yokel"): a plural of one names a group of people, as
  "these bugs" does not.

WordNet 3.0 Copyright 2006 by Princeton University (the WordNet 3.0 licence:
use, copy, modify and distribute with this notice); see the artifact's
``licence`` field.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import click

DEFAULT_WORDNET = Path("/usr/share/wordnet")
ARTIFACT = Path(__file__).resolve().parent / "artifacts" / "wordnet_contempt.json"
PERSON_FILE = 18  # lexicographer file noun.person
ANIMAL_FILE = 5  # lexicographer file noun.animal
# Adjective synsets (with their satellites) for what someone is held in contempt for:
# stupid, contemptible, cowardly, and the synsets of "mindless" and "idiotic" people.
ADJECTIVE_HEADS = ("stupid", "contemptible", "cowardly", "idiotic", "moronic", "brainless")
ROOTS = ("unpleasant_person", "simpleton", "weakling", "coward", "villain", "vulgarian")
# Branches under the roots whose people are described by a trait or a deed, not scorned:
# "a critic", "a cynic", "a disciplinarian", "an opportunist", "a persecutor".
DESCRIPTIVE = (
    "authoritarian",
    "critic",
    "cynic",
    "detractor",
    "opportunist",
    "oppressor",
    "selfish_person",
    "social_climber",
    "upstart",
    "misanthrope",
    "hustler",
    "parvenu",
)
NOT_CONTEMPT = frozenset(
    """hesitater hesitator waverer vacillator trembler changeling subnormal junior stupid
    lame goth spook bore complainer prude anathema tike alienator pawer snorter roaster
    whipper switcher fiend square pharisee moralist puritan litterer litterbug
    platitudinarian nouveau-riche arriviste villainess villain coward joker operator
    rascal softie softy goof goofball boob booby hotdog klutz
    dog hound goose turkey crab insect chicken yellow anserine jerky weak insane abject
    lumpen""".split()
)
LICENCE = (
    "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. Permission to "
    "use, copy, modify and distribute this software and database and its documentation for "
    "any purpose and without fee or royalty is hereby granted, provided that this copyright "
    "notice appears on all copies. THIS SOFTWARE AND DATABASE IS PROVIDED 'AS IS' AND "
    "PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED."
)
_WORD = re.compile(r"^[a-z]+$")


def read_senses(index: Path) -> dict[str, list[str]]:
    """Each lemma of a WordNet index file with its senses' offsets, most frequent first."""
    senses: dict[str, list[str]] = {}
    for line in index.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue  # the licence header
        parts = line.split()
        n_senses, n_pointers = int(parts[2]), int(parts[3])
        senses[parts[0]] = parts[6 + n_pointers : 6 + n_pointers + n_senses]
    return senses


def read_nouns(wordnet: Path) -> tuple[dict[str, dict], dict[str, list[str]]]:
    """Synsets by offset (lexicographer file, lemmas, hypernyms) and each lemma's
    senses, most frequent first."""
    synsets: dict[str, dict] = {}
    for line in (wordnet / "data.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue  # the licence header
        head = line.split(" | ")[0].split()
        count = int(head[3], 16)
        lemmas = [head[4 + 2 * i].lower() for i in range(count)]
        at = 4 + 2 * count
        pointers = [head[at + 1 + 4 * k : at + 5 + 4 * k] for k in range(int(head[at]))]
        synsets[head[0]] = {
            "file": int(head[1]),
            "lemmas": lemmas,
            "hypernyms": [p[1] for p in pointers if p[0] in ("@", "@i") and p[2] == "n"],
        }
    return synsets, read_senses(wordnet / "index.noun")


def _contempt_synsets(synsets: dict[str, dict], senses: dict[str, list[str]]) -> set[str]:
    below: dict[str, list[str]] = defaultdict(list)
    for offset, s in synsets.items():
        for h in s["hypernyms"]:
            below[h].append(offset)

    def person_synsets_of(lemma: str) -> list[str]:
        return [o for o in senses.get(lemma, []) if synsets[o]["file"] == PERSON_FILE]

    def closure(roots: list[str]) -> set[str]:
        seen, stack = set(roots), list(roots)
        while stack:
            for child in below[stack.pop()]:
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    chosen = closure([o for r in ROOTS for o in person_synsets_of(r)])
    return chosen - closure([o for d in DESCRIPTIVE for o in person_synsets_of(d)])


def contempt_nouns(wordnet: Path) -> dict[str, bool]:
    """Each selected word and whether every noun sense of it is a person."""
    synsets, senses = read_nouns(wordnet)
    chosen = _contempt_synsets(synsets, senses)
    words: dict[str, bool] = {}
    for offset in sorted(chosen):
        for lemma in synsets[offset]["lemmas"]:
            own = senses.get(lemma, [])
            if not _WORD.match(lemma) or lemma in NOT_CONTEMPT or not own or own[0] not in chosen:
                continue
            words[lemma] = all(synsets[o]["file"] == PERSON_FILE for o in own)
    return dict(sorted(words.items()))


def read_adjectives(wordnet: Path) -> tuple[dict[str, dict], dict[str, list[str]]]:
    """Adjective synsets by offset (lemmas, "similar to" pointers) and each lemma's senses."""
    synsets: dict[str, dict] = {}
    for line in (wordnet / "data.adj").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        head = line.split(" | ")[0].split()
        count = int(head[3], 16)
        # "(a)", "(p)", "(ip)": where the adjective may stand, not part of the word
        lemmas = [re.sub(r"\(.*\)$", "", head[4 + 2 * i].lower()) for i in range(count)]
        at = 4 + 2 * count
        pointers = [head[at + 1 + 4 * k : at + 5 + 4 * k] for k in range(int(head[at]))]
        synsets[head[0]] = {"lemmas": lemmas, "similar": [p[1] for p in pointers if p[0] == "&"]}
    return synsets, read_senses(wordnet / "index.adj")


def contempt_adjectives(wordnet: Path) -> list[str]:
    """Adjectives whose most frequent sense says someone is stupid, contemptible or a coward."""
    synsets, senses = read_adjectives(wordnet)
    chosen: set[str] = set()
    for head in ADJECTIVE_HEADS:
        first = senses.get(head, [])[:1]
        for offset in first:
            chosen |= {offset, *synsets[offset]["similar"]}
    words = set()
    for offset in chosen:
        for lemma in synsets[offset]["lemmas"]:
            own = senses.get(lemma, [])
            plain = lemma.replace("-", "")
            if own and own[0] in chosen and plain.isalpha() and lemma not in NOT_CONTEMPT:
                words.add(plain)
    return sorted(words)


def animals_and_persons(wordnet: Path) -> tuple[list[str], list[str]]:
    """(animals first, also a person held in contempt; words that are a person first)."""
    synsets, senses = read_nouns(wordnet)
    chosen = _contempt_synsets(synsets, senses)
    animals, persons = [], []
    for lemma, own in senses.items():
        if not own or not _WORD.match(lemma):
            continue
        first = synsets[own[0]]["file"]
        if first == PERSON_FILE:
            persons.append(lemma)
        elif first == ANIMAL_FILE and lemma not in NOT_CONTEMPT and any(o in chosen for o in own):
            animals.append(lemma)
    return sorted(animals), sorted(persons)


@click.command()
@click.option("--wordnet", type=click.Path(path_type=Path), default=DEFAULT_WORDNET)
@click.option("--out", type=click.Path(path_type=Path), default=ARTIFACT)
def main(wordnet: Path, out: Path) -> None:
    """Write the artifact from an installed WordNet 3.0 (Debian: wordnet-base)."""
    words = contempt_nouns(wordnet)
    adjectives = contempt_adjectives(wordnet)
    animals, persons = animals_and_persons(wordnet)
    out.write_text(
        json.dumps(
            {
                "source": "WordNet 3.0 (Debian package wordnet-base), noun.person",
                "roots": list(ROOTS),
                "descriptive_branches_left_out": list(DESCRIPTIVE),
                "licence": LICENCE,
                "nouns": words,
                "adjectives": adjectives,
                "animals": animals,
                "persons": persons,
            },
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )
    click.echo(
        f"wrote {len(words)} nouns ({sum(words.values())} person-only), {len(adjectives)}"
        f" adjectives, {len(animals)} animals and {len(persons)} persons to {out}"
    )


if __name__ == "__main__":
    main()
