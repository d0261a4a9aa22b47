"""Side effects of a transaction, run once it has committed.

The rule, everywhere (web requests, worker jobs, the CLI):

    Use cases flush; whoever opened the transaction commits; effects the use
    case registered with the session (``after_commit``) run after that commit,
    and are dropped if it rolls back.

An effect is anything the outside world may see: a job on the queue, a Redis
announcement. Running it only after the commit keeps the promise that a
worker never sees a job for a row that is not there yet; dropping it on
rollback keeps a refused action from announcing anything. An effect that
fails (Redis down) is logged, never raised: the row is committed by then, and
the sweeper and the readers' database poll catch up without it.

Effects belong to the outermost transaction: releasing a savepoint
(``begin_nested``) runs nothing, and an effect registered inside a savepoint
that rolls back still runs when the outer transaction commits (register after
the savepoint). The one listener is installed on the runtime's sessionmaker by
``install``; registering with a session from anywhere else is a bug, and says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from service.errors import where_raised

log = logging.getLogger(__name__)

Effect = Callable[[], None]

# Keys in Session.info; the sessionmaker copies _INSTALLED into every session it makes.
_INSTALLED = "parley_effects_installed"
_PENDING = "parley_effects"
_BATCHES = "parley_effect_batches"


def install(sessions: sessionmaker[Session]) -> None:
    """Make every session from ``sessions`` run its effects after commit."""
    sessions.configure(info={**sessions.kw.get("info", {}), _INSTALLED: True})
    sa.event.listen(sessions, "after_commit", _run)
    sa.event.listen(sessions, "after_transaction_end", _drop)


def after_commit(session: Session, effect: Effect) -> None:
    """Run ``effect`` once the session's current transaction commits."""
    if not session.info.get(_INSTALLED):
        raise RuntimeError("this session runs no effects: open it with Runtime.session()")
    session.info.setdefault(_PENDING, []).append(effect)


def after_commit_batch(
    session: Session, key: Hashable, effect: Callable[[list[Any]], None], item: Any
) -> None:
    """Collect ``item``; after commit, call ``effect`` once with every item under ``key``.

    For effects that are cheaper together (one query for a bulk action's
    hundred comments rather than a hundred queries).
    """
    batches = session.info.setdefault(_BATCHES, {})
    if key not in batches:
        items: list[Any] = []
        batches[key] = items
        after_commit(session, lambda: effect(items))
    batches[key].append(item)


def _run(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released; the outer transaction may still roll back
    effects = session.info.pop(_PENDING, [])
    session.info.pop(_BATCHES, None)
    for effect in effects:
        try:
            effect()
        except Exception as error:
            # The commit stands; the sweeper and the readers' poll cover the rest.
            # One line, no values: an exception's text can carry a reader's data.
            log.warning(
                "an after-commit effect failed: %s at %s", type(error).__name__, where_raised(error)
            )


def _drop(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        # The outermost transaction ended without running them: it rolled back.
        session.info.pop(_PENDING, None)
        session.info.pop(_BATCHES, None)
