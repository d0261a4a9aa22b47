"""Google and Microsoft, the built-in OpenID providers, against the real provider on 127.0.0.1.

Only their discovery document URL is pointed elsewhere (PARLEY_GOOGLE_METADATA_URL,
PARLEY_MICROSOFT_METADATA_URL); everything else is what production runs: their scopes, their
authorization parameters, PKCE, nonce, and their own profile normalizers.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from service.models import Identity
from tests.support.signin import OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, SITE_ORIGIN, sign_in


@pytest.fixture(params=["google", "microsoft"])
def provider(request):
    return request.param


@pytest.fixture
def web(make_app, oidc_provider, provider):
    prefix = f"PARLEY_{provider.upper()}"
    env = {
        f"{prefix}_CLIENT_ID": OIDC_CLIENT_ID,
        f"{prefix}_CLIENT_SECRET": OIDC_CLIENT_SECRET,
        f"{prefix}_METADATA_URL": oidc_provider.metadata_url,
    }
    if provider == "microsoft":
        # One tenant: its issuer is a plain URL, as the test provider's is.
        env["PARLEY_MICROSOFT_TENANT"] = "contoso.example"
    return make_app(env).test_client()


def test_builtin_provider_signs_a_reader_in_with_its_own_normalizer(web, provider):
    start = web.get(f"/auth/{provider}/login?site=demo")
    params = parse_qs(urlsplit(start.headers["Location"]).query)
    assert params["prompt"] == ["select_account"]  # choose an account, as the widget's "Change"
    assert params["code_challenge_method"] == ["S256"] and params["nonce"]

    result = sign_in(web, "alice", provider=provider)

    assert result.status == 200, result.message
    assert result.targets == [SITE_ORIGIN]
    identity = result.message["identity"]
    assert identity["provider"] == provider
    assert identity["name"] == "Alice Liddell"
    with web.application.extensions["parley"].session() as session:
        row = session.scalar(sa.select(Identity))
        assert (row.provider, row.subject) == (provider, "alice")
        # Google's email_verified is believed; Microsoft's only with xms_edov, absent here.
        assert row.email == "alice@example.test"
        assert row.email_verified is (provider == "google")


class _Metadata:
    """Stands in for the Authlib client: only Microsoft's multi-tenant discovery document."""

    def load_server_metadata(self):
        return {"issuer": "https://login.microsoftonline.com/{tenantid}/v2.0"}


def test_microsoft_common_checks_the_issuer_against_the_tenant_it_names():
    from service.auth.providers import Provider
    from service.envvars import EnvReader
    from service.settings.auth import parse_auth

    settings = parse_auth(
        EnvReader({"PARLEY_MICROSOFT_CLIENT_ID": "id", "PARLEY_MICROSOFT_CLIENT_SECRET": "secret"}),
        production=False,
    )
    provider = Provider(config=settings.get("microsoft"), client=_Metadata())
    validate = provider.claims_options()["iss"]["validate"]
    tenant = "9188040d-6c67-4c5b-b112-36a304b66dad"

    assert validate({"tid": tenant}, f"https://login.microsoftonline.com/{tenant}/v2.0")
    assert not validate({"tid": tenant}, "https://login.microsoftonline.com/other/v2.0")
    assert not validate({}, "https://login.microsoftonline.com/{tenantid}/v2.0")
    # The callback's RFC 9207 "iss" cannot be checked against a template; the id_token's is.
    assert provider.check_response_issuer("https://anything.example") is True
