"""Nothing of an argument a member may not see comes back from any address: not its wording,
not that it exists."""

import pytest
from django.contrib.auth import get_user_model

from debates.models import Argument, Debate
from debates.services import argument_rebut

SLUG = "is-klantgerichtheid-het-slechtste-idee"
HX = {"HX-Request": "true"}
SECRET = "Een geheim bezwaar dat nog op de moderatie wacht."


@pytest.fixture
def waiting(graph):
    Debate.objects.filter(slug=SLUG).update(premoderated=True)
    author = get_user_model().objects.create_user("auteur", password="een-lang-wachtwoord-1")
    post = argument_rebut(author, graph["dejong-vrijbrief"], SECRET, "attack")
    assert post.status == Argument.Status.PENDING
    return post


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_answering_anothers_waiting_post_shows_nothing_of_it(client, waiting, htmx):
    client.force_login(get_user_model().objects.create_user("nieuwsgierig"))
    headers = HX if htmx else {}
    for url, data in [
        (f"/arguments/{waiting.pk}/replies/", {"text": "kort", "relation": "attack"}),
        (
            f"/arguments/{waiting.pk}/replies/",
            {"text": "Een antwoord dat lang genoeg is.", "relation": "attack"},
        ),
        (f"/arguments/{waiting.pk}/vote/", {"value": "up"}),
        (f"/arguments/{waiting.pk}/links/", {"argument": waiting.pk - 1, "relation": "attack"}),
    ]:
        response = client.post(url, data, headers=headers)
        assert SECRET not in response.content.decode(), url
        assert response.status_code == 404, url


def test_answering_a_hidden_post_shows_not_its_wording(client, graph):
    from debates.moderation.services import moderate_argument

    hidden = graph["konrad-geen-vrijbrief"]
    boss = get_user_model().objects.create_superuser("baas", password="een-lang-wachtwoord")
    moderate_argument(boss, hidden, "hide", "Persoonlijke aanval.")
    client.force_login(get_user_model().objects.create_user("nieuwsgierig"))
    for htmx in ({}, HX):
        response = client.post(
            f"/arguments/{hidden.pk}/replies/", {"text": "kort", "relation": "attack"}, headers=htmx
        )
        assert hidden.text not in response.content.decode()
        assert response.status_code == 404
        # A vote on it (its placeholder is public) is refused with a reason, not its wording.
        refused = client.post(f"/arguments/{hidden.pk}/vote/", {"value": "up"}, headers=HX)
        assert "niet open" in refused.content.decode()
        assert hidden.text not in refused.content.decode()


def test_merging_a_hidden_post_does_not_publish_its_wording_in_the_public_log(client, graph):
    from debates.moderation.services import merge_arguments, moderate_argument

    offensive, kept = graph["konrad-geen-vrijbrief"], graph["dejong-vrijbrief"]
    boss = get_user_model().objects.create_superuser("baas", password="een-lang-wachtwoord")
    member = get_user_model().objects.create_user("lid")
    published = argument_rebut(member, kept, "Een openbaar antwoord dat dubbel blijkt.", "attack")
    moderate_argument(boss, offensive, "hide", "Persoonlijke aanval.")
    merge_arguments(boss, offensive, kept, "Zegt hetzelfde.")
    moderate_argument(boss, published, "hide", "Even kijken.")  # on the debate's public log
    moderate_argument(boss, published, "restore", "Toch in orde.")
    merge_arguments(boss, published, graph["capel-belanghebbenden"], "Een dubbel.")

    for slug in {debate.slug for debate in Debate.objects.all()}:
        html = client.get(f"/debates/{slug}/log/").content.decode()
        assert offensive.text[:60] not in html, slug
    # A duplicate that was public when merged stays readable there, as before.
    logs = [client.get(f"/debates/{d.slug}/log/").content.decode() for d in Debate.objects.all()]
    assert any(published.text[:60] in html for html in logs)
