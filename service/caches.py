"""Every per-process cache, declared by name, and the one way to empty them.

A module that keeps something per process (a loaded model, a text's features,
an assembled script) declares it here with ``declare(name, clear)`` next to the
cache itself. ``forget_all()`` empties every declared cache: tests that must
not see another test's state, a long-lived process after ``parley train``.
``forget(group)`` empties the caches of one group (the part of a name before
its first dot), for a benchmark that measures a process that has seen some
things but not others (``bench.pipeline``).

The registry lives in ``service`` because service caches declare themselves
too, and ``service`` never imports ``worker``. Declaring stores a name and a
function, nothing else: it opens nothing and a cache starts empty, so a module
that was never imported has nothing to forget.
"""

from __future__ import annotations

from collections.abc import Callable

_CLEARS: dict[str, Callable[[], None]] = {}


def declare(name: str, clear: Callable[[], None]) -> None:
    """Declare the cache ``name`` ("group.what"), emptied by calling ``clear``."""
    if "." not in name:
        raise ValueError(f"cache name {name!r} needs a group: 'group.what'")
    # Declared again under the same name (a module re-imported): the new one counts.
    _CLEARS[name] = clear


def declared() -> tuple[str, ...]:
    return tuple(_CLEARS)


def forget(*groups: str) -> None:
    """Empty every cache of the named groups ("texts", "vocabulary", ...)."""
    unknown = set(groups) - {name.split(".", 1)[0] for name in _CLEARS}
    if unknown:
        raise KeyError(f"no cache declared in group(s) {sorted(unknown)}")
    for name, clear in list(_CLEARS.items()):
        if name.split(".", 1)[0] in groups:
            clear()


def forget_all() -> None:
    """Empty every per-process cache; the next use rebuilds what it needs."""
    for clear in list(_CLEARS.values()):
        clear()
