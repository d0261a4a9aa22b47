"""Each process imports what it serves with, and no more: memory is per process.

The harness that compares Parley with Isso sums the resident memory of gunicorn's master,
its web processes and the worker (bench/README.md, ``python -m bench.memory``). A library
imported "just in case" costs its megabytes in every one of them, so these tests pin what
stays out: the master serves no request (no Flask, no SQLAlchemy), a web process needs no
learned model (NumPy, scikit-learn, SciPy) nor, until a site uses them, social sign-in,
SSO tokens or sealed secrets (Authlib, JOSE, requests, cryptography's bindings), and the
worker and the sweeper serve no HTTP (no Flask, no gunicorn) and render no Markdown.
"""

from __future__ import annotations

from tests.support.processes import modules_imported_by


def _tops(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_gunicorns_master_loads_no_framework():
    modules = modules_imported_by(
        "import gunicorn.util as util\n"
        "import service.gunicorn_conf as conf\n"
        "util.load_class(conf.worker_class)\n"
        "util.load_class(conf.logger_class)\n"
    )
    assert not _tops(modules) & {"flask", "sqlalchemy", "pydantic", "redis", "rq", "numpy"}
    # The multiprocess directory is set up without the client library (~1.5 MB).
    assert "prometheus_client" not in _tops(modules)


def test_a_web_process_loads_no_model_and_no_sign_in_library_it_does_not_use():
    modules = modules_imported_by("import service.wsgi\n")
    assert "service.comments.views" in modules  # the app was built
    unused = {"numpy", "scipy", "sklearn", "joblib", "authlib", "joserfc", "requests", "worker"}
    assert not _tops(modules) & unused
    assert "cryptography.hazmat.bindings._rust" not in modules


def test_the_sweeper_and_parley_run_load_no_check():
    # ``parley sweep`` and ``parley run`` import worker.cli; the checks are ``parley worker``'s.
    modules = modules_imported_by("import worker.cli\n")
    assert not _tops(modules) & {"numpy", "scipy", "sklearn", "joblib", "tldextract"}
    assert not {m for m in modules if m.startswith(("worker.checks", "worker.train"))}


WEB_ONLY = {"flask", "werkzeug", "jinja2", "itsdangerous", "gunicorn", "nh3", "markdown_it"}


def test_the_worker_loads_no_web_framework():
    # ``parley worker`` after its warm-up: every check has run once, every model is loaded.
    modules = modules_imported_by(
        "import worker.cli, worker.loop\nfrom worker.cli import warm_up\nwarm_up()\n"
    )
    assert "worker.checks.learned" in modules and "numpy" in modules  # the checks are there
    assert not _tops(modules) & WEB_ONLY


def test_the_sweeper_loads_no_web_framework():
    modules = modules_imported_by("import worker.cli, worker.sweeper\n")
    assert not _tops(modules) & WEB_ONLY


def test_lazy_commands_list_their_real_help():
    from worker.cli import LAZY_COMMANDS, LazyCommand, cli

    for name, _target, _help in LAZY_COMMANDS:
        lazy = cli.commands[name]
        assert isinstance(lazy, LazyCommand)
        assert lazy.help == lazy.real().help and lazy.real().name == name
