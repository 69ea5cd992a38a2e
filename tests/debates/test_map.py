"""The argument map: the whole debate as one outline, cycles and shared answers written once."""

import re

import pytest

from debates.graph import MAP_DEPTH
from debates.models import Argument, Debate, Link, arguments_reaching


def test_the_map_shows_every_argument_of_the_debate_once_in_full(
    client, graph, django_assert_max_num_queries
):
    debate = Debate.objects.get(slug="is-klantgerichtheid-het-slechtste-idee")

    with django_assert_max_num_queries(4):
        html = client.get(f"/debates/{debate.slug}/map/").content.decode()

    written_out = set(re.findall(r'<li id="map-(\d+)"', html))
    assert written_out == {str(pk) for pk in arguments_reaching(debate.thesis_id)}
    assert "86 argumenten onder de stelling" in html
    assert graph["konrad-geen-vrijbrief"].text in html


@pytest.mark.django_db
def test_cycles_and_deep_chains_end(client):
    chain = Argument.objects.bulk_create(
        Argument(text=f"Schakel {n} van een lange keten") for n in range(MAP_DEPTH + 5)
    )
    Link.objects.bulk_create(
        Link(source=chain[n + 1], target=chain[n], relation="attack") for n in range(len(chain) - 1)
    )
    Link.objects.create(source=chain[0], target=chain[3], relation="support")  # a cycle
    debate = Debate.objects.create(slug="keten", title="Keten?", thesis=chain[0])

    html = client.get("/debates/keten/map/").content.decode()

    assert f"Schakel {MAP_DEPTH} van" in html
    assert f"Schakel {MAP_DEPTH + 1} van" not in html  # beyond the depth: a link instead
    assert f'href="/debates/keten/arguments/{chain[MAP_DEPTH].pk}/"' in html
    assert 'class="map-repeat"' in html  # the thesis, met again through the cycle
    assert debate.get_absolute_url() in html
