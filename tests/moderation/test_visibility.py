"""Who sees what: readers, the author of a waiting post, moderators."""

import pytest
from django.contrib.auth import get_user_model

from debates.models import Argument, Debate
from debates.moderation.services import moderate_argument, set_debate_status
from debates.services import argument_rebut

DEBATE = "/debates/is-klantgerichtheid-het-slechtste-idee/"
SHOUT = "DIT IS ECHT ONZIN EN DAT WEET IEDEREEN ALLANG"


@pytest.fixture
def people(db):
    users = get_user_model().objects
    return {
        "author": users.create_user("schrijver", password="een-lang-wachtwoord-3"),
        "other": users.create_user("ander", password="een-lang-wachtwoord-4"),
        "moderator": users.create_superuser("mod", password="een-lang-wachtwoord-5"),
    }


def page(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_a_held_post_is_seen_by_its_author_and_moderators_only(client, graph, people):
    held = argument_rebut(people["author"], graph["dejong-vrijbrief"], SHOUT, "attack")
    assert held.status == Argument.Status.PENDING

    for user in (people["author"], people["moderator"]):
        html = page(client, user, DEBATE).content.decode()
        assert SHOUT in html and "wacht op goedkeuring" in html
        assert page(client, user, held.get_absolute_url()).status_code == 200
    author_view = page(client, people["author"], held.get_absolute_url()).content.decode()
    assert "Dit bericht wacht op goedkeuring door een moderator" in author_view
    for user in (None, people["other"]):
        assert SHOUT not in page(client, user, DEBATE).content.decode()
        assert page(client, user, held.get_absolute_url()).status_code == 404


def test_moderators_still_see_hidden_arguments_marked(client, graph, people):
    hidden = graph["konrad-geen-vrijbrief"]
    moderate_argument(people["moderator"], hidden, "hide", "Test")

    html = page(client, people["moderator"], DEBATE).content.decode()
    assert hidden.text in html and 'class="badge badge-hidden"' in html
    assert hidden.text not in page(client, people["other"], DEBATE).content.decode()


def test_a_locked_debate_offers_no_reply_forms_and_says_why(client, graph, people):
    debate = Debate.objects.get(slug="is-klantgerichtheid-het-slechtste-idee")
    before = page(client, people["other"], DEBATE).content.decode()
    assert "Weerleggen" in before

    set_debate_status(people["moderator"], debate, "lock", "Het loopt uit de hand")

    html = page(client, people["other"], DEBATE).content.decode()
    assert "is gesloten: voorlopig geen berichten, koppelingen of stemmen" in html
    assert "Weerleggen" not in html
    argument_page = page(client, people["other"], graph["dejong-vrijbrief"].get_absolute_url())
    assert "is gesloten" in argument_page.content.decode()


def test_a_hidden_argument_leaves_a_placeholder_and_its_answers_keep_their_context(
    client, graph, people
):
    vrijbrief, konrad = graph["dejong-vrijbrief"], graph["konrad-geen-vrijbrief"]
    moderate_argument(people["moderator"], vrijbrief, "hide", "Te scherp geformuleerd")

    html = page(client, None, DEBATE).content.decode()

    assert vrijbrief.text not in html
    assert "Verborgen door de moderatie op" in html and "Te scherp geformuleerd" in html
    assert konrad.text in html  # the answer to the hidden argument is still there
    assert f'href="{vrijbrief.get_absolute_url()}"' not in html
    exported = client.get(f"{DEBATE}export.json").json()
    assert vrijbrief.pk not in {argument["id"] for argument in exported["arguments"]}
