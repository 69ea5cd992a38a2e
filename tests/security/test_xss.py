"""Markup people type stays text, on every page it reaches.

Each payload goes in through the real forms, wherever users write: a member's reply, a reworded
post, a flag's note, a moderator's reason and edit, an extracted claim, a browser import's title
and author, the search box and the filters, a username at sign-up. Then every page that shows
it is parsed as a browser would (html.parser): no element, event handler or javascript: address
came in, no script runs without the page's nonce, and the payload reads as the text it was."""

import json
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from articles.models import Article
from debates.exports import argdown_text
from debates.models import Argument
from debates.moderation.services import moderators_group

SLUG = "is-klantgerichtheid-het-slechtste-idee"
HX = {"HX-Request": "true"}
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "{{ 7*7 }} {% debug %}",
    "https://example.org/'onmouseover='alert(1)",
]
WORDS = ["eerlijk", "zinvol", "duur", "traag", "modern", "riskant"]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "hx-get", "hx-post", "data", "xlink:href"}


class Page(HTMLParser):
    """A page as a browser reads it: its text and attribute values, and what would run."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text, self.values, self.injected, self.in_script = [], [], [], False
        self.feed(html)
        self.close()
        self.joined = " ".join("".join(self.text).split())

    def shows(self, payload: str) -> bool:
        """As text on the page, or as the value of a field or a title."""
        return payload in self.joined or any(payload in value for value in self.values)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on"):  # the site has no inline handlers (its CSP forbids them)
                self.injected.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value.lower().startswith("javascript:"):
                self.injected.append(f"<{tag} {name}={value}>")
            self.values.append(value)
        if tag == "img" and dict(attrs).get("src") == "x":
            self.injected.append("<img src=x>")
        if tag == "script":
            self.in_script = True
            if "nonce" not in dict(attrs) and "src" not in dict(attrs):
                self.injected.append("<script> without the page's nonce")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert(1)" in data:
            self.injected.append(f"<script>{data}</script>")
        self.text.append(data)


def shows_as_text(response, *payloads):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/html")
    page = Page(response.content.decode())
    assert page.injected == [], page.injected
    for payload in payloads:
        assert page.shows(payload), payload
    return page


def claim(place: str, n: int) -> str:
    return f"Stelling {place} {n} {WORDS[n]}: {PAYLOADS[n]}"


@pytest.fixture
def written(graph, settings):
    """Every payload written in every place, through the site's forms."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (100, 600), "flag": (100, 3600)}
    users = get_user_model().objects
    author, flagger = users.create_user("auteur"), users.create_user("melder")
    moderator = users.create_user("moderator")
    moderator.groups.add(moderators_group())
    as_author, as_flagger, as_moderator = Client(), Client(), Client()
    as_author.force_login(author)
    as_flagger.force_login(flagger)
    as_moderator.force_login(moderator)
    target = graph["dejong-vrijbrief"]
    article = target.article
    made = {"replied": [], "reworded": [], "edited": [], "hidden": [], "extracted": []}

    def reply(text: str) -> Argument:
        as_author.post(f"/arguments/{target.pk}/replies/", {"text": text, "relation": "attack"})
        return Argument.objects.get(text=text, status="published")

    for n, payload in enumerate(PAYLOADS):
        replied = reply(claim("antwoord", n))
        as_flagger.post(f"/arguments/{replied.pk}/flag/", {"reason": "other", "note": payload})
        reworded = reply(f"Stelling eerst {n} {WORDS[n]} zonder opmaak.")
        as_author.post(f"/arguments/{reworded.pk}/edit/", {"text": claim("herschreven", n)})
        edited = reply(f"Stelling moderator {n} {WORDS[n]} zonder opmaak.")
        as_moderator.post(
            f"/moderation/arguments/{edited.pk}/edit/",
            {"text": claim("bewerkt", n), "reason": payload},
        )
        hidden = reply(claim("verborgen", n))
        as_moderator.post(f"/moderation/arguments/{hidden.pk}/hide/", {"reason": payload})
        quote = article.body_text.split("\n")[0][n * 10 : n * 10 + 30].strip()
        as_moderator.post(
            f"/moderation/articles/{article.slug}/extract/",
            {"quote": quote, "text": claim("uittreksel", n), "reason": payload},
        )
        made["replied"].append(replied)
        made["reworded"].append(Argument.objects.get(pk=reworded.pk))
        made["edited"].append(Argument.objects.get(pk=edited.pk))
        made["hidden"].append(Argument.objects.get(pk=hidden.pk))
        made["extracted"].append(Argument.objects.get(text=claim("uittreksel", n)))
    for n, argument in enumerate(made["reworded"]):
        assert argument.text == claim("herschreven", n)
    for n, argument in enumerate(made["edited"]):
        assert argument.text == claim("bewerkt", n)
    assert {a.status for a in made["hidden"]} == {"hidden"}
    return {
        **made,
        "author": as_author,
        "moderator": as_moderator,
        "reader": Client(),
        "target": target,
        "article": article,
    }


def test_what_members_and_moderators_write_stays_text_on_every_page(written):
    reader, author, moderator = written["reader"], written["author"], written["moderator"]
    target, article = written["target"], written["article"]
    published = [claim(place, n) for place in ("antwoord", "herschreven", "bewerkt")
                 for n in range(len(PAYLOADS))]  # fmt: skip
    reasons = PAYLOADS  # the moderators' reasons for hiding and editing
    checked = 0

    def check(client, url, *payloads, headers=None):
        nonlocal checked
        checked += 1
        return shows_as_text(client.get(url, headers=headers or {}), *payloads)

    for client in (reader, moderator):
        check(client, f"/debates/{SLUG}/", *published, *reasons)  # reasons: the placeholders
        check(client, f"/debates/{SLUG}/map/", *published)
        check(client, f"/debates/{SLUG}/arguments/{target.pk}/", *published, headers=HX)
        check(client, f"/arguments/{target.pk}/", *published)
        check(client, f"/arguments/{target.pk}/panel/", headers=HX)
        check(client, f"/debates/{SLUG}/log/", *reasons)
        check(client, f"/articles/{article.slug}/", *[claim("uittreksel", n) for n in range(6)])
        check(client, "/search/?q=Stelling", *published[:3])
        for n in range(len(PAYLOADS)):
            for kind in ("replied", "reworded", "edited", "extracted"):
                argument = written[kind][n]
                check(client, f"/arguments/{argument.pk}/", argument.text)
                check(client, f"/arguments/{argument.pk}/panel/", argument.text, headers=HX)
            check(client, f"/arguments/{written['edited'][n].pk}/revisions/", claim("bewerkt", n))
            check(client, f"/arguments/{written['hidden'][n].pk}/", PAYLOADS[n])  # placeholder
    for n in range(len(PAYLOADS)):  # the author's own hidden post, with the reason
        check(author, f"/arguments/{written['hidden'][n].pk}/", claim("verborgen", n), PAYLOADS[n])
    check(author, "/accounts/contributions/", *published[:12], *reasons)
    check(moderator, "/moderation/", *PAYLOADS)  # the flags' notes
    check(moderator, "/moderation/log/", *PAYLOADS, *published[12:])
    check(moderator, f"/debates/{SLUG}/", *[claim("verborgen", n) for n in range(6)])
    assert checked == 2 * (8 + 6 * 10) + 6 + 4


def test_the_exports_carry_it_as_data(written):
    reader = written["reader"]
    published = [argument.text for argument in written["replied"] + written["reworded"]]
    exported = reader.get(f"/debates/{SLUG}/export.json")
    assert exported["Content-Type"] == "application/json"
    assert exported["X-Content-Type-Options"] == "nosniff"
    texts = {argument["text"] for argument in exported.json()["arguments"]}
    assert set(published) <= texts
    assert not {claim("verborgen", n) for n in range(6)} & texts
    aif = reader.get(f"/debates/{SLUG}/export.aif.json")
    assert aif["Content-Type"] == "application/json"
    assert set(published) <= {node.get("text") for node in json.loads(aif.content)["nodes"]}
    argdown = reader.get(f"/debates/{SLUG}/export.argdown")
    assert argdown["Content-Type"] == "text/plain; charset=utf-8"
    assert argdown["Content-Disposition"].startswith("attachment")
    assert all(argdown_text(text) in argdown.content.decode() for text in published)


def test_what_people_type_into_forms_and_filters_comes_back_as_text(client, graph):
    target = graph["dejong-vrijbrief"]
    moderator = Client()
    moderator.force_login(get_user_model().objects.create_superuser("baas", password="x"))
    member = Client()
    member.force_login(get_user_model().objects.create_user("lid"))
    checked = 0
    for payload in PAYLOADS:
        pages = [
            (client, f"/search/?q={payload}", {}),
            (client, "/search/", {"q": payload}),
            (client, f"/arguments/{target.pk}/link/", {"q": payload}),
            (client, f"/arguments/{target.pk}/reply/", {"debate": payload, "relation": payload}),
            (client, f"/debates/{SLUG}/", {"sort": payload}),
            (client, f"/arguments/{target.pk}/similar/", {"text": f"klanten {payload}"}),
            (moderator, "/moderation/log/", {"moderator": payload, "action": payload}),
            (moderator, "/moderation/log/", {"debate": payload}),
            (moderator, f"/moderation/articles/{target.article.slug}/extract/",
             {"quote": payload, "text": payload}),
        ]  # fmt: skip
        for browser, url, data in pages:
            page = Page(browser.get(url, data).content.decode())
            assert page.injected == [], (url, data)
            checked += 1
        shows_as_text(client.get("/search/", {"q": payload}), payload)
        signup = client.post(
            "/accounts/signup/",
            {"username": payload, "password1": "Een-lang-wachtwoord-8", "password2": "x"},
        )
        shows_as_text(signup, payload)
        login = client.post("/accounts/login/", {"username": payload, "password": "fout"})
        shows_as_text(login, payload)
        refused = member.post(
            f"/arguments/{target.pk}/replies/", {"text": payload[:12], "relation": "attack"}
        )
        shows_as_text(refused, payload[:12])  # too short: the form again, with what was typed
        # Refused with htmx: the fragment comes back with what was typed in it.
        moderate = f"/moderation/arguments/{target.pk}"
        for browser, url, data in [
            (moderator, f"{moderate}/reject/", {"reason": payload}),
            (moderator, f"{moderate}/edit/", {"text": "kort", "reason": payload}),
            (member, f"/arguments/{target.pk}/flag/", {"reason": "bogus", "note": payload}),
        ]:
            shows_as_text(browser.post(url, data, headers=HX), payload)
            checked += 1
    assert checked == 12 * len(PAYLOADS)
    assert not get_user_model().objects.filter(username__in=PAYLOADS).exists()


def test_an_imported_title_and_author_stay_text(graph):
    moderator = Client()
    moderator.force_login(get_user_model().objects.create_superuser("baas", password="x"))
    payload = PAYLOADS[1]
    text = (
        f"Klanten en {payload} in de titel\n\n"
        "Dit is de eerste alinea van een stuk over klantgerichtheid, lang genoeg om te tellen.\n\n"
        f"En een tweede alinea die {PAYLOADS[0]} noemt, als tekst.\n"
    )
    form = {"text": text, "name": "xss-import.txt", "author": payload, "reason": payload}
    preview = moderator.post("/moderation/import/", form)
    shows_as_text(preview, payload)
    saved = moderator.post("/moderation/import/", {**form, "action": "save"}, follow=True)
    shows_as_text(saved, payload, PAYLOADS[0])
    article = Article.objects.get(source_file="xss-import.txt")
    assert article.title == f"Klanten en {payload} in de titel" and article.author == payload
    for url in ("/articles/", "/", "/search/?q=klanten+titel", "/moderation/log/"):
        shows_as_text(moderator.get(url), payload)
