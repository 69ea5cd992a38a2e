"""A reader follows an argument from de Jong's column to the comment that answers it."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.usefixtures("graph")

DE_JONG = "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"


def test_from_a_highlight_to_its_counterargument_and_back_to_the_comment(
    page: Page, live_server, graph, assert_accessible
):
    vrijbrief, konrad = graph["dejong-vrijbrief"], graph["konrad-geen-vrijbrief"]
    page.goto(live_server.url + DE_JONG)
    assert_accessible(page)

    # The highlight is a link a keyboard reaches: focus it and press Enter.
    highlight = page.locator(f"#argument-{vrijbrief.pk}")
    expect(highlight).to_have_text(vrijbrief.quote)
    highlight.focus()
    page.keyboard.press("Enter")  # opens the argument beside the text; its page is one link on
    panel = page.get_by_role("complementary", name=vrijbrief.text)
    panel.get_by_role("link", name="Open de argumentpagina").click()

    expect(page).to_have_url(re.compile(rf"/arguments/{vrijbrief.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(vrijbrief.text)
    assert_accessible(page)
    attacked_by = page.get_by_role("region", name="Aangevallen door")
    attacked_by.get_by_role("link", name=konrad.text).click()

    expect(page).to_have_url(re.compile(rf"/arguments/{konrad.pk}/$"))
    page.get_by_role("link", name="Lees het in de reactie van Kris Konrad").click()

    expect(page).to_have_url(re.compile(rf"{DE_JONG}#argument-{konrad.pk}$"))
    quote = page.locator(f"#reactie-7 #argument-{konrad.pk}")
    expect(quote).to_have_text(konrad.quote)
    expect(quote).to_be_in_viewport()


def test_a_debate_expands_a_level_in_place(page: Page, live_server, assert_accessible):
    page.goto(live_server.url + "/debates/is-klantgerichtheid-het-slechtste-idee/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Is klantgerichtheid het slechtste idee van de 21ste eeuw?"
    )
    assert_accessible(page)
    expand = page.locator("a.expand").first
    target = page.locator("#" + expand.get_attribute("aria-controls"))
    expect(target).to_be_empty()

    expect(expand).to_have_attribute("aria-expanded", "false")
    expect(expand).to_have_text(re.compile(r"Toon \d+ antwoord"))

    expand.click()

    expect(target.locator("li.answer").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/debates/is-klantgerichtheid-het-slechtste-idee/$"))
    # The toggle now says what it will do next, and folds the answers away again.
    expect(expand).to_have_attribute("aria-expanded", "true")
    expect(expand).to_have_text("Verberg antwoorden")
    assert_accessible(page)
    expand.click()
    expect(target).to_be_hidden()
    expect(expand).to_have_attribute("aria-expanded", "false")
    expect(expand).to_have_text(re.compile(r"Toon \d+ antwoord"))
    expand.click()  # opened again from what it holds
    expect(target.locator("li.answer").first).to_be_visible()
    expect(expand).to_have_text("Verberg antwoorden")
