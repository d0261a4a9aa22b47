"""Provider payloads (shapes from each provider's documentation) normalised into one Profile."""

import pytest

from service.auth.profiles import (
    SINGLE_PAYLOAD_NORMALIZERS,
    Profile,
    facebook_profile,
    github_profile,
    google_profile,
    microsoft_profile,
    oidc_profile,
    wordpress_profile,
    x_profile,
)

# Google: ID token payload (developers.google.com/identity/openid-connect/openid-connect).
GOOGLE_CLAIMS = {
    "iss": "https://accounts.google.com",
    "azp": "1234987819200.apps.googleusercontent.com",
    "aud": "1234987819200.apps.googleusercontent.com",
    "sub": "10769150350006150715113082367",
    "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q",
    "hd": "example.com",
    "email": "jsmith@example.com",
    "email_verified": True,
    "iat": 1353601026,
    "exp": 1353604926,
    "nonce": "0394852-3190485-2490358",
    "name": "John Smith",
    "given_name": "John",
    "family_name": "Smith",
    "picture": "https://lh3.googleusercontent.com/a/ACg8ocJ2kZ9n=s96-c",
    "locale": "en",
}

# Microsoft identity platform: v2.0 ID token (learn.microsoft.com, "ID token claims reference").
MICROSOFT_CLAIMS = {
    "aud": "6cb04018-a3f5-46a7-b995-940c78f5aef3",
    "iss": "https://login.microsoftonline.com/b9419818-09af-49c2-b0c3-653adc1f376e/v2.0",
    "iat": 1536361411,
    "nbf": 1536361411,
    "exp": 1536365311,
    "aio": "AXQAi/8IAAAAqxsuB+R4D2rFQqOETO4YdXbLD9kZ8xfXadeAM0Q2NkNT5izfg3uwbWSXhuSSj6UT5hy2D6WqAp",
    "name": "Abe Lincoln",
    "nonce": "123523",
    "oid": "00000000-0000-0000-66f3-3332eca7ea81",
    "preferred_username": "AbeLi@microsoft.com",
    "rh": "I",
    "sub": "HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ",
    "tid": "b9419818-09af-49c2-b0c3-653adc1f376e",
    "uti": "fqiBqXLPj0eQa82S-IYFAA",
    "ver": "2.0",
}

# GitHub REST: GET /user and GET /user/emails (docs.github.com/rest/users).
GITHUB_USER = {
    "login": "octocat",
    "id": 583231,
    "node_id": "MDQ6VXNlcjU4MzIzMQ==",
    "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
    "gravatar_id": "",
    "url": "https://api.github.com/users/octocat",
    "html_url": "https://github.com/octocat",
    "type": "User",
    "site_admin": False,
    "name": "The Octocat",
    "company": "@github",
    "blog": "https://github.blog",
    "location": "San Francisco",
    "email": None,
    "hireable": None,
    "bio": None,
    "twitter_username": None,
    "public_repos": 8,
    "followers": 9999,
    "following": 9,
    "created_at": "2011-01-25T18:44:36Z",
    "updated_at": "2024-01-22T12:34:56Z",
}
GITHUB_EMAILS = [
    {
        "email": "octocat@users.noreply.github.com",
        "primary": False,
        "verified": True,
        "visibility": None,
    },
    {"email": "octocat@github.com", "primary": True, "verified": True, "visibility": "private"},
    {"email": "old@example.com", "primary": False, "verified": False, "visibility": None},
]

# Facebook Graph API: GET /me?fields=id,name,email,picture.
FACEBOOK_ME = {
    "id": "10224242424242424",
    "name": "Mark Example",
    "email": "mark@example.com",
    "picture": {
        "data": {
            "height": 50,
            "is_silhouette": False,
            "url": "https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=10224242424242424&height=50&width=50&ext=1700000000&hash=AbC",
            "width": 50,
        }
    },
}

# X API v2: GET /2/users/me?user.fields=profile_image_url.
X_ME = {
    "data": {
        "id": "2244994945",
        "name": "Developers",
        "username": "XDevelopers",
        "profile_image_url": "https://pbs.twimg.com/profile_images/1683899100922511378/5lY42eHs_normal.jpg",
    }
}

# WordPress.com REST v1.1: GET /rest/v1/me.
WORDPRESS_ME = {
    "ID": 12345678,
    "display_name": "Jane Blogger",
    "username": "janeblogger",
    "email": "jane@example.com",
    "primary_blog": 987654,
    "primary_blog_url": "https://janeblogger.wordpress.com",
    "language": "en",
    "token_site_id": False,
    "token_scope": ["auth"],
    "avatar_URL": "https://0.gravatar.com/avatar/5c3e0f1b?s=96&d=identicon",
    "profile_URL": "https://gravatar.com/janeblogger",
    "verified": True,
    "email_verified": True,
    "date": "2013-05-09T14:00:00+00:00",
    "site_count": 1,
    "visible_site_count": 1,
    "has_unseen_notes": False,
    "newest_note_type": "",
    "phone_account": False,
    "is_valid_google_apps_country": True,
    "user_ip_country": "GB",
    "logout_URL": "https://wordpress.com/wp-login.php?action=logout",
    "is_new_reader": False,
}

# A standards-following provider (Keycloak-like) userinfo response.
OIDC_USERINFO = {
    "sub": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
    "email_verified": True,
    "name": "Dana Scully",
    "preferred_username": "dscully",
    "given_name": "Dana",
    "family_name": "Scully",
    "email": "dana@fbi.example",
    "picture": "https://id.example.org/avatars/dscully.png",
    "profile": "https://id.example.org/people/dscully",
}


def test_google_claims_become_a_verified_profile():
    assert google_profile(GOOGLE_CLAIMS) == Profile(
        provider="google",
        subject="10769150350006150715113082367",
        name="John Smith",
        email="jsmith@example.com",
        email_verified=True,
        avatar_url="https://lh3.googleusercontent.com/a/ACg8ocJ2kZ9n=s96-c",
        profile_url=None,
    )


@pytest.mark.parametrize(
    ("email_verified", "expected"),
    [(True, True), ("true", True), (False, False), ("false", False), (None, False)],
)
def test_google_email_is_verified_only_when_google_says_so(email_verified, expected):
    claims = {**GOOGLE_CLAIMS, "email_verified": email_verified}
    assert google_profile(claims).email_verified is expected


def test_microsoft_email_is_unverified_without_xms_edov():
    profile = microsoft_profile({**MICROSOFT_CLAIMS, "email": "abe@contoso.example"})

    assert profile.subject == "HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ"
    assert profile.name == "Abe Lincoln"
    assert profile.email == "abe@contoso.example"
    assert profile.email_verified is False


def test_microsoft_email_is_verified_with_xms_edov():
    claims = {**MICROSOFT_CLAIMS, "email": "abe@contoso.example", "xms_edov": True}
    assert microsoft_profile(claims).email_verified is True


def test_microsoft_preferred_username_is_an_unverified_fallback_address():
    profile = microsoft_profile(MICROSOFT_CLAIMS)

    assert profile.email == "AbeLi@microsoft.com"
    assert profile.email_verified is False


def test_microsoft_preferred_username_that_is_not_an_address_is_ignored():
    claims = {**MICROSOFT_CLAIMS, "preferred_username": "+15551234567"}
    assert microsoft_profile(claims).email is None


def test_microsoft_xms_edov_never_verifies_preferred_username():
    claims = {**MICROSOFT_CLAIMS, "xms_edov": True}
    assert microsoft_profile(claims).email_verified is False


def test_microsoft_falls_back_to_oid_without_sub():
    claims = {k: v for k, v in MICROSOFT_CLAIMS.items() if k != "sub"}
    assert microsoft_profile(claims).subject == "00000000-0000-0000-66f3-3332eca7ea81"


def test_github_uses_the_primary_verified_email():
    assert github_profile(GITHUB_USER, GITHUB_EMAILS) == Profile(
        provider="github",
        subject="583231",
        name="The Octocat",
        email="octocat@github.com",
        email_verified=True,
        avatar_url="https://avatars.githubusercontent.com/u/583231?v=4",
        profile_url="https://github.com/octocat",
    )


def test_github_primary_unverified_email_is_not_used():
    emails = [{"email": "new@example.com", "primary": True, "verified": False, "visibility": None}]

    profile = github_profile(GITHUB_USER, emails)

    assert profile.email is None
    assert profile.email_verified is False


def test_github_public_email_without_the_emails_list_is_unverified():
    profile = github_profile({**GITHUB_USER, "email": "octocat@github.com"})

    assert profile.email == "octocat@github.com"
    assert profile.email_verified is False


def test_github_public_email_is_verified_when_the_list_says_so():
    emails = [{"email": "Octocat@GitHub.com", "primary": False, "verified": True}]

    profile = github_profile({**GITHUB_USER, "email": "octocat@github.com"}, emails)

    assert profile.email_verified is True


def test_github_name_falls_back_to_login():
    assert github_profile({**GITHUB_USER, "name": None}).name == "octocat"


def test_facebook_profile_takes_the_picture_url_and_trusts_the_email():
    assert facebook_profile(FACEBOOK_ME) == Profile(
        provider="facebook",
        subject="10224242424242424",
        name="Mark Example",
        email="mark@example.com",
        email_verified=True,
        avatar_url=FACEBOOK_ME["picture"]["data"]["url"],
        profile_url=None,
    )


def test_facebook_without_email_permission_has_no_email():
    me = {k: v for k, v in FACEBOOK_ME.items() if k != "email"}

    profile = facebook_profile(me)

    assert profile.email is None
    assert profile.email_verified is False


def test_x_profile_has_no_email_and_links_the_username():
    assert x_profile(X_ME) == Profile(
        provider="x",
        subject="2244994945",
        name="Developers",
        email=None,
        email_verified=False,
        avatar_url=X_ME["data"]["profile_image_url"],
        profile_url="https://x.com/XDevelopers",
    )


def test_wordpress_profile():
    assert wordpress_profile(WORDPRESS_ME) == Profile(
        provider="wordpress",
        subject="12345678",
        name="Jane Blogger",
        email="jane@example.com",
        email_verified=True,
        avatar_url="https://0.gravatar.com/avatar/5c3e0f1b?s=96&d=identicon",
        profile_url="https://gravatar.com/janeblogger",
    )


def test_wordpress_unverified_email():
    assert wordpress_profile({**WORDPRESS_ME, "email_verified": False}).email_verified is False


def test_generic_oidc_profile_is_namespaced_by_provider_name():
    assert oidc_profile("keycloak", OIDC_USERINFO) == Profile(
        provider="keycloak",
        subject="f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
        name="Dana Scully",
        email="dana@fbi.example",
        email_verified=True,
        avatar_url="https://id.example.org/avatars/dscully.png",
        profile_url="https://id.example.org/people/dscully",
    )


def test_generic_oidc_name_falls_back_to_given_and_family_then_username():
    claims = {k: v for k, v in OIDC_USERINFO.items() if k != "name"}
    assert oidc_profile("keycloak", claims).name == "Dana Scully"
    claims = {"sub": "1", "preferred_username": "dscully"}
    assert oidc_profile("keycloak", claims).name == "dscully"


def test_generic_oidc_email_without_email_verified_is_unverified():
    claims = {k: v for k, v in OIDC_USERINFO.items() if k != "email_verified"}
    assert oidc_profile("keycloak", claims).email_verified is False


@pytest.mark.parametrize(
    ("normalize", "payload"),
    [
        (google_profile, {"sub": "1"}),
        (microsoft_profile, {"oid": "1"}),
        (github_profile, {"id": 1}),
        (facebook_profile, {"id": "1"}),
        (x_profile, {"data": {"id": "1"}}),
        (wordpress_profile, {"ID": 1}),
        (lambda payload: oidc_profile("generic", payload), {"sub": "1"}),
    ],
)
def test_only_the_subject_is_required(normalize, payload):
    profile = normalize(payload)

    assert profile.subject == "1"
    assert profile.email is None
    assert profile.email_verified is False
    assert profile.avatar_url is None


@pytest.mark.parametrize(
    ("normalize", "payload", "message"),
    [
        (google_profile, {"email": "a@b.example"}, "google profile has no 'sub'"),
        (microsoft_profile, {"name": "x"}, "microsoft profile has no 'sub' or 'oid'"),
        (github_profile, {"login": "octocat"}, "github profile has no 'id'"),
        (facebook_profile, {"name": "x"}, "facebook profile has no 'id'"),
        (x_profile, {"errors": [{"title": "Unauthorized"}]}, "x profile has no 'id'"),
        (wordpress_profile, {"display_name": "x"}, "wordpress profile has no 'ID'"),
        (google_profile, {"sub": ""}, "google profile has no 'sub'"),
        (google_profile, {"sub": None}, "google profile has no 'sub'"),
        (github_profile, {"id": True}, "github profile has no 'id'"),
        (google_profile, ["sub"], "expected a JSON object"),
    ],
)
def test_missing_subject_is_a_clear_error(normalize, payload, message):
    with pytest.raises(ValueError, match=message):
        normalize(payload)


def test_unsafe_or_malformed_values_are_dropped():
    claims = {
        "sub": "1",
        "name": {"first": "not a string"},
        "email": "not an address",
        "email_verified": True,
        "picture": "javascript:alert(1)",
        "profile": "//no-scheme.example/path",
    }

    profile = oidc_profile("generic", claims)

    assert profile == Profile("generic", "1", None, None, False, None, None)


def test_long_values_are_fitted_to_the_identity_columns():
    claims = {
        "sub": "1",
        "name": "  Ada   " + "L" * 300,
        "email": "a" * 320 + "@example.com",
        "picture": "https://example.com/" + "p" * 3000,
    }

    profile = oidc_profile("generic", claims)

    assert profile.name.startswith("Ada L") and len(profile.name) == 200
    assert profile.email is None
    assert profile.avatar_url is None


def test_single_payload_normalizers_cover_the_fixed_providers():
    assert set(SINGLE_PAYLOAD_NORMALIZERS) == {
        "google", "microsoft", "facebook", "x", "wordpress", "apple"
    }  # fmt: skip
    for provider, normalize in SINGLE_PAYLOAD_NORMALIZERS.items():
        payload = {"sub": "1", "id": "1", "ID": 1}
        assert normalize(payload).provider == provider


def test_apple_relay_addresses_are_verified_and_strings_are_booleans():
    from service.auth.profiles import apple_profile

    relay = apple_profile({"sub": "001.a.1", "email": "q1@privaterelay.appleid.com"})
    assert relay.email_verified is True and relay.name is None and relay.avatar_url is None
    plain = apple_profile({"sub": "001.a.1", "email": "a@example.test", "email_verified": "true"})
    assert plain.email_verified is True
    unverified = apple_profile({"sub": "1", "email": "a@example.test", "email_verified": "false"})
    assert unverified.email_verified is False


def test_site_and_email_profiles():
    from service.auth.profiles import email_profile, site_profile

    claims = {"sub": 42, "email": "h@example.test", "email_verified": True, "picture": "ftp://x"}
    assert site_profile("blog", claims, trust_email=False).email_verified is False
    trusted = site_profile("blog", claims, trust_email=True)
    assert (trusted.provider, trusted.subject, trusted.email_verified) == ("site:blog", "42", True)
    assert trusted.avatar_url is None
    mailed = email_profile("Mae@Example.test", " Mae  Mailer ")
    assert (mailed.provider, mailed.subject, mailed.name) == (
        "email",
        "mae@example.test",
        "Mae Mailer",
    )
    with pytest.raises(ValueError):
        email_profile("not an address", "x")
