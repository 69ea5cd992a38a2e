"""A member's session, read by accounts.sessions: kept while it lasts, gone once it expires."""

import datetime

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


def test_a_made_up_session_cookie_signs_nobody_in(client, db):
    client.cookies["sessionid"] = "x" * 32
    assert client.get("/debates/").wsgi_request.user.is_anonymous
