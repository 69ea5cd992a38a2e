"""Extracting an argument from a passage: the service, the in-page form (HTMX and plain), and
the page without JavaScript where the server finds the pasted quote."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string

from debates.models import Argument, Link, ModerationAction
from debates.moderation.extraction import argument_extract

HX = {"HX-Request": "true"}
QUOTE = "Ik krijg een enorm kriebelig gevoel bij al die klantgerichtheid."
CLAIM = "Alle beloften van klantgerichtheid wekken eerder ongemak dan vertrouwen."


@pytest.fixture(autouse=True)
def plain_static_names(settings):
    """Article pages seen by a moderator load js/extract.js; without a collectstatic run the
    hashed manifest lacks it, so these tests use plain static names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def article(graph, corpus):
    return corpus["002"]


@pytest.fixture
def member(db):
    return get_user_model().objects.create_user("marieke", password="een-lang-wachtwoord-9")


def url(article) -> str:
    return f"/moderation/articles/{article.slug}/extract/"


def selection(article, quote=QUOTE, comment=None) -> dict:
    """What the page's script posts for a selection: the quote and its offsets."""
    source = comment.text if comment else article.body_text
    start = source.index(quote)
    return {
        "quote": quote,
        "start": start,
        "end": start + len(quote),
        "comment": comment.pk if comment else "",
    }


# The service


def test_it_creates_the_argument_at_the_exact_offsets_with_one_audit_row(article, moderator):
    where = selection(article)

    argument = argument_extract(
        moderator, article, comment_id=None, start=where["start"], end=where["end"],
        quote=QUOTE, text=f"  {CLAIM}\n", reason="Kern van de column",
    )  # fmt: skip

    argument.refresh_from_db()
    assert argument.text == CLAIM  # trimmed
    assert argument.status == Argument.Status.PUBLISHED
    assert argument.article == article and argument.comment is None
    assert article.body_text[argument.quote_start : argument.quote_end] == QUOTE == argument.quote
    assert argument.author is None  # the claim is the column's; the log says who extracted it
    entry = ModerationAction.objects.get(argument=argument)
    assert (entry.action, entry.moderator) == ("extract", moderator)
    assert entry.reason == "Kern van de column"
    assert entry.before == {}
    assert entry.after["quote"] == QUOTE and entry.after["start"] == where["start"]
    assert entry.after["article"] == article.slug and entry.after["link"] is None


def test_a_quote_that_does_not_stand_at_its_offsets_is_refused(article, moderator):
    where = selection(article)
    before = Argument.objects.count(), ModerationAction.objects.count()

    for start, end, quote in [
        (where["start"] + 1, where["end"] + 1, QUOTE),  # shifted by one
        (where["start"], where["end"], QUOTE.upper()),  # not verbatim
        (where["start"], where["start"] + 5, QUOTE),  # offsets and quote disagree
        (len(article.body_text), len(article.body_text) + len(QUOTE), QUOTE),  # past the end
        ("", "", QUOTE),  # no position at all
    ]:
        with pytest.raises(ValidationError) as refused:
            argument_extract(
                moderator, article, comment_id=None, start=start, end=end, quote=quote, text=CLAIM
            )
        assert "quote" in refused.value.message_dict

    assert (Argument.objects.count(), ModerationAction.objects.count()) == before


def test_a_quote_from_a_comment_counts_in_the_comments_text(article, corpus, moderator):
    comment = article.comments.get(position=2)  # Sjors van Leeuwen
    quote = "Wel een warrig artikel"
    where = selection(article, quote, comment)

    argument = argument_extract(
        moderator, article, comment_id=comment.pk, start=where["start"], end=where["end"],
        quote=quote, text="Het artikel gooit ongelijke onderwerpen op één hoop.",
    )  # fmt: skip

    assert argument.comment == comment and argument.article == article
    assert comment.text[argument.quote_start : argument.quote_end] == quote
    assert article.body_text[argument.quote_start : argument.quote_end] != quote

    # A comment under another article is refused, even when the quote would fit.
    other = corpus["000"]
    with pytest.raises(ValidationError) as refused:
        argument_extract(
            moderator, other, comment_id=comment.pk, start=where["start"], end=where["end"],
            quote=quote, text="Een andere bewering over een warrig artikel.",
        )  # fmt: skip
    assert "comment" in refused.value.message_dict


def test_it_links_the_new_argument_into_a_debate(article, graph, moderator):
    target = graph["dejong-slechtste-idee"]
    where = selection(article)

    argument = argument_extract(
        moderator, article, comment_id=None, start=where["start"], end=where["end"],
        quote=QUOTE, text=CLAIM, target_id=str(target.pk), relation="support",
    )  # fmt: skip

    link = Link.objects.get(source=argument)
    assert (link.target, link.relation, link.author) == (target, "support", moderator)
    entry = ModerationAction.objects.get(argument=argument, action="extract")
    assert entry.after["link"] == {"target": target.pk, "relation": "support"}
    assert "is-klantgerichtheid-het-slechtste-idee" in entry.debates


def test_a_link_needs_a_visible_target_and_a_relation(article, graph, moderator):
    where = selection(article)
    hidden = graph["dejong-vrijbrief"]
    Argument.objects.filter(pk=hidden.pk).update(status="hidden")
    cases = [
        ({"target_id": 999999, "relation": "attack"}, "target"),
        ({"target_id": "abc", "relation": "attack"}, "target"),
        ({"target_id": hidden.pk, "relation": "attack"}, "target"),
        ({"target_id": graph["dejong-slechtste-idee"].pk, "relation": "agrees"}, "relation"),
    ]
    for options, field in cases:
        with pytest.raises(ValidationError) as refused:
            argument_extract(
                moderator, article, comment_id=None, start=where["start"], end=where["end"],
                quote=QUOTE, text=CLAIM, **options,
            )  # fmt: skip
        assert field in refused.value.message_dict
    assert not Argument.objects.filter(text=CLAIM).exists()


def test_the_claim_is_required_short_and_new(article, graph, moderator):
    where = selection(article)
    existing = graph["dejong-vrijbrief"].text
    for text, message in [
        ("   ", "Schrijf je argument"),
        ("te kort", "Schrijf minstens 15 tekens"),
        ("x" * 501, "Houd het bij 500 tekens"),
        (existing.upper(), "bestaat al"),
    ]:
        with pytest.raises(ValidationError) as refused:
            argument_extract(
                moderator, article, comment_id=None, start=where["start"], end=where["end"],
                quote=QUOTE, text=text,
            )  # fmt: skip
        assert message in refused.value.message_dict["text"][0]
    argument = argument_extract(
        moderator, article, comment_id=None, start=where["start"], end=where["end"],
        quote=QUOTE, text="y" * 500,
    )  # fmt: skip
    assert len(argument.text) == 500


def test_members_are_refused_by_the_service(article, member):
    where = selection(article)
    with pytest.raises(PermissionDenied):
        argument_extract(
            member, article, comment_id=None, start=where["start"], end=where["end"],
            quote=QUOTE, text=CLAIM,
        )  # fmt: skip
    assert not Argument.objects.filter(text=CLAIM).exists()


# The views: who may


def test_anonymous_visitors_go_to_the_login_page(client, article):
    page = client.get(url(article))
    assert page.status_code == 302
    assert page["Location"] == (
        f"/accounts/login/?next=%2Fmoderation%2Farticles%2F{article.slug}%2Fextract%2F"
    )

    posted = client.post(url(article), {**selection(article), "text": CLAIM})
    assert posted.status_code == 302 and posted["Location"].startswith("/accounts/login/?next=")
    htmx = client.post(url(article), {**selection(article), "text": CLAIM}, headers=HX)
    assert htmx.headers["HX-Redirect"].startswith("/accounts/login/?next=")
    assert not Argument.objects.filter(text=CLAIM).exists()


def test_members_get_403(client, article, member):
    client.force_login(member)

    assert client.get(url(article)).status_code == 403
    assert client.post(url(article), {**selection(article), "text": CLAIM}).status_code == 403
    response = client.post(url(article), {**selection(article), "text": CLAIM}, headers=HX)
    assert response.status_code == 403
    assert not Argument.objects.filter(text=CLAIM).exists()
    assert not ModerationAction.objects.filter(action="extract").exists()


def test_it_answers_405_to_other_methods(client, article, moderator):
    client.force_login(moderator)
    assert client.put(url(article)).status_code == 405


# The in-page form


def test_an_htmx_extraction_answers_with_the_new_argument_in_place(
    client, article, graph, moderator
):
    client.force_login(moderator)
    target = graph["dejong-slechtste-idee"]

    response = client.post(
        url(article),
        {**selection(article), "text": CLAIM, "target": target.pk, "relation": "support"},
        headers=HX,
    )

    html = response.content.decode()
    argument = Argument.objects.get(text=CLAIM)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="extract-panel"' in html
    assert 'role="status"' in html and "data-autofocus" in html
    assert "Nieuw argument:" in html and f'href="/arguments/{argument.pk}/"' in html
    assert f"Het steunt: {target.text}" in html
    assert f'href="/articles/{article.slug}/#argument-{argument.pk}"' in html
    assert '<div class="extract-form" id="extract-form" hidden>' in html  # fresh, closed


def test_an_invalid_htmx_extraction_shows_the_form_again_with_its_errors(
    client, article, moderator
):
    client.force_login(moderator)
    where = selection(article)

    response = client.post(
        url(article), {**where, "start": where["start"] + 3, "text": CLAIM}, headers=HX
    )

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'role="alert"' in html and "Het citaat staat niet op die plaats" in html
    assert '<div class="extract-form" id="extract-form">' in html  # open: not hidden
    assert f">{CLAIM}</textarea>" in html  # what the moderator wrote is kept
    assert not Argument.objects.filter(text=CLAIM).exists()


def test_a_plain_extraction_redirects_to_the_highlighted_quote(client, article, moderator):
    client.force_login(moderator)

    response = client.post(url(article), {**selection(article), "text": CLAIM})

    argument = Argument.objects.get(text=CLAIM)
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.slug}/#argument-{argument.pk}"
    page = client.get(f"/articles/{article.slug}/").content.decode()
    assert "Het argument is gemaakt" in page
    assert f'<a class="quote" id="argument-{argument.pk}"' in page
    assert f'title="{CLAIM}">{QUOTE}</a>' in page


def test_a_plain_invalid_extraction_falls_back_to_the_page_without_javascript(
    client, article, moderator
):
    client.force_login(moderator)
    where = selection(article)

    response = client.post(url(article), {**where, "text": ""})

    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "Schrijf je argument" in html
    assert f">{QUOTE}</textarea>" in html  # the quote, pasted for the moderator
    assert 'name="start"' not in html  # the server finds it again: offsets are not carried


def test_the_tool_on_the_article_page_holds_the_closed_form_and_its_script(article):
    html = render_to_string("moderation/includes/extract_tool.html", {"article": article})

    assert "Maak hiervan een argument" in html
    assert "Selecteer een passage" in html
    assert f'action="/moderation/articles/{article.slug}/extract/"' in html
    assert f'hx-post="/moderation/articles/{article.slug}/extract/"' in html
    assert '<div class="extract-form" id="extract-form" hidden>' in html
    for name in ("quote", "start", "end", "comment", "text", "relation", "reason"):
        assert f'name="{name}"' in html
    # The argument it answers is picked by its words (the number joins the form once chosen).
    assert 'id="picker-extract-post"' in html and 'hx-get="/moderation/pick/"' in html
    assert 'src="/static/js/extract.js" defer' in html


# The page without JavaScript


def test_the_page_without_javascript_lists_the_comments_to_quote_from(client, article, moderator):
    client.force_login(moderator)

    html = client.get(url(article), {"quote": "Wel een warrig artikel"}).content.decode()

    assert "Een argument uit de tekst halen" in html
    assert ">de tekst van het artikel</option>" in html
    assert "reactie 2 van Sjors van Leeuwen</option>" in html
    assert ">Wel een warrig artikel</textarea>" in html


def test_the_server_finds_a_pasted_quote(client, article, moderator):
    client.force_login(moderator)

    response = client.post(url(article), {"quote": f"  {QUOTE}\n", "text": CLAIM})

    argument = Argument.objects.get(text=CLAIM)
    assert response.status_code == 302
    assert argument.quote == QUOTE
    assert argument.quote_start == article.body_text.index(QUOTE)
    assert argument.quote_end == argument.quote_start + len(QUOTE)


def test_the_server_finds_the_chosen_occurrence_in_a_comment(client, article, moderator):
    client.force_login(moderator)
    comment = article.comments.get(position=1)  # Sydney Brouwer
    word = "Klantgerichtheid"
    second = comment.text.index(word, comment.text.index(word) + 1)

    client.post(
        url(article),
        {"quote": word, "occurrence": 2, "comment": comment.pk, "text": CLAIM},
    )

    argument = Argument.objects.get(text=CLAIM)
    assert (argument.comment, argument.quote_start) == (comment, second)
    assert comment.text[argument.quote_start : argument.quote_end] == word


def test_a_pasted_quote_that_is_not_in_the_text_is_refused(client, article, moderator):
    client.force_login(moderator)

    html = client.post(
        url(article), {"quote": "De klant is altijd koning.", "text": CLAIM}
    ).content.decode()
    too_far = client.post(
        url(article), {"quote": QUOTE, "occurrence": 2, "text": CLAIM}
    ).content.decode()

    assert "komt niet voor in de gekozen tekst" in html
    assert "komt 1 keer voor" in too_far
    assert not Argument.objects.filter(text=CLAIM).exists()


def test_the_article_page_offers_the_tool_to_moderators_only(client, article, member, moderator):
    path = f"/articles/{article.slug}/"
    assert 'id="extract-tool"' not in client.get(path).content.decode()
    client.force_login(member)
    assert 'id="extract-tool"' not in client.get(path).content.decode()

    client.force_login(moderator)
    html = client.get(path).content.decode()
    assert 'id="extract-tool"' in html and "Maak hiervan een argument" in html
