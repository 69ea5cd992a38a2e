"""Log in and log out: Django's forms, a safe `next`, CSRF, and the throttle on failed attempts."""

import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client

from accounts.models import Backoff
from tests.factories import UserFactory

LOGIN, LOGOUT = "/accounts/login/", "/accounts/logout/"
PASSWORD = "Tegenspraak-wachtwoord-2025"

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna():
    return UserFactory(username="anna", password=PASSWORD)


@pytest.fixture
def bram():
    return UserFactory(username="bram", password=PASSWORD)


def log_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_it_shows_an_accessible_form(client):
    html = client.get(LOGIN).content.decode()

    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert "<h1>Inloggen</h1>" in html


def test_it_logs_in_and_follows_next(client, anna):
    response = client.post(
        LOGIN,
        {"username": "anna", "password": PASSWORD, "next": "/accounts/contributions/"},
        follow=True,
    )

    assert response.redirect_chain == [("/accounts/contributions/", 302)]
    assert int(client.session["_auth_user_id"]) == anna.pk
    assert "Je bent ingelogd als anna." in response.content.decode()


def test_it_carries_next_from_the_query_string_into_the_form(client):
    html = client.get(LOGIN, {"next": "/accounts/contributions/"}).content.decode()

    assert '<input type="hidden" name="next" value="/accounts/contributions/">' in html


def test_it_ignores_a_next_that_leaves_the_site(client, anna):
    page = client.get(LOGIN, {"next": "https://evil.example/"}).content.decode()
    response = client.post(
        LOGIN, {"username": "anna", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert 'value="https://evil.example/"' not in page
    assert response.status_code == 302
    assert response.url == "/"


def test_it_refuses_a_wrong_password_with_the_forms_error(client, anna):
    response = log_in(client, "anna", "not-the-password")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in." in html
    assert 'role="alert"' in html
    assert 'aria-describedby="form-errors"' in html
    assert not logged_in(client)


def test_it_logs_out_on_post_only(client, anna):
    client.force_login(anna)

    refused = client.get(LOGOUT)
    assert refused.status_code == 405
    assert logged_in(client)

    response = client.post(LOGOUT, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert not logged_in(client)
    assert "Je bent uitgelogd." in response.content.decode()


def test_it_sends_a_member_on_from_the_login_page(client, anna):
    client.force_login(anna)

    response = client.get(LOGIN, {"next": "/accounts/contributions/"})

    assert response.status_code == 302
    assert response.url == "/accounts/contributions/"


def test_it_needs_the_csrf_token(anna):
    browser = Client(enforce_csrf_checks=True)

    without = browser.post(LOGIN, {"username": "anna", "password": PASSWORD})
    page = browser.get(LOGIN).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    with_token = browser.post(
        LOGIN, {"username": "anna", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )

    assert without.status_code == 403
    assert with_token.status_code == 302


def attempts() -> dict[str, int]:
    """The failed log-ins counted per key, as the database holds them for every process."""
    return dict(Backoff.objects.values_list("key", "attempts"))


def time_passes(seconds: float) -> None:
    """As if `seconds` went by since every key's last attempt."""
    Backoff.objects.update(last_at=F("last_at") - timedelta(seconds=seconds))


def test_after_five_failures_the_next_attempt_waits_a_second_even_with_the_right_password(
    client, anna
):
    for attempt in ("wrong-1", "wrong-2", "wrong-3", "wrong-4", "wrong-5"):
        assert log_in(client, "anna", attempt).status_code == 200

    response = log_in(client, "anna", PASSWORD)

    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert "Te veel mislukte pogingen. Probeer het over 1 seconde opnieuw." in html
    assert "Voer een juiste gebruikersnaam" not in html  # one clear message, not two
    assert 'value="anna"' in html
    assert not logged_in(client)
    # A refused attempt is not counted; the counts are shared by every server process.
    assert attempts() == {
        "login-pair:anna|127.0.0.1": 5,
        "login-username:anna": 5,
        "login-address:127.0.0.1": 5,
    }
    # A wall would keep her out for a quarter of an hour; the delay lets her in a second later.
    time_passes(1)
    assert log_in(client, "anna").status_code == 302
    assert attempts() == {"login-address:127.0.0.1": 5}  # her success is not counted there


def test_the_wait_doubles_with_each_further_failure_up_to_fifteen_minutes(client, anna):
    for _attempt in range(5):
        log_in(client, "anna", "wrong")
    waits = []
    for _attempt in range(12):
        refused = log_in(client, "anna", "wrong")
        assert refused.status_code == 429
        waits.append(int(refused["Retry-After"]))
        time_passes(waits[-1])
        assert log_in(client, "anna", "wrong").status_code == 200  # counted, and refused

    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert "Probeer het over 15 minuten opnieuw." in log_in(client, "anna").content.decode()


def test_an_hour_without_attempts_forgets_the_failures(client, anna):
    for _attempt in range(8):
        log_in(client, "anna", "wrong")
        time_passes(10)
    time_passes(3600)

    assert log_in(client, "anna", "wrong").status_code == 200
    assert attempts()["login-pair:anna|127.0.0.1"] == 1


def test_it_counts_a_username_whatever_its_case(client, anna):
    for username in ("anna", "Anna", "ANNA", " anna", "aNNa"):
        log_in(client, username, "wrong")

    assert log_in(client, "anna").status_code == 429
    assert attempts()["login-username:anna"] == 5


def test_it_lets_other_usernames_from_the_address_in_until_the_address_limit(client, anna, bram):
    for _attempt in range(5):
        log_in(client, "anna", "wrong")
    assert log_in(client, "anna").status_code == 429

    assert log_in(client, "bram").status_code == 302
    client.logout()  # (the test client forgets every cookie: a browser bram never used)

    # 5 failures so far; 15 more for made-up names reach the address's 20 free attempts.
    for number in range(15):
        assert log_in(client, f"guess{number}", "wrong").status_code == 200
    response = log_in(client, "bram")

    assert response.status_code == 429
    assert "Probeer het over 1 seconde opnieuw." in response.content.decode()
    assert not logged_in(client)
    assert attempts()["login-address:127.0.0.1"] == 20
    # Another address is not affected.
    assert log_in(client, "bram", REMOTE_ADDR="198.51.100.4").status_code == 302


def test_it_clears_the_members_failures_on_success(client, anna):
    for _attempt in range(4):
        log_in(client, "anna", "wrong")
    assert log_in(client, "anna").status_code == 302
    assert "login-username:anna" not in attempts()
    client.logout()

    for _attempt in range(4):
        log_in(client, "anna", "wrong")
    response = log_in(client, "anna")

    assert response.status_code == 302
    assert logged_in(client)
    # The address keeps counting: a success does not clear another account's failures.
    assert attempts()["login-address:127.0.0.1"] == 8


def test_it_counts_failures_for_usernames_that_do_not_exist(client):
    for _attempt in range(5):
        log_in(client, "nobody", "wrong")

    assert log_in(client, "nobody", "wrong").status_code == 429


def test_a_guesser_elsewhere_does_not_slow_the_owner_down(client, anna):
    guesser = Client(REMOTE_ADDR="203.0.113.66")
    for number in range(5):
        guesser.post(LOGIN, {"username": "anna", "password": f"raden-{number}"})
    assert guesser.post(LOGIN, {"username": "anna", "password": PASSWORD}).status_code == 429

    assert log_in(client, "anna").status_code == 302  # the owner, from her own address


def test_on_a_browser_she_logged_in_from_before_nobody_elses_guessing_slows_her(
    client, anna, settings
):
    settings.LOGIN_DELAY_SECONDS = 600
    assert log_in(client, "anna").status_code == 302  # her browser is known from now on
    client.post(LOGOUT)  # a real log-out keeps the browser's cookies
    # A guesser behind the same address (an office, a proxy) and guessing from everywhere.
    guesser = Client()
    for number in range(40):
        guesser.post(LOGIN, {"username": "anna", "password": f"raden-{number}"})
        time_passes(600)
    assert guesser.post(LOGIN, {"username": "anna", "password": "nog-een"}).status_code == 429

    assert log_in(client, "anna").status_code == 302
    client.post(LOGOUT)  # a real log-out keeps the browser's cookies
    # Her own typos there count on that browser's key alone, with the same free attempts.
    for _attempt in range(5):
        assert log_in(client, "anna", "typo").status_code == 200
    assert log_in(client, "anna").status_code == 429
    device_keys = [key for key in attempts() if key.startswith("login-device:anna|")]
    assert len(device_keys) == 1 and attempts()[device_keys[0]] == 5


def test_a_forged_or_foreign_device_cookie_is_an_unknown_browser(client, anna, bram):
    assert log_in(client, "bram").status_code == 302  # a cookie for bram, not for anna
    client.post(LOGOUT)
    assert "tegenspraak_device" in client.cookies
    for _attempt in range(5):
        log_in(client, "anna", "wrong")
    assert log_in(client, "anna").status_code == 429

    client.cookies["tegenspraak_device"] = '{"u": "anna", "d": "x"}'  # unsigned
    assert log_in(client, "anna").status_code == 429


def test_guessing_one_username_from_many_addresses_is_stopped_too(client, anna, settings):
    settings.LOGIN_FREE_ATTEMPTS = {**settings.LOGIN_FREE_ATTEMPTS, "login-username": 8}
    for number in range(8):
        Client(REMOTE_ADDR=f"198.51.100.{number}").post(
            LOGIN, {"username": "anna", "password": "fout"}
        )
    elsewhere = Client(REMOTE_ADDR="198.51.100.200")
    assert elsewhere.post(LOGIN, {"username": "anna", "password": "fout"}).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, anna, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        log_in(client, "anna", "fout", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 192.0.2.1")
    # The address our proxy saw counts, not what the client wrote in front of it.
    assert attempts()["login-address:192.0.2.1"] == 5
    assert log_in(client, "anna", HTTP_X_FORWARDED_FOR="192.0.2.9").status_code == 302

    settings.TRUSTED_PROXY_COUNT = 0  # the default: the header is ignored, it can be forged
    client.logout()
    log_in(client, "anna", "fout", HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert "login-address:192.0.2.77" not in attempts()


@pytest.mark.django_db(transaction=True)
def test_sixty_parallel_wrong_passwords_get_five_checks(live_server, settings):
    """Count first, then check: parallel attempts cannot all slip past the free attempts."""
    settings.LOGIN_DELAY_SECONDS = 60  # no wait runs out while the sixty are under way
    UserFactory(username="anna", password=PASSWORD)

    def attempt(number: int) -> int:
        csrf = secrets.token_hex(16)
        request = urllib.request.Request(
            f"{live_server.url}{LOGIN}",
            data=urllib.parse.urlencode(
                {"username": "anna", "password": f"fout-{number}"}
            ).encode(),
            method="POST",
            headers={
                "Cookie": f"csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Referer": live_server.url,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(attempt, range(60)))

    assert statuses.count(200) == 5  # checked against the password, and refused
    assert statuses.count(429) == 55
    assert attempts()["login-pair:anna|127.0.0.1"] == 5


def test_purge_limits_deletes_only_what_limits_nothing_any_more(client, anna):
    from io import StringIO

    from django.core.management import call_command

    log_in(client, "anna", "wrong")
    log_in(client, "bram", "wrong")
    Backoff.objects.filter(key__contains="bram").update(last_at=F("last_at") - timedelta(hours=2))
    out = StringIO()

    call_command("purge_limits", stdout=out)

    assert "0 expired windows and 2 forgotten log-in keys deleted" in out.getvalue()
    assert attempts() == {
        "login-pair:anna|127.0.0.1": 1,
        "login-username:anna": 1,
        "login-address:127.0.0.1": 2,
    }
