"""Steps the browser journeys share."""

import re

from playwright.sync_api import Page, expect

PASSWORD = "klant-centraal-2026!"


def log_in(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    """Log in through the form, as a member would, and wait until the header shows the name."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label(re.compile(r"^Wachtwoord:?$")).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name=re.compile(username))).to_be_visible()
