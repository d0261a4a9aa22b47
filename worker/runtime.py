"""The worker's Runtime (connections), built on first use.

``parley worker`` installs one built from the environment; tests install one
built from their own Settings. It is installed, not forgotten: the caches
``service.caches.forget_all()`` empties hold only what can be rebuilt. A
forked work-horse disposes the inherited connection pool before using it
(SQLAlchemy's guidance for os.fork()).
"""

from __future__ import annotations

from service.runtime import Runtime
from service.settings import Settings

_runtime: Runtime | None = None


def install(runtime: Runtime | None) -> None:
    global _runtime
    _runtime = runtime


def get() -> Runtime:
    global _runtime
    if _runtime is None:
        _runtime = Runtime.build(Settings.from_env())
    _runtime.after_fork()
    return _runtime
