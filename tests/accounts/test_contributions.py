"""My contributions: a member's own arguments and votes, at a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from debates.models import Argument, Vote
from tests.factories import ArgumentFactory, LinkFactory, UserFactory, VoteFactory

URL = "/accounts/contributions/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna():
    return UserFactory(username="anna")


@pytest.fixture
def bram():
    return UserFactory(username="bram")


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def add_contributions(member, how_many: int, prefix: str) -> None:
    """`how_many` arguments by the member, each answering a thesis, and as many votes."""
    thesis = ArgumentFactory()
    for _ in range(how_many):
        LinkFactory(source=ArgumentFactory(author=member), target=thesis)
        VoteFactory(user=member)


def test_it_sends_anonymous_readers_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Faccounts%2Fcontributions%2F"


def test_it_shows_the_members_arguments_with_status_and_votes(client, anna):
    thesis = ArgumentFactory()
    published = LinkFactory(source=ArgumentFactory(author=anna), target=thesis).source
    VoteFactory.create_batch(3, argument=published)
    VoteFactory(argument=published, value=Vote.DOWN)
    pending = ArgumentFactory(author=anna, status=Argument.Status.PENDING)
    hidden = ArgumentFactory(author=anna, status=Argument.Status.HIDDEN)
    client.force_login(anna)

    html = section(client.get(URL).content.decode(), "arguments-heading")

    assert "Je plaatste 3 argumenten." in html
    assert f'<a href="/arguments/{published.pk}/">{published.text}</a>' in html
    assert "4 stemmen: 3 voor, 1 tegen" in html
    assert f'Valt aan: <a href="/arguments/{thesis.pk}/">{thesis.text}</a>' in html
    # Waiting and hidden ones are marked and linked: their author may open them and read why.
    assert '<span class="badge">wacht op moderatie</span>' in html
    assert '<span class="badge">verborgen</span>' in html
    assert f"/arguments/{pending.pk}/" in html
    assert f"/arguments/{hidden.pk}/" in html
    assert client.get(f"/arguments/{hidden.pk}/").status_code == 200
    client.logout()
    readers_see = client.get(f"/arguments/{hidden.pk}/").content.decode()
    assert hidden.text not in readers_see and "Verborgen door de moderatie op" in readers_see
    assert "Lezers zien het zodra een moderator het goedkeurt." in html
    # Newest first.
    assert html.index(hidden.text) < html.index(pending.text) < html.index(published.text)


def test_it_shows_the_members_votes(client, anna):
    liked = VoteFactory(user=anna).argument
    vote = VoteFactory(user=anna, value=Vote.DOWN)
    disliked = vote.argument
    Vote.objects.filter(pk=vote.pk).update(updated_at=timezone.now() + timedelta(minutes=1))
    client.force_login(anna)

    html = section(client.get(URL).content.decode(), "votes-heading")

    assert "Je bracht 2 stemmen uit." in html
    assert f'<a href="/arguments/{liked.pk}/">{liked.text}</a>' in html
    assert html.index(disliked.text) < html.index("Je stemde tegen") < html.index(liked.text)
    assert html.index(liked.text) < html.index("Je stemde voor")
    assert "<time datetime=" in html


def test_it_shows_nothing_of_another_member(client, anna, bram):
    bram_argument = ArgumentFactory(author=bram)
    voted_by_bram = VoteFactory(user=bram).argument
    VoteFactory(user=bram, argument=bram_argument, value=Vote.DOWN)
    client.force_login(anna)

    html = client.get(URL).content.decode()

    assert bram_argument.text not in html
    assert voted_by_bram.text not in html
    assert "Je hebt nog geen argumenten geplaatst." in html
    assert "Je hebt nog niet gestemd." in html


def test_its_query_count_does_not_grow_with_the_contributions(
    client, anna, django_assert_max_num_queries
):
    client.force_login(anna)
    add_contributions(anna, 3, "eerst")
    # 7 for the page, 2 for the header's moderator check (the member's permissions), 1 for its
    # unread notifications.
    with django_assert_max_num_queries(10):
        few = client.get(URL)

    add_contributions(anna, 40, "daarna")
    with django_assert_max_num_queries(10):
        many = client.get(URL)

    assert few.content.decode().count("Valt aan:") == 3
    assert many.content.decode().count("Valt aan:") == 43
    assert many.content.decode().count("Je stemde voor") == 43


def test_it_pages_each_list_by_fifty(client, anna):
    add_contributions(anna, 51, "veel")
    client.force_login(anna)

    first = client.get(URL).content.decode()
    second = client.get(URL, {"votes_page": 2}).content.decode()

    votes = section(first, "votes-heading")
    assert votes.count("Je stemde voor") == 50
    assert "Pagina 1 van 2" in votes
    assert 'href="?votes_page=2#votes-heading"' in votes
    assert section(second, "votes-heading").count("Je stemde voor") == 1
    # Paging the votes keeps the arguments where they were.
    assert section(second, "arguments-heading").count("Valt aan:") == 50
