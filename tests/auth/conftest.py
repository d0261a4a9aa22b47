"""Auth tests: apps configured the way an operator does it (``make_app(env)``, see
tests/conftest.py) with the session's OIDC provider as the generic provider; the sign-in helpers
are in tests/support/signin.py."""

from __future__ import annotations

import pytest

from service.runtime import Runtime
from tests.support.signin import oidc_env


@pytest.fixture
def oidc_app(make_app, oidc_provider):
    return make_app(oidc_env(oidc_provider))


@pytest.fixture
def web(oidc_app):
    """The browser on Parley's side: a test client that keeps Parley's session cookie."""
    return oidc_app.test_client()


@pytest.fixture
def rt(oidc_app) -> Runtime:
    # Overrides the root fixture here, so the root ``drain`` works this app's queue.
    return oidc_app.extensions["parley"]
