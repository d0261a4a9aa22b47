"""``parley run``: the whole stack in the foreground, for ``make run``.

Starts an embedded Redis (unless PARLEY_REDIS_URL is set), migrates the
database (SQLite under ./instance unless PARLEY_DATABASE_URL is set), makes
sure the ``demo`` site exists, prints a moderator token (the same one at every
start while it still works: it is kept in the data folder), then runs the web
server, a worker and the sweeper as child processes with the same
environment. A child that exits is restarted (and ``parley run`` says so);
Ctrl-C stops every process it started, and if ``parley run`` itself is
killed its children get SIGTERM (Linux), so none is left holding a port.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from service.embedded import die_with_parent
from service.settings import Settings, data_dir_of


def _secret_key(data_dir: Path) -> str:
    # Persisted so that reader sign-ins survive a restart of the dev stack.
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


DEMO_TOKEN_FILE = "demo_token"
DEMO_TOKEN_LABEL = "make run"


def demo_token(settings: Settings, data_dir: Path) -> tuple[str, bool]:
    """The demo site's moderator token and whether it was reused.

    Kept in the data folder (mode 0600) and reused while it still verifies, so that restarting
    the stack does not mint a token at every start and leave the old ones working; an expired or
    revoked one, or one from another database, is replaced.
    """
    from service.access import DEFAULT_TOKEN_LIFETIME as DEMO_TOKEN_LIFETIME
    from service.access import create_token, find_live_token
    from service.models import Site
    from service.runtime import Runtime

    path = data_dir / DEMO_TOKEN_FILE
    saved = path.read_text().strip() if path.exists() else ""
    rt = Runtime.build(settings)
    try:
        with rt.session() as session:
            site = session.query(Site).filter_by(slug="demo").one()
            if saved:
                row = find_live_token(session, saved)
                if row is not None and row.site_id == site.id and row.role == "moderator":
                    return saved, True
            token = create_token(
                session, site, "moderator", DEMO_TOKEN_LABEL, created_by=DEMO_TOKEN_LABEL,
                expires_in=DEMO_TOKEN_LIFETIME,
            )  # fmt: skip
            session.commit()
    finally:
        rt.close()
    data_dir.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(token)
    path.chmod(0o600)
    return token, False


def _child(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    # Own process group, so Ctrl-C reaches children only through us, in order.
    return subprocess.Popen(args, env=env, start_new_session=True, preexec_fn=die_with_parent)


@dataclass
class Supervised:
    """A child ``parley run`` keeps running: restarted when it exits, with a growing pause."""

    name: str
    args: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    pause: float = 0.0

    def start(self) -> None:
        self.process = _child(self.args, self.env)
        self.started = time.monotonic()

    def restart_if_exited(self) -> None:
        code = self.process.poll() if self.process else None
        if code is None:
            return
        # One that ran a while crashed once; one that keeps crashing at start waits longer.
        ran = time.monotonic() - self.started
        self.pause = 1.0 if ran > 30 else min(30.0, max(1.0, self.pause * 2))
        click.echo(
            f"parley run: {self.name} exited with {code}; restarting in {self.pause:.0f} s",
            err=True,
        )
        time.sleep(self.pause)
        self.start()
        click.echo(f"parley run: {self.name} restarted (pid {self.process.pid})", err=True)


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

    children: list[Supervised] = []

    def stop_all(*_args) -> None:
        running = [c.process for c in reversed(children) if c.process is not None]
        for process in running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in running:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if redis_server is not None:
            redis_server.stop()

    metrics_dir = data_dir / "metrics"
    emptied: set[str] = set()

    def supervise(name: str, args: list[str], metrics: str | None = None, port: int = 0) -> None:
        """``metrics``: the child's PROMETHEUS_MULTIPROC_DIR (emptied now); ``port``: its
        PARLEY_METRICS_PORT (worker and sweeper; 0: none)."""
        extra = {}
        if metrics:
            if metrics not in emptied:  # workers share theirs; the first serves it
                shutil.rmtree(metrics_dir / metrics, ignore_errors=True)
                (metrics_dir / metrics).mkdir(parents=True)
                emptied.add(metrics)
            extra = {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir / metrics)}
        extra["PARLEY_METRICS_PORT"] = str(port)
        child = Supervised(name, args, {**env, **extra})
        child.start()
        children.append(child)

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
        token, reused = demo_token(settings, data_dir)
        kept = f"kept in {data_dir / DEMO_TOKEN_FILE}" + (", reused" if reused else ", new")
        click.echo(f"moderator token for demo ({kept}): {token}")

        host, port = "127.0.0.1", settings.web.port
        supervise(
            "web",
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
            metrics="web",
        )
        # With PARLEY_METRICS_PORT, the first worker serves the workers' metrics there and the
        # sweeper on the next port.
        port_of = settings.operations.metrics_port
        for n in range(workers):
            supervise(
                f"worker {n + 1}", [*parley, "worker"], "worker",
                port_of if port_of and n == 0 else 0,
            )  # fmt: skip
        supervise(
            "sweeper",
            [*parley, "sweep", "--every", str(settings.jobs.sweep_interval_seconds)],
            port=port_of + 1 if port_of else 0,
        )
        # The demo's second article, on another origin, shows cross-origin embedding.
        supervise(
            "demo",
            [
                sys.executable,
                "-m",
                "service.widget.demo_server",
                "--port",
                str(demo.demo_port),
                "--parley",
                settings.web.base_url,
                *(["--captcha", settings.captcha.provider] if settings.captcha else []),
            ],
        )
        pids = ", ".join(
            [f"{c.name} {c.process.pid}" for c in children if c.process]
            + ([f"redis {redis_server.process.pid}"] if redis_server else [])
        )
        click.echo(f"processes: {pids}")
        base_url = settings.web.base_url
        click.echo(f"\nParley is running at {base_url}  (demo page: {base_url}/demo)")
        click.echo(f"The same widget on another origin: {demo.demo_origin}/the-quiet-garden")
        click.echo("Press Ctrl-C to stop.\n")

        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        while True:
            # A crashed child is restarted, not a reason to stop the whole stack.
            for child in children:
                child.restart_if_exited()
            time.sleep(0.5)
    except KeyboardInterrupt:
        click.echo("\nstopping...")
    finally:
        stop_all()
