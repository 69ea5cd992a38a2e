import pytest
from django.db import connection
from django.test import Client


@pytest.mark.django_db
def test_it_answers_ok_when_the_database_is_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_is_unreachable(client, django_db_blocker, monkeypatch):
    # A real connection attempt to a socket directory where no server listens.
    with django_db_blocker.unblock():
        connection.close()
        monkeypatch.setitem(connection.settings_dict, "HOST", "/nonexistent-socket-dir")
        try:
            response = client.get("/healthz")
        finally:
            connection.close()

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


@pytest.mark.django_db
def test_it_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize("path", ["/healthz", "/", "/debates/", "/articles/", "/search/?q=klant"])
def test_head_works_wherever_get_does(client, db, path):
    response = client.head(path)
    assert response.status_code == 200
    assert response.content == b""


def test_a_wrong_address_gets_the_sites_own_not_found_page(client, db, settings):
    settings.DEBUG = False
    response = client.get("/bestaat-niet/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in html and 'href="/debates/"' in html
    assert "URLconf" not in html  # not Django's technical page


@pytest.mark.django_db(transaction=True)  # the middleware drops the connection, as in production
def test_with_the_database_down_a_page_answers_503_and_recovers(monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    real = CursorWrapper.execute

    def down(self, sql, params=None):
        raise OperationalError("connection refused")

    client = Client(raise_request_exception=False)  # as a server: the answer, not the error

    monkeypatch.setattr(CursorWrapper, "execute", down)
    response = client.get("/debates/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "niet bereikbaar" in response.content.decode()

    monkeypatch.setattr(CursorWrapper, "execute", real)
    assert client.get("/debates/").status_code == 200


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.django_db(transaction=True)
def test_with_the_database_unreachable_every_page_answers_503_for_readers_and_members(
    settings, debug
):
    """A real connection failure (no server at that socket), wherever it strikes: the view, the
    session and the member loaded before it, the session saved after it; under DEBUG as well."""
    from tests.factories import UserFactory

    settings.DEBUG = debug
    client, member = Client(raise_request_exception=False), Client(raise_request_exception=False)
    member.force_login(UserFactory(username="anna"))
    pages = ["/", "/debates/", "/articles/", "/search/?q=klant", "/arguments/1/"]
    host = connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"] = "/nonexistent-socket-dir"
    try:
        answers = [browser.get(page) for page in pages for browser in (client, member)]
        answers.append(member.get("/accounts/contributions/"))
        answers.append(client.post("/accounts/login/", {"username": "anna", "password": "x"}))
        answers.append(member.post("/arguments/1/vote/", {"value": "up"}))
        answers.append(client.head("/debates/"))
        answers.append(client.get("/healthz"))
    finally:
        connection.close()
        connection.settings_dict["HOST"] = host

    assert [answer.status_code for answer in answers] == [503] * len(answers)
    for answer in answers[:-2]:
        assert answer["Retry-After"] == "30"
        assert "Tegenspraak is even niet bereikbaar" in answer.content.decode()
        assert "Traceback" not in answer.content.decode()
    # Back up: no restart needed.
    assert member.get("/debates/").status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_pages_come_compressed_to_browsers_that_ask(client):
    import gzip

    plain = client.get("/debates/moet-de-klant-centraal-staan/")
    packed = client.get("/debates/moet-de-klant-centraal-staan/", HTTP_ACCEPT_ENCODING="gzip")

    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) * 4 < len(plain.content)
    assert gzip.decompress(packed.content).decode().count(
        "<article"
    ) == plain.content.decode().count("<article")
