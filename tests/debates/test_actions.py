"""Voting, replying and linking over HTTP: HTMX and plain, members and anonymous visitors."""

from urllib.parse import quote

import pytest
from django.test import Client

from debates.models import Argument, Link
from debates.services import vote_cast
from tests.factories import ArgumentFactory, DebateFactory, LinkFactory, UserFactory

HX = {"HX-Request": "true"}
DEBATE = "/debates/is-klantgerichtheid-het-slechtste-idee/"


@pytest.fixture
def member(db):
    return UserFactory(username="marieke")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def debate(db):
    return DebateFactory()


@pytest.fixture
def target(debate):
    """The argument members vote on and answer: it supports the debate's thesis."""
    return LinkFactory(target=debate.thesis, relation=Link.Relation.SUPPORT).source


def exported(client, debate):
    data = client.get(f"/debates/{debate.slug}/export.json").json()
    return {argument["id"]: argument for argument in data["arguments"]}, data["links"]


def test_an_anonymous_vote_goes_to_the_login_page_and_back(client, debate, target):
    page = debate.get_absolute_url()

    response = client.post(f"/arguments/{target.pk}/vote/", {"value": "up", "next": page})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(page, safe='')}"
    htmx = client.post(f"/arguments/{target.pk}/vote/", {"value": "up"}, headers=HX)
    assert htmx.headers["HX-Redirect"].startswith("/accounts/login/?next=")
    assert not target.votes.exists()


def test_a_plain_vote_redirects_back_and_moves_the_export(member_client, debate, target):
    page = debate.get_absolute_url()

    response = member_client.post(f"/arguments/{target.pk}/vote/", {"value": "up", "next": page})

    assert response.status_code == 302 and response["Location"] == page
    arguments, _ = exported(member_client, debate)
    assert arguments[target.pk]["votes"] == {"up": 1, "down": 0}
    assert "Je stem is geteld." in member_client.get(page).content.decode()


def test_an_htmx_vote_swaps_the_widget_with_the_members_vote(member_client, debate, target):
    html = member_client.post(
        f"/arguments/{target.pk}/vote/", {"value": "down"}, headers=HX
    ).content.decode()

    assert "<html" not in html and 'class="votes"' in html
    assert 'value="clear" class="vote vote-down"' in html  # pressing it again withdraws
    assert 'aria-pressed="true"' in html and "Je stemde tegen." in html
    arguments, _ = exported(member_client, debate)
    assert arguments[target.pk]["votes"] == {"up": 0, "down": 1}
    html = member_client.post(
        f"/arguments/{target.pk}/vote/", {"value": "clear"}, headers=HX
    ).content.decode()
    assert "Je stem is ingetrokken." in html
    assert exported(member_client, debate)[0][target.pk]["votes"] == {"up": 0, "down": 0}


def test_a_vote_on_a_hidden_argument_is_refused(member_client, target):
    Argument.objects.filter(pk=target.pk).update(status="hidden")

    response = member_client.post(f"/arguments/{target.pk}/vote/", {"value": "up"}, headers=HX)

    assert "niet open" in response.content.decode()
    assert not target.votes.exists()


def test_a_vote_on_what_the_member_cannot_see_is_not_found_and_on_their_own_waiting_post_refused(
    member, member_client, target
):
    others = ArgumentFactory(text="Een bijdrage van een ander die nog wacht.", status="pending")
    merged = ArgumentFactory(
        text="Een herhaling die is samengevoegd.", status="merged", merged_into=target
    )
    for unseen in (others, merged):
        response = member_client.post(f"/arguments/{unseen.pk}/vote/", {"value": "up"}, headers=HX)
        assert response.status_code == 404
    mine = ArgumentFactory(
        text="Mijn eigen bijdrage die nog wacht.", status="pending", author=member
    )
    response = member_client.post(f"/arguments/{mine.pk}/vote/", {"value": "up"}, headers=HX)
    assert "niet open" in response.content.decode()
    assert not member.votes.exists()
    counts = Argument.objects.filter(pk__in=[others.pk, merged.pk, mine.pk]).values_list(
        "up_votes", flat=True
    )
    assert list(counts) == [0, 0, 0]


def test_a_post_without_csrf_token_is_forbidden(member, target):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    for url, data in [
        (f"/arguments/{target.pk}/vote/", {"value": "up"}),
        (
            f"/arguments/{target.pk}/replies/",
            {"text": "Een weerlegging zonder token.", "relation": "attack"},
        ),
        (
            f"/arguments/{target.pk}/links/",
            {"argument": ArgumentFactory().pk, "relation": "attack"},
        ),
    ]:
        assert client.post(url, data).status_code == 403
        assert client.post(url, data, headers=HX).status_code == 403
    assert not target.votes.exists() and not target.incoming.exists()


def test_a_rebuttal_appears_in_the_debate_and_the_export(member_client, debate, target):
    page = debate.get_absolute_url()
    text = "Een vrijbrief is het alleen voor wie verantwoordelijkheid afschuift."

    response = member_client.post(
        f"/arguments/{target.pk}/replies/", {"text": text, "relation": "attack", "next": page}
    )

    assert response.status_code == 302 and response["Location"] == page
    posted = Argument.objects.get(text=text)
    arguments, links = exported(member_client, debate)
    assert arguments[posted.pk]["author"] == "marieke"
    assert {"from": posted.pk, "to": target.pk, "relation": "attack"} in links
    assert text in member_client.get(page).content.decode()


def test_an_htmx_rebuttal_answers_with_the_fragment(member_client, target):
    text = "Steun: de klant centraal zetten kan de verantwoordelijkheid verschuiven."

    html = member_client.post(
        f"/arguments/{target.pk}/replies/", {"text": text, "relation": "support"}, headers=HX
    ).content.decode()

    assert "<html" not in html and "Je steunende argument is geplaatst" in html and text in html


def test_a_script_payload_is_shown_escaped_and_exported_as_an_attack(member_client, debate, target):
    payload = '<script>alert("xss")</script> is geen argument'

    member_client.post(f"/arguments/{target.pk}/replies/", {"text": payload, "relation": "attack"})

    posted = Argument.objects.get(author__username="marieke")
    for url in [posted.get_absolute_url(), debate.get_absolute_url(), target.get_absolute_url()]:
        html = member_client.get(url).content.decode()
        assert '<script>alert("xss")</script>' not in html
        assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html, url
    _, links = exported(member_client, debate)
    assert {"from": posted.pk, "to": target.pk, "relation": "attack"} in links


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Schrijf je argument."),
        ("     ", "Schrijf je argument."),
        ("x" * 5000, "Houd het bij 500 tekens"),
        ("Te kort", "Schrijf minstens 15 tekens"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HX])
def test_bad_texts_are_refused_in_place_and_nothing_is_stored(
    member_client, target, text, error, headers
):
    before = Argument.objects.count(), Link.objects.count()

    response = member_client.post(
        f"/arguments/{target.pk}/replies/", {"text": text, "relation": "attack"}, headers=headers
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert error in html and 'aria-invalid="true"' in html
    assert ("<html" in html) == (not headers)
    assert (Argument.objects.count(), Link.objects.count()) == before


def test_the_same_text_twice_is_refused(member_client, target):
    existing = ArgumentFactory().text

    html = member_client.post(
        f"/arguments/{target.pk}/replies/", {"text": existing, "relation": "attack"}, headers=HX
    ).content.decode()

    assert "Dit argument bestaat al" in html


def test_similar_arguments_appear_while_typing_five_at_most(client, target):
    alike = [
        ArgumentFactory(text=f"Klantgerichtheid is geen vrijbrief voor alles, zegt lid {n}.")
        for n in range(7)
    ]

    html = client.get(
        f"/arguments/{target.pk}/similar/",
        {"text": "klantgerichtheid is geen vrijbrief voor alles"},
    ).content.decode()

    assert alike[0].text in html
    assert html.count("Koppel deze in plaats daarvan") == 5


def test_linking_an_existing_argument_and_refusing_a_self_link(member_client, target):
    other = ArgumentFactory()

    response = member_client.post(
        f"/arguments/{target.pk}/links/", {"argument": other.pk, "relation": "attack"}
    )
    assert response.status_code == 302
    assert Link.objects.filter(source=other, target=target, relation="attack").exists()

    html = member_client.post(
        f"/arguments/{target.pk}/links/", {"argument": target.pk, "relation": "attack"}, headers=HX
    ).content.decode()
    assert "kan zichzelf niet aanvallen of steunen" in html
    assert not Link.objects.filter(source=target, target=target).exists()


def test_the_link_picker_finds_candidates_with_and_without_htmx(client, target):
    candidate = ArgumentFactory(
        text="De zelfscankassa schuift het werk van de winkel naar de klant."
    )
    query = {"q": "zelfscankassa"}

    page = client.get(f"/arguments/{target.pk}/link/", query).content.decode()
    fragment = client.get(
        f"/arguments/{target.pk}/link/", {**query, "fragment": "candidates"}, headers=HX
    ).content.decode()

    assert "<html" in page and candidate.text in page
    assert "<html" not in fragment and candidate.text in fragment
    assert 'name="relation" value="attack"' in fragment


def test_over_the_limit_is_429_with_a_message_in_place(member_client, settings, steady_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "vote": (2, 60)}
    a, b, c = ArgumentFactory.create_batch(3)
    member_client.post(f"/arguments/{a.pk}/vote/", {"value": "up"}, headers=HX)
    member_client.post(f"/arguments/{b.pk}/vote/", {"value": "up"}, headers=HX)

    htmx = member_client.post(f"/arguments/{c.pk}/vote/", {"value": "up"}, headers=HX)
    plain = member_client.post(f"/arguments/{c.pk}/vote/", {"value": "up"})

    assert htmx.status_code == 429 and "Je hebt 2 keer gestemd" in htmx.content.decode()
    assert plain.status_code == 429 and "Je hebt 2 keer gestemd" in plain.content.decode()
    assert not c.votes.exists()


@pytest.mark.parametrize("sort", ["strongest", "votes", "newest", "disputed"])
def test_the_debate_sorts_and_swaps_in_place(client, graph, sort, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        page = client.get(DEBATE, {"sort": sort})
    fragment = client.get(DEBATE, {"sort": sort}, headers={**HX, "HX-Target": "sides"})

    assert 'aria-current="true"' in page.content.decode()
    html = fragment.content.decode()
    assert "<html" not in html and 'id="sides"' in html


def test_strongest_ranks_by_the_wilson_bound(member_client, graph):
    users = UserFactory.create_batch(6)
    weak, strong = (
        graph["vanleeuwen-op-een-hoop"],
        graph["vanleeuwen-niet-de-nadelen-van-kapitalisme"],
    )
    vote_cast(users[0], weak, "up")  # 1 up, 0 down
    for user in users[1:]:
        vote_cast(user, strong, "up")  # 5 up

    html = member_client.get(DEBATE, {"sort": "strongest"}).content.decode()
    assert html.index(strong.text) < html.index(weak.text)


def test_similar_finds_an_existing_claim_inside_a_long_text(client, db):
    """A long text that begins like an existing claim finds it, though the whole text's
    trigram similarity to the short claim is far below the threshold."""
    target = ArgumentFactory()
    existing = ArgumentFactory(text="Een chatbot bespaart kosten maar kost vertrouwen bij klanten.")
    long_text = existing.text + (
        " Want wie met een machine praat, voelt zich niet gehoord, en dat merk je aan hoe vaak"
        " mensen alsnog bellen, mailen of boos weglopen naar een concurrent die wel luistert."
        " Zo verlies je uiteindelijk meer dan je ooit met die besparing hebt gewonnen."
    )
    response = client.get(f"/arguments/{target.pk}/similar/", {"text": long_text})
    assert existing.text in response.content.decode()
