"""The Parley the single-server benchmarks measure: an embedded Redis, a migrated SQLite file,
an in-process app (for seeding and a burst worker) and the environment a gunicorn started
beside it needs to serve the same data on a free loopback port; or, for the end-to-end
benches, the whole ``parley run`` stack started as an operator starts it (``parley_run``)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.processes import stop_group, wait_ready
from service import create_app
from service.cli import upgrade_database
from service.embedded import free_port, start_redis
from service.settings import Settings
from worker import runtime as worker_runtime

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class LocalStack:
    app: object
    rt: object
    redis_server: object
    port: int
    env: dict[str, str]

    def close(self) -> None:
        worker_runtime.install(None)
        self.rt.close()
        self.redis_server.stop()


def local_stack(directory: Path, secret: str, **extra_env: str) -> LocalStack:
    redis_server = start_redis(directory / "redis", persist=False)
    database_url = f"sqlite:///{directory / 'bench.db'}"
    upgrade_database(database_url)
    settings = Settings.for_tests(
        database_url=database_url,
        redis_url=redis_server.url,
        secret_key=secret,
        web={"submit_rate_per_minute": 0},
    )
    app = create_app(settings)
    rt = app.extensions["parley"]
    worker_runtime.install(rt)
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")},
        "PARLEY_ENV": "test",
        "PARLEY_SECRET_KEY": secret,
        "PARLEY_DATABASE_URL": database_url,
        "PARLEY_REDIS_URL": redis_server.url,
        "PARLEY_BASE_URL": f"http://127.0.0.1:{port}",
        **extra_env,
    }
    return LocalStack(app, rt, redis_server, port, env)


# The site the end-to-end benches post to: flood control off, since one bench client posts
# far faster than any reader (the other checks all stay on).
BENCH_ORIGIN = "http://127.0.0.1:8080"
FLOOD_OFF = json.dumps({"checks": {"flood": {"enabled": False}}})


@dataclass
class RunningParley:
    process: subprocess.Popen
    port: int
    database_url: str


@contextlib.contextmanager
def parley_run(
    directory: Path,
    secret: str,
    *,
    web_workers: int,
    workers: int,
    database_url: str | None = None,
    overrides: list[str] = (),
    **fixed: str,
) -> Iterator[RunningParley]:
    """``parley run`` (gunicorn, workers, an embedded Redis) as an operator starts it, on a free
    loopback port, with a migrated database and a site "bench"; stopped on leaving.

    ``fixed`` are settings the bench needs; ``overrides``, the caller's ``NAME=VALUE``, come last.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env.update(
        PARLEY_PORT=str(port),
        PARLEY_DATA_DIR=str(directory / "data"),
        PARLEY_SUBMIT_RATE="0",
        PARLEY_DEMO_PORT=str(free_port()),
        PARLEY_SECRET_KEY=secret,
        PARLEY_WEB_WORKERS=str(web_workers),
        PARLEY_WEB_THREADS="64",
        **fixed,
        **dict(kv.split("=", 1) for kv in overrides),
    )
    if database_url:
        env["PARLEY_DATABASE_URL"] = database_url
    else:
        database_url = f"sqlite:///{directory / 'data' / 'parley.db'}"
    parley = [sys.executable, "-m", "worker.cli_entry"]
    cli = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([*parley, "db", "upgrade"], **cli)
    subprocess.run(
        [*parley, "sites", "create", "bench", "--origin", BENCH_ORIGIN, "--policy", FLOOD_OFF],
        **cli,
    )
    with open(directory / "parley.log", "wb") as log:
        process = subprocess.Popen(
            [*parley, "run", "--workers", str(workers)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_ready(f"http://127.0.0.1:{port}/readyz", process)
        yield RunningParley(process, port, database_url)
    finally:
        stop_group(process, wait=60)


@contextlib.contextmanager
def bench_postgres() -> Iterator[str]:
    """A database "parley_bench" on the tests' own PostgreSQL server, for as long as it is used."""
    import sqlalchemy as sa

    from tests.support.servers import postgres_server

    with postgres_server() as maintenance:
        maintenance = maintenance.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = sa.create_engine(maintenance, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("CREATE DATABASE parley_bench"))
        engine.dispose()
        url = sa.engine.make_url(maintenance).set(database="parley_bench")
        yield url.render_as_string(hide_password=False)
