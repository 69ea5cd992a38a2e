"""Debate, argument and article pages: what a reader sees, and what it costs."""

import random
import re
import time

import pytest
from django.urls import reverse

from debates.models import Argument, Debate, Link

MAIN = "/debates/moet-de-klant-centraal-staan/"
DE_JONG_DEBATE = "/debates/is-klantgerichtheid-het-slechtste-idee/"
DE_JONG = "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"


def test_the_debate_list_links_every_debate(client, graph, django_assert_max_num_queries):
    # The content's version, each debate's version; the debates, and for their standings all
    # their graphs at once: reach, arguments, links. Then the page is rendered: the next reader
    # costs the version only.
    with django_assert_max_num_queries(6):
        html = client.get("/debates/").content.decode()
    with django_assert_max_num_queries(1):
        again = client.get("/debates/").content.decode()
    assert again.split("<main")[1] == html.split("<main")[1]  # the same page (a fresh nonce)

    for debate in Debate.objects.all():
        assert f'href="{debate.get_absolute_url()}"' in html
    assert "Moet de klant centraal staan?" in html


def test_a_debate_shows_the_thesis_and_the_arguments_for_and_against(client, graph):
    response = client.get(DE_JONG_DEBATE)

    html = response.content.decode()
    assert response.status_code == 200
    thesis = graph["dejong-slechtste-idee"]
    assert thesis.text in html
    pros = html[html.index('id="pros-heading"') : html.index('id="cons-heading"')]
    cons = html[html.index('id="cons-heading"') :]
    assert graph["dejong-vrijbrief"].text in pros  # supports the thesis
    assert graph["vanleeuwen-op-een-hoop"].text in cons  # Sjors van Leeuwen attacks it
    # Counterarguments one level deep under each argument: Konrad answers the vrijbrief.
    assert graph["konrad-geen-vrijbrief"].text in pros
    # Each answer says what it does to the argument above it and which side that puts it on.
    assert 'valt aan</span> <span class="side-label side-label-against">tegen de stelling' in pros
    assert 'valt aan</span> <span class="side-label side-label-against">tegen de stelling' in cons
    assert 'href="/debates/is-klantgerichtheid-het-slechtste-idee/export.json"' in html


def test_a_deeper_level_expands_in_place_and_by_a_plain_link(client, graph):
    vrijbrief = graph["dejong-vrijbrief"]
    node = reverse("debates:node", args=["is-klantgerichtheid-het-slechtste-idee", vrijbrief.pk])

    fragment = client.get(node, headers={"HX-Request": "true"}).content.decode()
    page = client.get(node).content.decode()

    assert "<html" not in fragment
    assert graph["konrad-geen-vrijbrief"].text in fragment
    assert "<html" in page and graph["konrad-geen-vrijbrief"].text in page
    # On the debate page, second-level answers that have answers of their own expand.
    html = client.get(DE_JONG_DEBATE).content.decode()
    expanders = re.findall(r'<a class="expand" href="([^"]+)"\s+hx-get="([^"]+)"', html)
    assert expanders and all(href == hx_get for href, hx_get in expanders)
    assert all(client.get(href).status_code == 200 for href, _ in expanders[:3])


def test_an_argument_outside_the_debate_is_404_there(client, graph):
    outside = graph["ivorentoren-forrester"]
    url = reverse("debates:node", args=["is-klantgerichtheid-het-slechtste-idee", outside.pk])
    assert client.get(url).status_code == 404


def test_the_argument_page_shows_quote_links_and_debates(client, graph):
    vrijbrief = graph["dejong-vrijbrief"]

    html = client.get(vrijbrief.get_absolute_url()).content.decode()

    assert vrijbrief.text in html
    assert vrijbrief.quote.replace("‘", "&lsquo;") in html or vrijbrief.quote in html
    assert f'href="{DE_JONG}#argument-{vrijbrief.pk}"' in html
    attacked_by = html[html.index('id="attacked-by-heading"') : html.index('id="supported-by')]
    assert graph["konrad-geen-vrijbrief"].text in attacked_by
    supports = html[html.index('id="supports-heading"') : html.index('id="debates-heading"')]
    assert graph["dejong-slechtste-idee"].text in supports
    debates = html[html.index('id="debates-heading"') :]
    assert "Moet de klant centraal staan?" in debates
    assert "Is klantgerichtheid het slechtste idee van de 21ste eeuw?" in debates


def test_a_comment_argument_links_to_its_place_in_the_comment(client, graph):
    konrad = graph["konrad-geen-vrijbrief"]

    html = client.get(konrad.get_absolute_url()).content.decode()

    assert "Lees het in de reactie van Kris Konrad" in html
    article = client.get(DE_JONG).content.decode()
    comment = article[article.index('id="reactie-7"') : article.index('id="reactie-8"')]
    assert f'id="argument-{konrad.pk}" href="/arguments/{konrad.pk}/"' in comment


def test_the_article_page_links_every_quote_where_it_stands(client, graph):
    html = client.get(DE_JONG).content.decode()

    extracted = Argument.objects.filter(article__slug=DE_JONG.split("/")[2])
    anchors = set(re.findall(r'<a class="quote" id="argument-(\d+)" href="/arguments/\1/"', html))
    assert anchors == {str(argument.pk) for argument in extracted}
    assert len(anchors) >= 24


def test_a_hidden_argument_is_not_shown(client, graph):
    konrad = graph["konrad-geen-vrijbrief"]
    konrad.status = Argument.Status.HIDDEN
    konrad.save()

    assert konrad.text not in client.get(konrad.get_absolute_url()).content.decode()
    assert konrad.text not in client.get(DE_JONG_DEBATE).content.decode()
    assert f"argument-{konrad.pk}" not in client.get(DE_JONG).content.decode()


@pytest.mark.parametrize("url", [MAIN, DE_JONG_DEBATE, DE_JONG])
def test_pages_take_a_fixed_number_of_queries(client, graph, url, django_assert_max_num_queries):
    # A debate: the debate, its arguments' ids, the arguments, the links, and which arguments
    # stand in a locked or archived debate (their buttons are greyed out).
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200


def test_the_argument_page_takes_a_fixed_number_of_queries(
    client, graph, django_assert_max_num_queries
):
    # 6 for the argument and what it is linked to, 3 for why it has its strength.
    with django_assert_max_num_queries(9):
        client.get(graph["dejong-slechtste-idee"].get_absolute_url())


def generated_debate(size: int) -> Debate:
    """A thesis and size-1 arguments in a random graph with a few cycles."""
    rng = random.Random(7)
    arguments = Argument.objects.bulk_create(
        Argument(text=f"Gegenereerd argument {n}") for n in range(size)
    )
    links, pairs = [], set()
    for n in range(1, size):
        target = arguments[rng.randrange(0, n)]
        links.append(
            Link(source=arguments[n], target=target, relation=rng.choice(["attack", "support"]))
        )
        pairs.add(frozenset((arguments[n].pk, target.pk)))
    for _ in range(20):  # back edges: cycles
        a, b = rng.sample(arguments[1:], 2)
        if frozenset((a.pk, b.pk)) not in pairs:
            pairs.add(frozenset((a.pk, b.pk)))
            links.append(Link(source=a, target=b, relation="attack"))
    Link.objects.bulk_create(links)
    return Debate.objects.create(slug="groot", title="Groot debat?", thesis=arguments[0])


@pytest.mark.django_db
def test_a_debate_of_a_thousand_arguments_takes_the_same_queries(
    client, django_assert_max_num_queries
):
    debate = generated_debate(1000)

    with django_assert_max_num_queries(5):
        started = time.perf_counter()
        response = client.get(debate.get_absolute_url())
        elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert "999 argumenten onder de stelling" in response.content.decode()  # the thesis aside
    print(f"\n1,000-argument debate page: {elapsed * 1000:.0f} ms server time")
