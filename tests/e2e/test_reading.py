"""A reader in Chromium: home, an article and its comments, search as you type."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.usefixtures("graph")


def test_a_reader_opens_de_jongs_column_and_reads_the_comments(
    page: Page, live_server, assert_accessible
):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role(
        "link", name="Klantgerichtheid is het slechtste idee van de 21ste eeuw"
    ).click()

    expect(page).to_have_url(re.compile(r"/articles/klantgerichtheid-is-het-slechtste-idee"))
    expect(page.get_by_role("heading", name="Kriebels en ongemak")).to_be_visible()
    expect(page.locator(".byline")).to_have_text("door Tjip de Jong")
    comments = page.locator(".comment-author")
    expect(comments).to_have_count(11)
    expect(comments.first).to_have_text("Sydney Brouwer")
    expect(comments.last).to_have_text("Tjip de Jong")
    expect(page.locator("#reactie-2 .badge")).to_have_text("Pro-lid")
    assert_accessible(page)

    page.locator("#reactie-11").get_by_role("link", name=re.compile("Eduard Maatman")).click()
    expect(page).to_have_url(re.compile("#reactie-10$"))


def test_a_reader_searches_as_they_type(page: Page, live_server, assert_accessible):
    page.goto(live_server.url + "/search/")
    assert_accessible(page)

    page.get_by_label("Zoek in artikelen, reacties en argumenten").press_sequentially(
        "statieg", delay=40
    )

    results = page.locator("#search-results")
    article = "Klantgerichtheid is het slechtste idee van de 21ste eeuw"
    expect(results.get_by_role("link", name=article, exact=True)).to_be_visible()
    expect(results.locator("mark").first).to_have_text("statiegeld")
    expect(page).to_have_url(re.compile(r"/search/\?q=statieg"))
    # The title and the header's ways back follow the new address.
    expect(page).to_have_title("Zoeken: statieg · Tegenspraak")
    expect(page.locator("#log-in")).to_have_attribute(
        "href", re.compile(r"next=/search/%3Fq%3Dstatieg$")
    )
    expect(page.locator("#language-next")).to_have_value("/search/?q=statieg")
    assert_accessible(page)

    page.get_by_label("Zoek in artikelen, reacties en argumenten").fill("chatbot")
    expect(results.get_by_role("link", name=re.compile("meer dan een slogan"))).to_be_visible()


def test_search_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/search/")

    page.get_by_label("Zoek in artikelen, reacties en argumenten").fill("stakeholders")
    page.get_by_role("button", name="Zoeken").last.click()

    expect(page).to_have_url(re.compile(r"q=stakeholders"))
    expect(page.get_by_role("link", name=re.compile("Koert Capel"))).to_be_visible()
    context.close()
