"""The argument panel beside an article's text: /arguments/<id>/panel/ (debates:argument-panel).

htmx gets the fragment; a plain request goes to the argument page. Who sees what is
debates.policy's answer, as everywhere else.
"""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from debates import strength
from debates.models import Argument, Debate, Link, Strength
from debates.moderation.services import merge_arguments, moderate_argument
from debates.services import argument_rebut, vote_cast

HX = {"HX-Request": "true"}
DE_JONG = "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"
SLUG = "is-klantgerichtheid-het-slechtste-idee"


@pytest.fixture(autouse=True)
def plain_static(settings):
    """The article page loads static/js/panel.js: serve it by its plain name, as the e2e tests
    do, so these tests need no collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def panel_url(argument: Argument) -> str:
    return reverse("debates:argument-panel", args=[argument.pk])


def panel(client, argument: Argument) -> str:
    response = client.get(panel_url(argument), headers=HX)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_htmx_gets_the_fragment_and_a_plain_request_the_argument_page(client, graph):
    vrijbrief = graph["dejong-vrijbrief"]

    fragment = client.get(panel_url(vrijbrief), headers=HX)
    plain = client.get(panel_url(vrijbrief))

    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html and "<body" not in html
    assert re.search(r'<aside class="panel" aria-labelledby="panel-heading"', html)
    heading = rf'<h2 id="panel-heading"[^>]*tabindex="-1">{re.escape(escape(vrijbrief.text))}</h2>'
    assert re.search(heading, html)
    assert re.search(r'<button type="button"[^>]*data-panel-close>Sluiten</button>', html)
    assert f'<p class="panel-more"><a href="{vrijbrief.get_absolute_url()}">' in html
    # The vote widget and the reply actions, for an argument open to answers.
    assert f'hx-post="/arguments/{vrijbrief.pk}/vote/"' in html
    assert f'href="/arguments/{vrijbrief.pk}/reply/?relation=attack"' in html
    # A plain vote from the panel comes back to the highlight in the text.
    assert f'name="next" value="{DE_JONG}#argument-{vrijbrief.pk}"' in html
    # The same URL answers two ways: caches must keep them apart.
    assert "HX-Request" in fragment["Vary"] and "HX-Request" in plain["Vary"]
    assert plain.status_code == 302 and plain["Location"] == vrijbrief.get_absolute_url()
    page = client.get(plain["Location"]).content.decode()
    assert "<html" in page and escape(vrijbrief.text) in page


def test_it_lists_what_attacks_and_supports_it_as_links_into_the_panel(client, graph):
    vrijbrief = graph["dejong-vrijbrief"]
    konrad, buiten_spel = graph["konrad-geen-vrijbrief"], graph["dejong-reflectie-buiten-spel"]
    assert Link.objects.filter(source=konrad, target=vrijbrief, relation="attack").exists()
    assert Link.objects.filter(source=buiten_spel, target=vrijbrief, relation="support").exists()

    html = panel(client, vrijbrief)

    attackers = section(html, "panel-attackers-heading")
    supporters = section(html, "panel-supporters-heading")
    attack_count = Link.objects.filter(target=vrijbrief, relation="attack").count()
    assert f'<span class="panel-count">({attack_count})</span>' in attackers
    assert (
        f'<a href="{konrad.get_absolute_url()}" hx-get="{panel_url(konrad)}" '
        f'hx-target="#reading-panel">{escape(konrad.text)}</a>'
    ) in attackers
    assert escape(konrad.text) not in supporters
    assert f'hx-get="{panel_url(buiten_spel)}"' in supporters


def test_the_strength_shown_is_the_stored_one(client, graph):
    vrijbrief = graph["dejong-vrijbrief"]
    stored = Strength.objects.get(argument=vrijbrief).strength

    html = panel(client, vrijbrief)

    assert f'data-strength="{stored:.4f}"' in html
    assert re.search(r'<meter min="0" max="1"[^>]*value="[0-9.]+"', html)
    assert f"sterkte {stored:.2f}".replace(".", ",") in html  # the number as text, in Dutch


def test_the_strength_follows_a_vote(client, graph, people):
    vrijbrief = graph["dejong-vrijbrief"]
    vote_cast(people["member"], vrijbrief, "up")

    html = panel(client, vrijbrief)

    assert f'data-strength="{Strength.objects.get(argument=vrijbrief).strength:.4f}"' in html


def test_an_argument_without_a_strength_says_so(client, graph):
    vrijbrief = graph["dejong-vrijbrief"]
    Strength.objects.filter(argument=vrijbrief).delete()

    html = panel(client, vrijbrief)

    assert "data-strength" not in html
    assert "sterkte nog niet berekend" in html


def test_a_hidden_argument_is_a_placeholder_to_readers_and_whole_to_its_moderator(
    client, graph, people
):
    konrad, vrijbrief = graph["konrad-geen-vrijbrief"], graph["dejong-vrijbrief"]
    counted_before = Link.objects.filter(target=vrijbrief, relation="attack").count()
    moderate_argument(people["moderator"], konrad, "hide", "Op de man gespeeld.")

    for viewer in (None, people["member"]):
        if viewer:
            client.force_login(viewer)
        html = panel(client, konrad)
        assert escape(konrad.text) not in html
        assert "Een verborgen argument" in html
        assert "Verborgen door de moderatie op" in html and "Op de man gespeeld." in html
        assert "vote/" not in html and "reply/" not in html  # nothing to do with it
        # Under the argument it attacks: a placeholder where it stood, and not counted.
        attackers = section(panel(client, vrijbrief), "panel-attackers-heading")
        assert escape(konrad.text) not in attackers and "Op de man gespeeld." in attackers
        assert f'<span class="panel-count">({counted_before - 1})</span>' in attackers

    client.force_login(people["moderator"])
    html = panel(client, konrad)
    assert escape(konrad.text) in html and "Op de man gespeeld." in html
    assert escape(konrad.text) in section(panel(client, vrijbrief), "panel-attackers-heading")


def test_a_pending_argument_is_404_to_all_but_its_author_and_the_moderators(client, graph, people):
    vrijbrief = graph["dejong-vrijbrief"]
    pending = argument_rebut(
        people["author"], vrijbrief, "Een tegenwerping die nog op goedkeuring wacht.", "attack"
    )
    Argument.objects.filter(pk=pending.pk).update(status=Argument.Status.PENDING)
    strength.refresh([pending.pk])

    assert client.get(panel_url(pending), headers=HX).status_code == 404
    assert client.get(panel_url(pending)).status_code == 404
    assert escape(pending.text) not in panel(client, vrijbrief)
    client.force_login(people["member"])
    assert client.get(panel_url(pending), headers=HX).status_code == 404

    client.force_login(people["author"])
    html = panel(client, pending)
    assert escape(pending.text) in html and "Dit bericht wacht op goedkeuring" in html
    assert escape(pending.text) in section(panel(client, vrijbrief), "panel-attackers-heading")
    client.force_login(people["moderator"])
    assert escape(pending.text) in panel(client, pending)


def test_an_unknown_argument_is_404(client, db):
    assert client.get("/arguments/999999/panel/", headers=HX).status_code == 404


def test_a_merged_duplicate_opens_the_argument_it_repeated(client, graph, people):
    konrad, capel = graph["konrad-geen-vrijbrief"], graph["capel-belanghebbenden"]
    merge_arguments(people["moderator"], konrad, capel, "Zegt hetzelfde.")

    fragment = client.get(panel_url(konrad), headers=HX, follow=True)
    plain = client.get(panel_url(konrad))

    assert fragment.redirect_chain == [(panel_url(capel), 302)]
    assert escape(capel.text) in fragment.content.decode()
    assert plain["Location"] == capel.get_absolute_url()


def test_claim_text_is_escaped(client, graph, people):
    vrijbrief = graph["dejong-vrijbrief"]
    claim = '<script>alert("x")</script> is geen <b>argument</b>'
    posted = argument_rebut(people["author"], vrijbrief, claim, "attack")

    own = panel(client, posted)
    parent = panel(client, vrijbrief)

    for html in (own, parent):
        assert "<script>alert" not in html and "<b>argument</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_in_a_locked_debate_it_shows_the_votes_but_takes_none(client, graph, people):
    vrijbrief = graph["dejong-vrijbrief"]
    Debate.objects.filter(slug=SLUG).update(status=Debate.Status.LOCKED)
    client.force_login(people["member"])

    html = panel(client, vrijbrief)

    assert "is gesloten" in html
    assert re.search(r'class="vote vote-up"[^>]*disabled', html)
    assert "/reply/?relation=attack" not in html


def test_a_member_sees_their_own_vote(client, graph, people):
    vrijbrief = graph["dejong-vrijbrief"]
    vote_cast(people["member"], vrijbrief, "down")
    client.force_login(people["member"])

    html = panel(client, vrijbrief)

    assert re.search(r'value="clear" class="vote vote-down"[^>]*aria-pressed="true"', html)


# What the panel costs: the argument (with its source and strength), its answers, the debates
# it is in (two: the walk up the links, then the debates). A member adds the session, the user
# (with whether they moderate: accounts.backends) and their vote; so does a moderator.
@pytest.mark.parametrize(("viewer", "queries"), [(None, 4), ("member", 7), ("moderator", 7)])
def test_its_query_count_does_not_grow_with_answers(
    client, graph, people, viewer, queries, django_assert_num_queries
):
    vrijbrief = graph["dejong-vrijbrief"]
    if viewer:
        client.force_login(people[viewer])
    with django_assert_num_queries(queries):
        panel(client, vrijbrief)
    for n in range(12):
        relation = "attack" if n % 2 else "support"
        answer = Argument.objects.create(text=f"Antwoord nummer {n} op de vrijbrief.")
        Link.objects.create(source=answer, target=vrijbrief, relation=relation)
    hidden = Argument.objects.create(
        text="Een verborgen antwoord.", status=Argument.Status.HIDDEN, moderation_reason="Spam."
    )
    Link.objects.create(source=hidden, target=vrijbrief, relation="attack")
    strength.refresh_all()

    with django_assert_num_queries(queries):
        html = panel(client, vrijbrief)

    attackers = section(html, "panel-attackers-heading")
    assert attackers.count("<li>") == 5  # the strongest few; the argument page has them all
    assert f'href="{vrijbrief.get_absolute_url()}#attacked-by-heading"' in attackers


def test_every_highlight_links_its_argument_page_and_opens_the_panel(
    client, graph, django_assert_num_queries
):
    with django_assert_num_queries(3):  # as pinned in tests/articles/test_pages.py
        html = client.get(DE_JONG).content.decode()

    link = r'<a class="quote(?:-marker)?" id="argument-(\d+)" href="([^"]+)" hx-get="([^"]+)"'
    links = re.findall(link + r' hx-target="([^"]+)"', html)
    extracted = Argument.objects.published().filter(article=graph["dejong-vrijbrief"].article)
    assert len(links) == extracted.count()
    for pk, href, hx_get, target in links:
        assert href == f"/arguments/{pk}/"
        assert hx_get == f"/arguments/{pk}/panel/"
        assert target == "#reading-panel"
    assert '<div id="reading-panel" class="reading-panel"></div>' in html
    assert re.search(r'<script src="/static/js/panel\.js" defer></script>', html)
