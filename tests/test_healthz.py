import pytest
from django.db import connection


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
def test_with_the_database_down_a_page_answers_503_and_recovers(client, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    real = CursorWrapper.execute

    def down(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)
    response = client.get("/debates/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "niet bereikbaar" in response.content.decode()

    monkeypatch.setattr(CursorWrapper, "execute", real)
    assert client.get("/debates/").status_code == 200
