"""A newcomer signs up, votes and rebuts in place; and the same with JavaScript switched off."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.usefixtures("graph")

DEBATE = "/debates/is-klantgerichtheid-het-slechtste-idee/"
REBUTTAL = "Een vrijbrief wordt het pas als een organisatie haar eigen waarden loslaat."


def sign_up(page: Page, username: str) -> None:
    page.get_by_role("link", name="Registreren").click()
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label(re.compile(r"^Wachtwoord:?$")).fill("klant-centraal-2026!")
    page.get_by_label("Bevestiging wachtwoord").fill("klant-centraal-2026!")
    page.get_by_role("button", name="Account aanmaken").click()


def test_a_member_signs_up_votes_and_rebuts_in_place(
    page: Page, live_server, graph, assert_accessible
):
    vrijbrief = graph["dejong-vrijbrief"]
    page.goto(live_server.url + DEBATE)
    sign_up(page, "nieuwkomer")
    expect(page).to_have_url(re.compile(re.escape(DEBATE) + "$"))
    assert_accessible(page)

    card = page.locator(f"#argument-{vrijbrief.pk}")
    card.locator(".votes").first.get_by_role("button", name=re.compile("stem voor$")).click()
    votes = card.locator(".votes").first
    expect(votes.get_by_role("status")).to_have_text("Je stemde voor.")
    withdraw = votes.get_by_role("button", name=re.compile("stemmen voor: trek je stem in$"))
    expect(withdraw).to_be_focused()
    expect(votes.locator(".vote-up")).to_have_attribute("aria-pressed", "true")
    expect(votes.locator(".vote-up")).to_contain_text("1")

    card.locator(".actions").first.get_by_role("link", name="Weerleggen").click()
    textarea = card.get_by_label("Jouw argument")
    expect(textarea).to_be_focused()
    textarea.fill(REBUTTAL)
    card.get_by_role("button", name="Plaatsen").click()
    expect(
        card.get_by_role("status").filter(has_text="Je weerlegging is geplaatst")
    ).to_contain_text(REBUTTAL)
    expect(page).to_have_url(re.compile(re.escape(DEBATE) + "$"))  # never left the page
    assert_accessible(page)

    page.reload()
    answers = page.locator(f"#argument-{vrijbrief.pk} .answers")
    expect(answers.get_by_role("link", name=REBUTTAL)).to_be_visible()


def test_the_same_journey_works_without_javascript(browser, live_server, graph):
    vrijbrief = graph["dejong-vrijbrief"]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + DEBATE)
    sign_up(page, "zonderjs")
    expect(page).to_have_url(re.compile(re.escape(DEBATE) + "$"))

    card = page.locator(f"#argument-{vrijbrief.pk}")
    card.locator(".votes").first.get_by_role("button", name=re.compile("stem voor$")).click()
    expect(page.locator(".messages")).to_contain_text("Je stem is geteld.")
    # Back at the argument voted on, not at the top of the page.
    expect(page).to_have_url(re.compile(re.escape(DEBATE) + rf"#argument-{vrijbrief.pk}$"))
    card = page.locator(f"#argument-{vrijbrief.pk}")
    expect(card).to_be_in_viewport()
    expect(card.locator(".vote-up").first).to_have_attribute("aria-pressed", "true")

    card.locator(".actions").first.get_by_role("link", name="Weerleggen").click()
    expect(page).to_have_url(re.compile(rf"/arguments/{vrijbrief.pk}/reply/"))
    page.get_by_label("Jouw argument").fill(REBUTTAL)
    page.get_by_role("button", name="Plaatsen").click()

    expect(page).to_have_url(re.compile(re.escape(DEBATE) + rf"#argument-{vrijbrief.pk}$"))
    expect(page.locator(".messages")).to_contain_text("Je argument is geplaatst.")
    answers = page.locator(f"#argument-{vrijbrief.pk} .answers")
    expect(answers.get_by_role("link", name=REBUTTAL)).to_be_visible()
    context.close()
