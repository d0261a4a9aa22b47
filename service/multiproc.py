"""prometheus-client's multiprocess mode: where this process's metrics files live.

Apart from ``service.metrics`` so that gunicorn's master (``service.gunicorn_conf``) sets the
directory up without importing Flask, SQLAlchemy or the app: the master forks the web
processes and serves no request, so it stays small.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare_multiprocess(directory: str | Path | None = None, *, wipe: bool = False) -> str:
    """Make this process (and the ones it forks or starts) keep metrics in files.

    Uses ``PROMETHEUS_MULTIPROC_DIR`` when set, else ``directory``, else a new temporary one.
    ``wipe`` empties it first (a fresh start must not add yesterday's counts).
    """
    chosen = os.environ.get(MULTIPROC_ENV) or (
        str(directory) if directory else tempfile.mkdtemp(prefix="parley-metrics-")
    )
    path = Path(chosen)
    path.mkdir(parents=True, exist_ok=True)
    if wipe:
        for old in path.glob("*.db"):
            old.unlink(missing_ok=True)
    os.environ[MULTIPROC_ENV] = str(path)
    values = sys.modules.get("prometheus_client.values")
    if values is not None:
        # prometheus-client picks its value store when imported: pick again now the directory
        # is set. Not imported yet (gunicorn's master): it will read the variable when it is.
        values.ValueClass = values.get_value_class()
    return str(path)


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))
