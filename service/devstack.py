"""``parley run``: the whole stack in the foreground, for ``make run``.

Starts an embedded Redis (unless PARLEY_REDIS_URL is set), migrates the
database (SQLite under ./instance unless PARLEY_DATABASE_URL is set), makes
sure the ``demo`` site exists, prints a moderator token, then runs the web
server, a worker and the sweeper as child processes with the same
environment. Ctrl-C stops every process it started.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

from service.settings import Settings, data_dir_of


def _secret_key(data_dir: Path) -> str:
    # Persisted so that reader sign-ins survive a restart of the dev stack.
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _child(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    # Own process group, so Ctrl-C reaches children only through us, in order.
    return subprocess.Popen(args, env=env, start_new_session=True)


@click.command("run", help="Run web, worker, sweeper, Redis and the database (development).")
@click.option("--workers", default=1, show_default=True, help="Worker processes.")
def run_command(workers: int) -> None:
    env = dict(os.environ)
    data_dir = data_dir_of(env).resolve()
    env["PARLEY_DATA_DIR"] = str(data_dir)
    # Settings are read after the key and the embedded Redis are in place, so that the
    # children, which read the same environment, see the same values.
    env.setdefault("PARLEY_SECRET_KEY", _secret_key(data_dir))
    redis_server = None
    if not env.get("PARLEY_REDIS_URL"):
        from service.embedded import start_redis

        redis_server = start_redis(data_dir / "redis")
        env["PARLEY_REDIS_URL"] = redis_server.url
        click.echo(f"redis: embedded at {redis_server.url}")
    settings = Settings.from_env(env)
    env["PARLEY_BASE_URL"] = settings.web.base_url
    demo = settings.widget

    children: list[subprocess.Popen] = []

    def stop_all(*_args) -> None:
        for child in reversed(children):
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        if redis_server is not None:
            redis_server.stop()

    try:
        parley = [sys.executable, "-m", "worker.cli_entry"]
        subprocess.run([*parley, "db", "upgrade"], env=env, check=True)
        subprocess.run(
            [
                *parley,
                "sites",
                "create",
                "demo",
                "--name",
                "Parley demo",
                "--origin",
                settings.web.base_url,
                "--origin",
                demo.demo_origin,
            ],
            env=env,
            check=True,
        )
        subprocess.run(
            [*parley, "tokens", "create", "--site", "demo", "--label", "make run"],
            env=env,
            check=True,
        )

        host, port = "127.0.0.1", settings.web.port
        children.append(
            _child(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--bind",
                    f"{host}:{port}",
                    "-c",
                    "python:service.gunicorn_conf",
                    "service.wsgi:app",
                ],
                env,
            )
        )
        for _ in range(workers):
            children.append(_child([*parley, "worker"], env))
        children.append(
            _child([*parley, "sweep", "--every", str(settings.jobs.sweep_interval_seconds)], env)
        )
        # The demo's second article, on another origin, shows cross-origin embedding.
        children.append(
            _child(
                [
                    sys.executable,
                    "-m",
                    "service.widget.demo_server",
                    "--port",
                    str(demo.demo_port),
                    "--parley",
                    settings.web.base_url,
                ],
                env,
            )
        )
        base_url = settings.web.base_url
        click.echo(f"\nParley is running at {base_url}  (demo page: {base_url}/demo)")
        click.echo(f"The same widget on another origin: {demo.demo_origin}/the-quiet-garden")
        click.echo("Press Ctrl-C to stop.\n")

        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        failed = [c.args[2:4] for c in children if c.poll() is not None]
        click.echo(f"a process stopped ({failed}); stopping the rest", err=True)
        raise SystemExit(1)
    except KeyboardInterrupt:
        click.echo("\nstopping...")
    finally:
        stop_all()
