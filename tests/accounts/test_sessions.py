"""A member's session, read by accounts.sessions: kept while it lasts, gone once it expires."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import UserFactory


def test_a_member_stays_signed_in_until_the_session_expires(client, db):
    member = UserFactory(username="sessielid")
    client.force_login(member)
    assert "sessielid" in client.get("/debates/").content.decode()

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    page = client.get("/debates/").content.decode()
    assert "sessielid" not in page
    assert "Inloggen" in page or "Log in" in page


@pytest.mark.parametrize(
    "key", ["x" * 32, "\x00" + "a" * 31, "١٢٣٤٥٦٧٨٩٠abcdefgh".encode().decode("latin-1"), "a;b" * 4]
)
def test_a_made_up_session_cookie_signs_nobody_in(client, db, key):
    client.cookies["sessionid"] = key
    response = client.get("/debates/")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous
