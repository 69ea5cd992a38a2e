"""A moderator in Chromium decides on a quote that drifted when its column was imported again."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect

from debates.models import Argument
from tests.e2e.journeys import PASSWORD, log_in

ARTICLE = "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"
OLD = "De klant centraal stellen is daarmee de ultieme vrijbrief"
NEW = "De klant centraal stellen is zo een vrijbrief"


@pytest.fixture
def moderator(db):
    return get_user_model().objects.create_superuser("moderator", password=PASSWORD)


def test_a_drifted_quote_is_anchored_again_from_the_queue(
    page: Page, live_server, graph, moderator, assert_accessible, tmp_path
):
    seed = next(settings.CORPUS_DIR.glob("002_*.txt"))
    copy = tmp_path / seed.name
    copy.write_text(seed.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    call_command("import_articles", str(copy), stdout=StringIO())
    vrijbrief = Argument.objects.get(key="dejong-vrijbrief")
    assert vrijbrief.quote_state == "drifted"

    log_in(page, live_server, "moderator")
    page.goto(live_server.url + ARTICLE)
    expect(page.locator(f"#argument-{vrijbrief.pk}")).to_have_count(0)  # not highlighted

    page.goto(live_server.url + "/moderation/")
    section = page.locator("section", has=page.locator("#drift-heading"))
    expect(section.get_by_role("heading", level=2)).to_have_text(
        "1 citaat is losgeraakt van de tekst"
    )
    item = section.locator(f"#drift-{vrijbrief.pk}")
    expect(item.locator(".drift-old")).to_contain_text(OLD)
    expect(item.locator(".drift-new")).to_contain_text(NEW)
    assert_accessible(page)

    passage = item.get_by_label("De passage waarop het argument nu steunt")
    passage.fill(NEW + " om te gaan voor nog meer geld")
    passage.press("Tab")
    item.get_by_role("button", name="Opnieuw verankeren").click()

    expect(page).to_have_url(re.compile(r"/moderation/#drift-heading$"))
    expect(page.locator(".messages")).to_contain_text("opnieuw verankerd")
    expect(page.locator("#drift-heading")).to_have_text("0 citaten zijn losgeraakt van de tekst")
    page.goto(live_server.url + ARTICLE)
    expect(page.locator(f"a.quote#argument-{vrijbrief.pk}")).to_have_text(
        NEW + " om te gaan voor nog meer geld"
    )
