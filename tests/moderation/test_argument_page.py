"""A moderator acts on an argument from its own page; readers see the outcome."""

from django.contrib.auth import get_user_model

from debates.models import ModerationAction


def test_a_moderator_hides_from_the_argument_page_and_readers_see_the_placeholder(client, graph):
    moderator = get_user_model().objects.create_superuser("mod", password="een-lang-wachtwoord-1")
    argument = graph["dejong-vrijbrief"]
    client.force_login(moderator)

    page = client.get(argument.get_absolute_url()).content.decode()
    assert 'id="moderate-heading"' in page and "queue-item" in page

    response = client.post(
        f"/moderation/arguments/{argument.pk}/hide/",
        {"reason": "Dubbel gepost", "next": argument.get_absolute_url()},
    )

    assert response.status_code == 302
    assert (
        "Verborgen door de moderatie op" in client.get(argument.get_absolute_url()).content.decode()
    )
    assert ModerationAction.objects.get(action="hide").reason == "Dubbel gepost"
    client.logout()
    readers_see = client.get(argument.get_absolute_url()).content.decode()
    assert argument.text not in readers_see
    assert "Verborgen door de moderatie op" in readers_see and "Dubbel gepost" in readers_see


def test_readers_and_members_see_no_moderation_forms(client, graph):
    argument = graph["dejong-vrijbrief"]
    assert 'id="moderate-heading"' not in client.get(argument.get_absolute_url()).content.decode()
    member = get_user_model().objects.create_user("lid", password="een-lang-wachtwoord-2")
    client.force_login(member)
    page = client.get(argument.get_absolute_url()).content.decode()
    assert 'id="moderate-heading"' not in page
    assert "Meld het aan de moderatoren" in page
