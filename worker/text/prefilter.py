"""A regex's needles: literal strings at least one of which every match contains.

Most rule patterns cannot match most comments, yet a search still walks the
whole text (a pattern that starts with ``\\b``, a lookbehind or a long
alternation is tried at every position). ``may_match(pattern, text)`` first asks
whether ``text`` holds one of the pattern's needles (``str.__contains__``, a
fast C scan), and only then runs the pattern. The needles are read once per
pattern from its parse tree (``re._parser``, the parser ``re.compile`` itself
uses), so they cannot drift from the pattern: a rule added or changed the
ordinary way gets its prefilter with it.

Sound by construction: a needle is only taken from a part every match must
pass through (a run of literals, a group, a repeat of at least one, every
branch of an alternation), and when the analysis cannot prove a needle (a
character class, a back-reference, case-insensitive matching, a part that may
match nothing) the pattern simply always runs.
"""

from __future__ import annotations

import re
from itertools import product

from service import caches

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - older Pythons name them sre_*
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

# Beyond these, a set of exact strings is too big to carry along.
_MAX_EXACT = 64
_MAX_NEEDLES = 1000
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)


def needles(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literal strings one of which is in every text ``pattern`` matches somewhere,
    or None when that cannot be shown (the pattern must always run)."""
    if not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    try:
        tree = _p.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
    except Exception:  # an internal API: if it changes, lose the prefilter, not the rule
        return None
    found = _analyse(list(tree))[1]
    if not found:
        return None
    # A needle that holds another is found whenever that one is: one scan does for both.
    kept: list[str] = []
    for needle in sorted(found, key=len):
        if not any(k in needle for k in kept):
            kept.append(needle)
    return tuple(kept)


def _analyse(items: list) -> tuple[set[str] | None, set[str] | None]:
    """(exact, needles) of a sequence of parse items: ``exact`` every string the
    sequence can match (when few and known), ``needles`` as ``needles`` above."""
    candidates: list[set[str]] = []
    run: set[str] | None = {""}  # exact strings of the current run of exact items
    whole: set[str] | None = {""}  # exact strings of the whole sequence so far

    def close_run() -> None:
        if run and "" not in run:
            candidates.append(run)

    for op, av in items:
        exact, inner = _item(op, av)
        if exact is not None and run is not None and len(run) * len(exact) <= _MAX_EXACT:
            run = {a + b for a, b in product(run, exact)}
        else:
            close_run()
            run = set(exact) if exact is not None else {""}
        if whole is not None:
            whole = (
                {a + b for a, b in product(whole, exact)}
                if exact is not None and len(whole) * len(exact) <= _MAX_EXACT
                else None
            )
        if inner:
            candidates.append(inner)
    close_run()
    return whole, _best(candidates)


def _best(candidates: list[set[str]]) -> set[str] | None:
    usable = [c for c in candidates if c and "" not in c and len(c) <= _MAX_NEEDLES]
    if not usable:
        return None
    # Longer needles reject more texts; fewer of them cost fewer scans.
    return max(usable, key=lambda c: (min(6, min(map(len, c))), -len(c)))


def _item(op, av) -> tuple[set[str] | None, set[str] | None]:
    """(exact, needles) of one parse item."""
    if op is _c.LITERAL:
        return {chr(av)}, None
    if op in _ZERO_WIDTH:
        return {""}, None
    if op is _c.IN:
        chars = {chr(v) for o, v in av if o is _c.LITERAL}
        if len(chars) == len(av) and chars and len(chars) <= 8:
            return chars, None
        return None, None
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            return None, None
        return _analyse(list(sub))
    if op is _c.ATOMIC_GROUP:
        return _analyse(list(av))
    if op is _c.BRANCH:
        results = [_analyse(list(alt)) for alt in av[1]]
        exacts = [e for e, _ in results]
        exact: set[str] | None = None
        if all(e is not None for e in exacts):
            exact = set().union(*exacts)  # type: ignore[arg-type]
            if len(exact) > _MAX_EXACT:
                exact = None
        # Every alternative must bring needles (or be exact and non-empty).
        each = [n if n is not None else (e if e and "" not in e else None) for e, n in results]
        found = set().union(*each) if all(each) else None  # type: ignore[arg-type]
        return exact, found
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, high, sub = av
        exact, found = _analyse(list(sub))
        if exact is not None and high is not _c.MAXREPEAT and high <= 3:
            strings, options = {""}, set()
            for count in range(high + 1):
                if count >= low:
                    options |= strings
                strings = {a + b for a, b in product(strings, exact)}
                if len(strings) > _MAX_EXACT:
                    break
            else:
                return options, None
        if low < 1:
            return None, None
        if found is None and exact is not None and "" not in exact:
            found = exact
        return None, found
    return None, None


# Patterns' needles, read once per process, by the pattern's id (hashing a pattern hashes
# its whole source): the entry holds the pattern too, which keeps its id from being reused.
_NEEDLES: dict[int, tuple[re.Pattern[str], tuple[str, ...] | None]] = {}
caches.declare("patterns.needles", _NEEDLES.clear)


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only if ``pattern`` cannot match anywhere in ``text``: its search can be skipped."""
    entry = _NEEDLES.get(id(pattern))
    if entry is None or entry[0] is not pattern:
        entry = _NEEDLES[id(pattern)] = (pattern, needles(pattern))
    found = entry[1]
    return found is None or any(map(text.__contains__, found))


def warm(*patterns: re.Pattern[str]) -> None:
    """Read the needles of ``patterns`` now (a worker's warm-up), not at their first comment."""
    for pattern in patterns:
        may_match(pattern, "")
