"""A member rewords their own post until someone votes on it or answers it."""

import pytest
from django.contrib.auth import get_user_model

from debates.models import Argument, Revision
from debates.moderation.services import edit_argument
from debates.services import argument_rebut, vote_cast
from tests.factories import ArgumentFactory, UserFactory

FIRST = "Een vrijbrief is het alleen als niemand verantwoording aflegt."
BETTER = "Een vrijbrief wordt het pas als niemand nog verantwoording aflegt."


@pytest.fixture
def posted(db):
    """A member's rebuttal, as they posted it."""
    return argument_rebut(UserFactory(), ArgumentFactory(), FIRST, "attack")


def test_the_author_rewords_and_the_history_keeps_the_first_wording(client, posted):
    client.force_login(posted.author)
    page = client.get(posted.get_absolute_url()).content.decode()
    assert f'href="/arguments/{posted.pk}/edit/"' in page

    response = client.post(f"/arguments/{posted.pk}/edit/", {"text": BETTER})

    assert response.status_code == 302 and response["Location"] == posted.get_absolute_url()
    posted.refresh_from_db()
    assert posted.text == BETTER and posted.edited_at is not None
    assert Revision.objects.get(argument=posted).text == FIRST
    history = client.get(f"/arguments/{posted.pk}/revisions/").content.decode()
    assert FIRST in history


def test_no_rewording_once_someone_voted_or_answered(client, posted):
    vote_cast(UserFactory(), posted, "down")
    client.force_login(posted.author)

    assert (
        f"/arguments/{posted.pk}/edit/"
        not in client.get(posted.get_absolute_url()).content.decode()
    )
    html = client.post(f"/arguments/{posted.pk}/edit/", {"text": BETTER}).content.decode()

    assert "Alleen de auteur kan een bijdrage herformuleren" in html
    assert Argument.objects.get(pk=posted.pk).text == FIRST


def test_others_cannot_reword_and_bad_text_is_refused(client, posted):
    client.force_login(UserFactory())
    assert client.post(f"/arguments/{posted.pk}/edit/", {"text": BETTER}).status_code == 404
    client.logout()
    anonymous = client.post(f"/arguments/{posted.pk}/edit/", {"text": BETTER})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

    client.force_login(posted.author)
    html = client.post(f"/arguments/{posted.pk}/edit/", {"text": "kort"}).content.decode()
    assert "Schrijf minstens 15 tekens" in html
    assert Argument.objects.get(pk=posted.pk).text == FIRST


def test_votes_on_an_earlier_wording_are_marked(client, posted):
    vote_cast(UserFactory(), posted, "up")
    moderator = get_user_model().objects.create_superuser("mod", password="een-lang-wachtwoord-12")
    edit_argument(moderator, posted, BETTER, "Spelfout")

    html = client.get(posted.get_absolute_url()).content.decode()

    assert "1 stem is uitgebracht op een eerdere formulering." in html
