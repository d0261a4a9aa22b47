"""Each process imports what it serves with, and no more: memory is per process.

The harness that compares Parley with Isso sums the resident memory of gunicorn's master,
its web processes and the worker (bench/README.md, ``python -m bench.memory``). A library
imported "just in case" costs its megabytes in every one of them, so these tests pin what
stays out: the master serves no request (no Flask, no SQLAlchemy), a web process needs no
learned model (NumPy, scikit-learn, SciPy) nor, until a site uses them, social sign-in,
SSO tokens or sealed secrets (Authlib, JOSE, requests, cryptography's bindings).
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


def test_lazy_commands_list_their_real_help():
    from worker.cli import LAZY_COMMANDS, LazyCommand, cli

    for name, _target, _help in LAZY_COMMANDS:
        lazy = cli.commands[name]
        assert isinstance(lazy, LazyCommand)
        assert lazy.help == lazy.real().help and lazy.real().name == name
