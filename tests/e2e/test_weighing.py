"""Weighing a debate in Chromium: the standing, live strengths after a vote, and names that
match what buttons show (axe's label-content-name-mismatch, which axe runs only on request)."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from debates.models import Strength
from tests.e2e.journeys import PASSWORD, log_in

pytestmark = pytest.mark.usefixtures("graph")
DEBATE = "/debates/is-klantgerichtheid-het-slechtste-idee/"


def test_a_member_weighs_the_debate_and_sees_strengths_move(
    page: Page, live_server, assert_accessible, axe, graph
):
    get_user_model().objects.create_user("weger", password=PASSWORD)
    konrad, vrijbrief = graph["konrad-geen-vrijbrief"], graph["dejong-vrijbrief"]
    log_in(page, live_server, "weger")
    page.goto(f"{live_server.url}{DEBATE}arguments/{vrijbrief.pk}/")

    expect(page.get_by_role("heading", name="Waar het debat staat")).to_have_count(0)
    parent = page.locator(f".strength-{vrijbrief.pk}").first
    before = parent.get_attribute("data-strength")
    assert_accessible(page)
    names = axe.run(page, options={"runOnly": ["label-content-name-mismatch"]})
    assert names.response["violations"] == []

    card = page.locator("li.answer", has=page.locator(f'a[href="/arguments/{konrad.pk}/"]')).first
    card.get_by_role("button", name=re.compile("stem voor$")).click()
    expect(card.locator(".vote-status")).to_have_text("Je stemde voor.")

    after = Strength.objects.get(argument=vrijbrief).strength
    assert f"{after:.4f}" != before  # a stronger attacker weakens what it attacks...
    expect(parent).to_have_attribute("data-strength", f"{after:.4f}")  # ...on the page at once


def test_the_debate_page_shows_where_it_stands(page: Page, live_server, assert_accessible, axe):
    page.goto(live_server.url + DEBATE)
    standing = page.get_by_role("region", name="Waar het debat staat")
    expect(standing).to_be_visible()
    expect(standing).to_contain_text("Sterkste argument tegen de stelling")
    assert_accessible(page)
    names = axe.run(page, options={"runOnly": ["label-content-name-mismatch"]})
    assert names.response["violations"] == []


def test_the_pages_run_under_the_content_security_policy(page: Page, live_server, graph):
    """No inline script or style and no eval anywhere: Chromium reports no CSP violation while
    the debate, the map and the article with its reading panel do their work."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(live_server.url + DEBATE)
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.get_by_role("link", name=re.compile("^Toon \\d+ antwoord")).first.click()
    page.goto(live_server.url + DEBATE + "map/")
    page.get_by_role("button", name="Inzoomen").click()
    page.goto(
        live_server.url + "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"
    )
    page.locator("a.quote").first.click()
    expect(page.get_by_role("button", name="Sluiten")).to_be_visible()

    assert violations == []
