"""How embed.js is built from its modules, and that it enforces the server's own rules."""

from __future__ import annotations

import json
import re

import pytest

from service.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from service.widget import assets

# The API's limit on a comment body (service/comments/schemas.py), written here on purpose: if
# either the server or the widget changes it alone, a test below fails.
BODY_LIMIT = 10_000


def served_values(client) -> dict:
    """The ``SERVER`` object in embed.js as a browser receives it."""
    text = client.get("/embed.js").get_data(as_text=True)
    start = text.index("const SERVER=") + len("const SERVER=")
    values, _ = json.JSONDecoder().raw_decode(text, start)
    return values


def test_the_widget_filters_with_the_servers_allow_list_and_body_limit(client):
    values = served_values(client)
    assert set(values["tags"]) == ALLOWED_TAGS
    assert {tag: set(names) for tag, names in values["attributes"].items()} == ALLOWED_ATTRIBUTES
    assert values["maxBody"] == BODY_LIMIT


def test_the_widget_has_no_allow_list_or_limit_of_its_own():
    # The values above reach the browser only if the sources read them from SERVER.
    sources = {p.name: p.read_text(encoding="utf-8") for p in assets.JS.glob("*.js")}
    joined = "\n".join(sources.values())
    assert (
        "SERVER.tags" in sources["sanitizer.js"] and "SERVER.attributes" in sources["sanitizer.js"]
    )
    assert "SERVER.maxBody" in sources["posting.js"] and "SERVER.maxBody" in sources["form.js"]
    assert not re.search(r"\b10_?000\b", joined)
    assert "new Set(SERVER.tags" in sources["sanitizer.js"]
    # Tags only comment bodies use (the widget builds p, ol, li and a itself): a list of its own
    # would name them.
    for tag in ("blockquote", "strong", "em", "del", "pre", "code"):
        assert tag in ALLOWED_TAGS
        assert not re.search(rf"[\"']{tag}[\"']", joined, re.IGNORECASE), tag


@pytest.mark.parametrize("extra, status", [(0, 202), (1, 422)])
def test_the_server_accepts_exactly_the_body_the_widget_allows(post, client, extra, status):
    limit = served_values(client)["maxBody"]
    response = post("x" * (limit + extra))
    assert response.status_code == status
    if status == 422:
        assert response.get_json()["error"]["code"] == "validation_failed"


def test_every_source_is_type_checked_and_every_module_is_joined():
    names = {p.name for p in assets.JS.glob("*.js")}
    assert names - {"count.js"} == set(assets.EMBED_MODULES)
    for name in names:
        first = (assets.JS / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == "// @ts-check", name


def test_modules_become_functions_whose_exports_later_modules_read():
    joined = assets.join_modules(
        [
            ("words.js", 'export const hello = "hello";\nexport function shout(s) { return s; }\n'),
            ("main.js", 'import { hello, shout as loud } from "./words.js";\nloud(hello);\n'),
        ],
        {"maxBody": 3},
    )
    assert joined.startswith('(() => {\n"use strict";\nconst SERVER = {"maxBody":3};\n')
    assert "const $words = (() => {\nconst hello" in joined
    assert "return { hello, shout };\n})();" in joined
    assert "const { hello, shout: loud } = $words;\nloud(hello);" in joined
    assert "import" not in joined and "export" not in joined


@pytest.mark.parametrize(
    "modules, problem",
    [
        ([("a.js", 'import { x } from "./b.js";\n'), ("b.js", "export const x = 1;\n")], "before"),
        ([("a.js", "export const x = 1;\n"), ("b.js", 'import { y } from "./a.js";\n')], "export"),
        ([("a.js", "export default 1;\n")], "export default"),
        ([("a.js", "export let x = 1;\n")], "export let"),
    ],
)
def test_the_join_refuses_what_it_cannot_honour(modules, problem):
    with pytest.raises(ValueError, match=problem):
        assets.join_modules(modules, {})


def test_the_served_script_is_minified_but_keeps_its_banner(client):
    text = client.get("/embed.js").get_data(as_text=True)
    assert text.startswith("/*! Parley comments widget")
    assert "// @ts-check" not in text and "\n  " not in text
