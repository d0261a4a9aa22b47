"""Which providers the environment enables, and every mistake in it reported at once."""

from __future__ import annotations

import pytest

from service.envvars import EnvReader
from service.settings import Settings, SettingsError
from service.settings.auth import AuthSettings, parse_auth


def read_auth(environ: dict[str, str]) -> tuple[AuthSettings, list[str]]:
    """The auth section alone and its problems, as ``Settings.from_env`` would read them."""
    reader = EnvReader(environ)
    production = reader.text("PARLEY_ENV") == "production"
    return parse_auth(reader, production), reader.problems


def test_nothing_set_enables_nothing():
    settings, problems = read_auth({})

    assert settings.providers == () and problems == []
    assert settings.reader_token_ttl == 86400


def test_builtins_need_both_halves_and_keep_their_real_endpoints():
    settings, problems = read_auth(
        {
            "PARLEY_GITHUB_CLIENT_ID": "id",
            "PARLEY_GITHUB_CLIENT_SECRET": "secret",
            "PARLEY_GOOGLE_CLIENT_ID": "id",
        }
    )

    assert [p.name for p in settings.providers] == ["github"]
    github = settings.get("github")
    assert github.token_url == "https://github.com/login/oauth/access_token"
    assert github.icon == "github" and github.label == "GitHub"
    assert problems == ["PARLEY_GOOGLE_CLIENT_SECRET is required when the other half is set"]


def test_microsoft_tenant_decides_the_metadata_and_the_issuer_check():
    base = {"PARLEY_MICROSOFT_CLIENT_ID": "id", "PARLEY_MICROSOFT_CLIENT_SECRET": "s"}

    common = read_auth(base)[0].get("microsoft")
    tenant = read_auth({**base, "PARLEY_MICROSOFT_TENANT": "contoso.example"})[0].get("microsoft")

    assert common.metadata_url == (
        "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
    )
    assert common.issuer_template is True
    assert "/contoso.example/" in tenant.metadata_url and tenant.issuer_template is False
    assert read_auth({**base, "PARLEY_MICROSOFT_TENANT": "a/b"})[1]


def test_generic_oidc_providers_come_from_their_variables():
    settings, problems = read_auth(
        {
            "PARLEY_OIDC_PROVIDERS": "keycloak, my-idp",
            "PARLEY_OIDC_KEYCLOAK_METADATA_URL": "https://id.example/.well-known/openid-configuration",
            "PARLEY_OIDC_KEYCLOAK_CLIENT_ID": "parley",
            "PARLEY_OIDC_KEYCLOAK_CLIENT_SECRET": "s",
            "PARLEY_OIDC_KEYCLOAK_LABEL": "Example staff",
            "PARLEY_OIDC_MY_IDP_METADATA_URL": "https://idp.example/.well-known/openid-configuration",
            "PARLEY_OIDC_MY_IDP_CLIENT_ID": "parley",
            "PARLEY_OIDC_MY_IDP_CLIENT_SECRET": "s",
        }
    )

    assert problems == []
    assert [(p.name, p.label, p.kind, p.icon) for p in settings.providers] == [
        ("keycloak", "Example staff", "oidc", "key"),
        ("my-idp", "My Idp", "oidc", "key"),
    ]
    assert settings.get("keycloak").scope == "openid email profile"


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({"PARLEY_OIDC_PROVIDERS": "Bad_Name"}, "is not a valid name"),
        ({"PARLEY_OIDC_PROVIDERS": "github"}, "is a built-in or reserved name"),
        ({"PARLEY_OIDC_PROVIDERS": "static"}, "is a built-in or reserved name"),
        ({"PARLEY_OIDC_PROVIDERS": "corp"}, "PARLEY_OIDC_CORP_METADATA_URL is required"),
        (
            {"PARLEY_OIDC_PROVIDERS": "corp", "PARLEY_OIDC_CORP_METADATA_URL": "ftp://x"},
            "PARLEY_OIDC_CORP_CLIENT_ID and _CLIENT_SECRET are required",
        ),
        (
            {
                "PARLEY_OIDC_PROVIDERS": "corp",
                "PARLEY_OIDC_CORP_METADATA_URL": "ftp://x",
                "PARLEY_OIDC_CORP_CLIENT_ID": "i",
                "PARLEY_OIDC_CORP_CLIENT_SECRET": "s",
            },
            "PARLEY_OIDC_CORP_METADATA_URL must be an http(s) URL",
        ),
        (
            {
                "PARLEY_OIDC_PROVIDERS": "corp",
                "PARLEY_OIDC_CORP_METADATA_URL": "https://x.example/m",
                "PARLEY_OIDC_CORP_CLIENT_ID": "i",
                "PARLEY_OIDC_CORP_CLIENT_SECRET": "s",
                "PARLEY_OIDC_CORP_SCOPE": "email",
            },
            "PARLEY_OIDC_CORP_SCOPE must include openid",
        ),
        ({"PARLEY_OIDC_PROVIDERS": "a,a"}, "lists 'a' twice"),
        (
            {
                "PARLEY_ENV": "production",
                "PARLEY_GITHUB_CLIENT_ID": "i",
                "PARLEY_GITHUB_CLIENT_SECRET": "s",
                "PARLEY_GITHUB_TOKEN_URL": "http://t.example/",
            },
            "PARLEY_GITHUB_TOKEN_URL must be an https URL in production",
        ),
        ({"PARLEY_READER_TOKEN_TTL": "60"}, "PARLEY_READER_TOKEN_TTL must be 300 to 2592000"),
        ({"PARLEY_READER_TOKEN_TTL": "1d"}, "PARLEY_READER_TOKEN_TTL must be 300 to 2592000"),
    ],
)
def test_each_mistake_is_named(environ, problem):
    problems = read_auth(environ)[1]

    assert any(problem in p for p in problems), problems


def test_settings_refuse_to_start_with_a_half_configured_provider():
    with pytest.raises(SettingsError, match="PARLEY_X_CLIENT_ID is required"):
        Settings.from_env({"PARLEY_ENV": "test", "PARLEY_X_CLIENT_SECRET": "s"})
