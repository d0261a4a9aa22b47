"""The Parley the single-server benchmarks measure: an embedded Redis, a migrated SQLite file,
an in-process app (for seeding and a burst worker) and the environment a gunicorn started
beside it needs to serve the same data on a free loopback port."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from service import create_app
from service.cli import upgrade_database
from service.embedded import free_port, start_redis
from service.settings import Settings
from worker import runtime as worker_runtime


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
