"""Reading beside the text: a highlight in de Jong's column opens its argument in a panel next
to the text, and the reader keeps their place."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from debates.models import Strength, Vote
from tests.e2e.journeys import log_in

pytestmark = pytest.mark.usefixtures("graph")

DE_JONG = "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"
PASSWORD = "een-lang-wachtwoord-7"

# The element before `el` in the page's tab order (no positive tabindex on this site).
PREVIOUS_TABBABLE = """el => {
  const all = [...document.querySelectorAll('a[href], button, input, select, textarea')]
    .filter(e => !e.disabled && e.type !== 'hidden' && e.getClientRects().length);
  all[all.indexOf(el) - 1].focus();
}"""
HAS_FOCUS_RING = (
    "el => el === document.activeElement && getComputedStyle(el).outlineStyle !== 'none'"
)


def scroll_y(page: Page) -> float:
    return page.evaluate("window.scrollY")


def test_a_member_reads_an_argument_beside_the_text_votes_and_closes_it(
    page: Page, live_server, graph, assert_accessible
):
    member = get_user_model().objects.create_user("lezer", password=PASSWORD)
    vrijbrief, konrad = graph["dejong-vrijbrief"], graph["konrad-geen-vrijbrief"]
    log_in(page, live_server, "lezer", PASSWORD)
    page.goto(live_server.url + DE_JONG)
    assert_accessible(page)

    # Read down to the passage, then Tab onto its highlight.
    highlight = page.locator(f"a.quote#argument-{vrijbrief.pk}")
    highlight.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 300)")
    highlight.evaluate(PREVIOUS_TABBABLE)
    page.keyboard.press("Tab")
    expect(highlight).to_be_focused()
    assert highlight.evaluate(HAS_FOCUS_RING)
    before = scroll_y(page)
    assert before > 500  # well down the page: the test would not notice a jump to the top

    page.keyboard.press("Enter")

    panel = page.get_by_role("complementary", name=vrijbrief.text)
    heading = panel.get_by_role("heading", level=2)
    expect(heading).to_have_text(vrijbrief.text)
    expect(heading).to_be_focused()
    expect(page).to_have_url(live_server.url + DE_JONG)
    assert abs(scroll_y(page) - before) <= 5
    # Beside the text, in view, with what it is and what answers it.
    text_box = page.locator(".prose").bounding_box()
    panel_box = panel.bounding_box()
    assert panel_box["x"] >= text_box["x"] + text_box["width"]
    expect(panel).to_be_in_viewport()
    stored = vrijbrief.score.strength
    expect(panel.locator("[data-strength]")).to_have_attribute("data-strength", f"{stored:.4f}")
    expect(panel.locator("meter")).to_have_attribute("max", "1")
    expect(panel.get_by_text(re.compile(r"sterkte \d,\d\d"))).to_be_visible()
    expect(panel.get_by_role("link", name=konrad.text)).to_be_visible()
    expect(panel.get_by_role("link", name="Weerleggen")).to_be_visible()
    expect(highlight).to_have_class(re.compile(r"\bis-open\b"))
    assert_accessible(page)

    # Vote up in the panel: counted, and said in the status message.
    panel.locator("button.vote-up").click()
    expect(panel.get_by_role("status").filter(has_text="Je stemde voor.")).to_be_visible()
    expect(panel.locator("button.vote-up")).to_have_attribute("aria-pressed", "true")
    expect(panel.locator("button.vote-up")).to_contain_text("1")
    assert Vote.objects.filter(user=member, argument=vrijbrief, value=Vote.UP).exists()
    moved = Strength.objects.get(argument=vrijbrief).strength
    expect(panel.locator("[data-strength]")).to_have_attribute("data-strength", f"{moved:.4f}")
    expect(page).to_have_url(live_server.url + DE_JONG)

    # It stays beside the text while the reader reads on, into the comments.
    page.evaluate("window.scrollBy(0, 2000)")
    assert scroll_y(page) > before + 1500
    expect(panel).to_be_in_viewport()
    page.evaluate(f"window.scrollTo(0, {before})")

    # Close: the panel goes, focus is back on the highlight, visibly.
    panel.get_by_role("button", name="Sluiten").click()
    expect(page.locator("#reading-panel")).to_be_empty()
    expect(highlight).to_be_focused()
    assert abs(scroll_y(page) - before) <= 5

    # Enter opens it again, Escape closes it again.
    page.keyboard.press("Enter")
    expect(heading).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#reading-panel")).to_be_empty()
    expect(highlight).to_be_focused()
    assert highlight.evaluate(HAS_FOCUS_RING)


def test_an_answer_opens_in_the_panel_and_close_returns_to_the_first_highlight(
    page: Page, live_server, graph
):
    vrijbrief, konrad = graph["dejong-vrijbrief"], graph["konrad-geen-vrijbrief"]
    page.goto(live_server.url + DE_JONG)
    highlight = page.locator(f"a.quote#argument-{vrijbrief.pk}")
    highlight.click()
    panel = page.locator("#reading-panel")
    expect(panel.get_by_role("heading", level=2)).to_have_text(vrijbrief.text)

    panel.get_by_role("link", name=konrad.text).click()

    expect(panel.get_by_role("heading", level=2)).to_have_text(konrad.text)
    expect(panel.get_by_role("heading", level=2)).to_be_focused()
    page.keyboard.press("Escape")
    expect(highlight).to_be_focused()


def test_on_a_narrow_screen_the_panel_lies_over_the_text(page: Page, live_server, graph):
    vrijbrief = graph["dejong-vrijbrief"]
    page.set_viewport_size({"width": 420, "height": 800})
    page.goto(live_server.url + DE_JONG)
    highlight = page.locator(f"a.quote#argument-{vrijbrief.pk}")
    highlight.scroll_into_view_if_needed()
    before = scroll_y(page)

    highlight.focus()
    page.keyboard.press("Enter")

    heading = page.locator("#panel-heading")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    assert abs(scroll_y(page) - before) <= 5
    box = page.locator("#reading-panel").bounding_box()
    assert box["width"] <= 420 and box["y"] + box["height"] <= 800 + 1


def test_without_javascript_a_highlight_leads_to_the_argument_page(browser, live_server, graph):
    vrijbrief = graph["dejong-vrijbrief"]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + DE_JONG)

    page.locator(f"a.quote#argument-{vrijbrief.pk}").click()

    expect(page).to_have_url(re.compile(rf"/arguments/{vrijbrief.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(vrijbrief.text)
    # The panel's own address works without JavaScript too: it leads to the same page.
    page.goto(live_server.url + f"/arguments/{vrijbrief.pk}/panel/")
    expect(page).to_have_url(re.compile(rf"/arguments/{vrijbrief.pk}/$"))
    context.close()
