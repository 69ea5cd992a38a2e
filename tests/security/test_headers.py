"""The security headers on every kind of answer: a page, an HTMX fragment, a JSON export, a
redirect, HEAD, and the refusals 400, 403, 404, 405, 429 and 503. (`check --deploy` with the
documented production environment: tests/test_settings.py.)"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

SLUG = "is-klantgerichtheid-het-slechtste-idee"
NONCE = re.compile(r"'nonce-([^']+)'")


def assert_hardened(response, *, html: bool = False) -> None:
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (d.strip() for d in csp.split(";")) if part
    )
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"].startswith("'self'")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    if html:  # scripts from this site, or with the nonce the header allows
        nonce = NONCE.search(directives["script-src"]).group(1)
        body = response.content.decode()
        scripts = re.findall(r"<script\b[^>]*>", body)
        assert scripts, "the page loads its scripts"
        for tag in scripts:
            assert 'src="/static/' in tag or f'nonce="{nonce}"' in tag, tag


@pytest.fixture
def member(db):
    client = Client()
    client.force_login(get_user_model().objects.create_user("lid"))
    return client


def test_every_kind_of_answer_carries_the_security_headers(client, member, graph, settings):
    settings.DEBUG = False
    target = graph["dejong-vrijbrief"]
    page = client.get(f"/debates/{SLUG}/")
    assert page.status_code == 200
    assert_hardened(page, html=True)
    second = client.get(f"/debates/{SLUG}/")  # a fresh nonce for every answer
    assert NONCE.search(second["Content-Security-Policy"]).group(1) != NONCE.search(
        page["Content-Security-Policy"]
    ).group(1)

    settings.LOGIN_DELAY_SECONDS = 600  # no wait runs out on a slow machine
    for _attempt in range(5):  # the free attempts; the next one must wait
        client.post("/accounts/login/", {"username": "anna", "password": "fout"})
    answers = {
        "fragment": client.get(
            f"/debates/{SLUG}/arguments/{target.pk}/", headers={"HX-Request": "true"}
        ),
        "json": client.get(f"/debates/{SLUG}/export.json"),
        "argdown": client.get(f"/debates/{SLUG}/export.argdown"),
        "redirect": client.get("/accounts/contributions/"),
        "head": client.head("/debates/"),
        "400": client.get("/search/", {"q": "klant\x00"}),
        "403": member.get("/moderation/"),
        "404": client.get("/bestaat-niet/"),
        "405": client.get("/accounts/logout/"),
        "429": client.post("/accounts/login/", {"username": "anna", "password": "fout"}),
    }
    statuses = {kind: answer.status_code for kind, answer in answers.items()}
    assert statuses == {
        "fragment": 200, "json": 200, "argdown": 200, "redirect": 302, "head": 200,
        "400": 400, "403": 403, "404": 404, "405": 405, "429": 429,
    }  # fmt: skip
    for kind, answer in answers.items():
        assert_hardened(answer, html=kind in ("403", "404", "429")), kind
    assert "<html" not in answers["fragment"].content.decode()
    assert answers["json"]["Content-Type"] == "application/json"


def test_the_database_down_page_carries_them_too(django_db_blocker, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with django_db_blocker.unblock():
        host = connection.settings_dict["HOST"]
        connection.close()
        connection.settings_dict["HOST"] = "/nonexistent-socket-dir"
        try:
            answers = [client.get("/debates/"), client.get("/healthz")]
        finally:
            connection.close()
            connection.settings_dict["HOST"] = host
    assert [answer.status_code for answer in answers] == [503, 503]
    for answer in answers:
        assert_hardened(answer)
