"""Moderators in Chromium: hiding and restoring a rebuttal from the queue while a reader watches,
and turning a selected passage of de Jong's column into an argument."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from articles.models import Article
from debates.models import Argument
from debates.moderation.services import flag_argument
from debates.services import argument_rebut
from tests.e2e.journeys import PASSWORD, log_in

pytestmark = pytest.mark.usefixtures("graph")

DEBATE = "/debates/is-klantgerichtheid-het-slechtste-idee/"
ARTICLE = "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"
EXTRACT = "/moderation/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/extract/"
REBUTTAL = "Een vrijbrief wordt het pas als een organisatie haar eigen waarden loslaat."
QUOTE = "Ik krijg een enorm kriebelig gevoel bij al die klantgerichtheid."
CLAIM = "De beloften van klantgerichtheid wekken eerder ongemak dan vertrouwen."


@pytest.fixture
def moderator(db):
    return get_user_model().objects.create_superuser("moderator", password=PASSWORD)


def select_text(page: Page, container: str, text: str, event: str = "mouseup") -> None:
    """Select `text` inside the first element matching `container` that holds it, as a mouse
    drag or Shift+arrows would, and let the page see the mouseup or keyup that ends it."""
    page.evaluate(
        """([container, text, event]) => {
            const block = [...document.querySelectorAll(container)]
                .find((el) => el.textContent.includes(text));
            const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(text);
                if (at === -1) continue;
                const range = document.createRange();
                range.setStart(walker.currentNode, at);
                range.setEnd(walker.currentNode, at + text.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                block.dispatchEvent(new Event(event, { bubbles: true }));
                return;
            }
            throw new Error("text not in one text node: " + text);
        }""",
        [container, text, event],
    )


def test_a_moderator_hides_a_rebuttal_and_restores_it_while_a_reader_watches(
    page: Page, browser: Browser, live_server, graph, moderator, assert_accessible
):
    users = get_user_model().objects
    member = users.create_user("marieke", password=PASSWORD)
    rebuttal = argument_rebut(member, graph["dejong-vrijbrief"], REBUTTAL, "attack")
    flag_argument(users.create_user("joost", password=PASSWORD), rebuttal, "offensive")
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.goto(live_server.url + DEBATE)
    expect(reader.get_by_role("link", name=REBUTTAL)).to_be_visible()

    log_in(page, live_server, "moderator")
    page.goto(live_server.url + "/moderation/")
    item = page.locator(f"#queue-item-{rebuttal.pk}")
    expect(item).to_contain_text(REBUTTAL)
    assert_accessible(page)
    item.locator(f"#reason-{rebuttal.pk}").fill("Persoonlijke aanval op de auteur.")
    item.locator(f'button[formaction$="/arguments/{rebuttal.pk}/hide/"]').click()

    item = page.locator(f"#queue-item-{rebuttal.pk}")
    expect(item.locator(f'button[formaction$="/arguments/{rebuttal.pk}/restore/"]')).to_be_visible()
    expect(item.get_by_role("status")).to_be_focused()
    assert Argument.objects.get(pk=rebuttal.pk).status == "hidden"

    reader.reload()
    expect(reader.get_by_role("heading", level=1)).to_be_visible()
    expect(reader.get_by_text(REBUTTAL)).to_have_count(0)

    item.locator(f"#reason-{rebuttal.pk}").fill("Na overleg: scherp, maar geen aanval.")
    item.locator(f'button[formaction$="/arguments/{rebuttal.pk}/restore/"]').click()
    expect(item.locator(f'button[formaction$="/arguments/{rebuttal.pk}/hide/"]')).to_be_visible()
    assert Argument.objects.get(pk=rebuttal.pk).status == "published"

    reader.reload()
    expect(reader.get_by_role("link", name=REBUTTAL)).to_be_visible()
    reader_context.close()


def test_a_moderator_selects_a_passage_and_makes_an_argument_of_it(
    page: Page, live_server, graph, moderator, assert_accessible
):
    log_in(page, live_server, "moderator")
    page.goto(live_server.url + ARTICLE)
    expect(page.get_by_text("Selecteer een passage", exact=False)).to_be_visible()
    button = page.get_by_role("button", name="Maak hiervan een argument")
    expect(button).to_be_hidden()
    expect(page.locator("#extract-form")).to_be_hidden()

    # A selection over two paragraphs is refused with a message.
    page.evaluate(
        """() => {
            const blocks = document.querySelectorAll('.prose[data-source="article"] p');
            const range = document.createRange();
            range.setStart(blocks[0].firstChild, 5);
            range.setEnd(blocks[1].firstChild, 5);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
            blocks[1].dispatchEvent(new Event("mouseup", { bubbles: true }));
        }"""
    )
    expect(page.locator("#extract-status")).to_contain_text("binnen één alinea")
    expect(button).to_be_hidden()

    select_text(page, '.prose[data-source="article"] p', QUOTE)
    expect(button).to_be_visible()
    button.click()

    panel = page.locator("#extract-panel")
    form = page.locator("#extract-post")
    expect(form.locator("#extract-quote-display")).to_have_text(QUOTE)
    expect(form.locator("#extract-quote-where")).to_have_text("Uit de tekst van het artikel")
    claim = form.get_by_label("Bewering")
    expect(claim).to_be_focused()
    assert_accessible(page)
    claim.fill(CLAIM)
    # The argument it answers is picked by its words, never typed as a number.
    target = graph["dejong-slechtste-idee"]
    panel.get_by_label("Zoek het argument waarop het reageert").press_sequentially(
        "slechtste ideeën", delay=30
    )
    panel.locator(".candidate-list li", has_text=target.text).get_by_role(
        "button", name=re.compile("^Kies")
    ).click()
    expect(panel.locator(".chosen")).to_contain_text(target.text)
    expect(panel.locator(".chosen")).to_be_focused()
    panel.get_by_label("het steunt dat argument").check()
    panel.get_by_role("button", name="Argument maken").click()

    result = panel.get_by_role("status")
    expect(result).to_contain_text("Nieuw argument:")
    expect(result).to_contain_text(f"Het steunt: {target.text}")
    expect(result).to_contain_text("Het staat in:")
    expect(
        result.get_by_role("link", name="Is klantgerichtheid het slechtste idee")
    ).to_be_visible()
    expect(result).to_be_focused()
    expect(page.locator("#extract-form")).to_be_hidden()  # closed, ready for the next passage
    expect(page).to_have_url(live_server.url + ARTICLE)  # never left the page
    argument = Argument.objects.get(text=CLAIM)
    assert argument.quote == QUOTE
    assert argument.article.body_text[argument.quote_start : argument.quote_end] == QUOTE
    assert argument.outgoing.get().target == target
    # The quote is marked in the text at once, no reload.
    expect(page.locator(f"a.quote#argument-{argument.pk}")).to_have_text(QUOTE)

    result.get_by_role("link", name=CLAIM).click()
    expect(page).to_have_url(re.compile(rf"/arguments/{argument.pk}/$"))
    expect(page.locator(".source-quote blockquote")).to_have_text(QUOTE)
    assert_accessible(page)

    page.goto(live_server.url + ARTICLE)
    highlight = page.locator(f"a.quote#argument-{argument.pk}")
    expect(highlight).to_have_text(QUOTE)
    expect(highlight).to_have_attribute("title", CLAIM)


def test_a_passage_of_a_comment_selected_with_the_keyboard(
    page: Page, live_server, graph, moderator
):
    quote = "Wel een warrig artikel"
    log_in(page, live_server, "moderator")
    page.goto(live_server.url + ARTICLE)

    select_text(page, "#reactie-2 .comment-text p", quote, event="keyup")
    button = page.get_by_role("button", name="Maak hiervan een argument")
    expect(button).to_be_visible()
    button.focus()
    page.keyboard.press("Enter")

    form = page.locator("#extract-post")
    expect(form.locator("#extract-quote-where")).to_have_text(
        "Uit de reactie van Sjors van Leeuwen"
    )
    page.keyboard.type("Het artikel gooit ongelijke onderwerpen op één hoop.")
    page.locator("#extract-panel").get_by_role("button", name="Argument maken").click()

    expect(page.locator("#extract-panel").get_by_role("status")).to_contain_text("Nieuw argument:")
    argument = Argument.objects.get(text="Het artikel gooit ongelijke onderwerpen op één hoop.")
    # Marked in the comment at once (a numbered marker: an older quote overlaps it).
    expect(page.locator(f"#reactie-2 #argument-{argument.pk}")).to_be_visible()
    assert argument.comment.author_name == "Sjors van Leeuwen"
    assert argument.comment.text[argument.quote_start : argument.quote_end] == quote


def test_a_moderator_previews_an_upload_and_saves_it(
    page: Page, live_server, moderator, assert_accessible
):
    sample = Path(__file__).parent.parent / "articles" / "samples" / "managementsite_thread.txt"
    log_in(page, live_server, "moderator")
    page.goto(live_server.url + EXTRACT)  # the plain extraction page, while we are here
    assert_accessible(page)
    page.goto(live_server.url + "/moderation/import/")
    assert_accessible(page)

    page.get_by_label("Tekstbestand (.txt)").set_input_files(str(sample))
    page.get_by_label("Publicatie").fill("Managementsite")
    page.get_by_role("button", name="Voorbeeld").click()

    preview = page.locator(".import-preview")
    expect(preview).to_be_focused()
    expect(preview.get_by_role("heading", name="Voorbeeld")).to_be_visible()
    expect(preview).to_contain_text("Waarom de klant nooit koning was")
    expect(preview).to_contain_text("reageert op Marieke Bakker (reactie 1)")
    expect(page).to_have_url(live_server.url + "/moderation/import/")
    assert_accessible(page)
    assert not Article.objects.filter(source_file="managementsite_thread.txt").exists()

    # The moderator corrects the details in the preview before saving.
    expect(preview.get_by_label("Publicatie")).to_have_value("Managementsite")
    preview.get_by_label("Auteur").fill("Sanne Visser-de Boer")
    preview.get_by_label("Gepubliceerd op").fill("2025-06-01")
    preview.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(re.compile(r"/articles/waarom-de-klant-nooit-koning-was/$"))
    expect(page.locator(".messages")).to_contain_text("is geïmporteerd met 6 reacties")
    expect(page.locator(".comment-author")).to_have_count(6)
    article = Article.objects.get(source_file="managementsite_thread.txt")
    assert (article.author, article.source) == ("Sanne Visser-de Boer", "Managementsite")
    assert article.published.isoformat() == "2025-06-01"


def test_the_extraction_page_works_without_javascript(browser: Browser, live_server, moderator):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "moderator")
    page.goto(live_server.url + EXTRACT)
    # Without JavaScript the picker is a search form that reloads the page, then a choice.
    page.get_by_label("Zoek het argument waarop het reageert").fill("slechtste ideeën")
    page.get_by_role("button", name="Zoek").click()
    target = Argument.objects.get(key="dejong-slechtste-idee")
    page.locator(".candidate-list li", has_text=target.text).get_by_role(
        "button", name=re.compile("^Kies")
    ).click()
    expect(page.locator(".chosen")).to_contain_text(target.text)
    page.get_by_label("De passage komt uit").select_option(label="reactie 2 van Sjors van Leeuwen")
    page.get_by_label("Citaat").fill("een verrassend artikel met een prikkelende titel")
    page.get_by_label("Bewering").fill("Een prikkelende titel trekt aandacht, maar overtuigt niet.")
    page.get_by_role("button", name="Argument maken").click()

    expect(page).to_have_url(re.compile(re.escape(ARTICLE) + r"#argument-\d+$"))
    expect(page.locator(".messages")).to_contain_text("Het argument is gemaakt")
    argument = Argument.objects.get(
        text="Een prikkelende titel trekt aandacht, maar overtuigt niet."
    )
    assert argument.outgoing.get().target == target
    expect(page.locator(f"a.quote#argument-{argument.pk}")).to_have_text(
        "een verrassend artikel met een prikkelende titel"
    )
    context.close()


DUPLICATE = "Klantgerichtheid is het slechtste idee dat deze eeuw heeft voortgebracht."


def test_a_moderator_merges_a_duplicate_by_picking_the_argument_it_repeats(
    page: Page, live_server, graph, moderator, assert_accessible
):
    users = get_user_model().objects
    member = users.create_user("marieke", password=PASSWORD)
    kept = graph["dejong-slechtste-idee"]
    duplicate = argument_rebut(member, graph["dejong-vrijbrief"], DUPLICATE, "support")
    flag_argument(users.create_user("joost", password=PASSWORD), duplicate, "duplicate")
    log_in(page, live_server, "moderator")
    page.goto(live_server.url + "/moderation/")
    card = page.locator(f"#queue-item-{duplicate.pk}")
    expect(card.get_by_label("Reden (komt in het logboek)")).to_have_count(1)  # one reason

    card.get_by_label("Reden (komt in het logboek)").fill("Zegt hetzelfde als de Jong.")
    card.get_by_text("Samenvoegen met het argument dat het herhaalt").click()
    card.get_by_label("Zoek het argument dat het herhaalt").press_sequentially(
        "slechtste ideeën", delay=30
    )
    card.locator(".candidate-list li", has_text=kept.text).get_by_role(
        "button", name=re.compile("^Kies")
    ).click()

    chosen = card.locator(".chosen")
    expect(chosen).to_contain_text(kept.text)  # its text, to check before merging
    expect(chosen).to_be_focused()
    assert_accessible(page)
    assert Argument.objects.get(pk=duplicate.pk).status == "published"  # not yet: confirm first
    chosen.get_by_role("button", name="Ja, voeg samen met dit argument").click()

    card = page.locator(f"#queue-item-{duplicate.pk}")
    expect(card.get_by_role("status")).to_contain_text(f"Samengevoegd met „{kept.text}”")
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", kept.pk)


def test_merging_works_without_javascript(browser: Browser, live_server, graph, moderator):
    member = get_user_model().objects.create_user("marieke", password=PASSWORD)
    kept = graph["dejong-slechtste-idee"]
    duplicate = argument_rebut(member, graph["dejong-vrijbrief"], DUPLICATE, "support")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "moderator")
    page.goto(live_server.url + duplicate.get_absolute_url())

    card = page.locator(f"#queue-item-{duplicate.pk}")
    card.get_by_text("Samenvoegen met het argument dat het herhaalt").click()
    card.get_by_label("Zoek het argument dat het herhaalt").fill("slechtste ideeën")
    card.get_by_role("button", name="Zoek").click()
    # The search leads to the merge page, which lists the candidates to choose from.
    expect(page).to_have_url(re.compile(rf"/moderation/arguments/{duplicate.pk}/merge/\?"))
    page.locator(".candidate-list li", has_text=kept.text).get_by_role(
        "button", name=re.compile("^Kies")
    ).click()
    expect(page.locator(".chosen")).to_contain_text(kept.text)
    page.get_by_label("Reden (komt in het logboek)").fill("Zegt hetzelfde.")
    page.get_by_role("button", name="Ja, voeg samen met dit argument").click()

    expect(page).to_have_url(re.compile(rf"/arguments/{kept.pk}/"))
    expect(page.locator(".messages")).to_contain_text("Samengevoegd met")
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", kept.pk)
    context.close()


def test_the_argument_page_shows_a_moderators_action_at_once(
    page: Page, live_server, graph, moderator, assert_accessible
):
    member = get_user_model().objects.create_user("marieke", password=PASSWORD)
    rebuttal = argument_rebut(member, graph["dejong-vrijbrief"], REBUTTAL, "attack")
    log_in(page, live_server, "moderator")
    page.goto(live_server.url + rebuttal.get_absolute_url())
    card = page.locator(f"#queue-item-{rebuttal.pk}")

    card.get_by_label("Reden (komt in het logboek)").fill("Persoonlijke aanval.")
    card.get_by_role("button", name="Verbergen").click()

    # The page itself now says it is hidden (no reload), and the card offers to restore it.
    expect(page.locator("main")).to_contain_text("Verborgen door de moderatie")
    expect(page.locator(".messages")).to_be_focused()
    expect(page.get_by_role("button", name="Terugzetten")).to_be_visible()
    expect(page).to_have_url(live_server.url + rebuttal.get_absolute_url())
    assert_accessible(page)

    page.get_by_label("Reden (komt in het logboek)").fill("Toch niet.")
    page.get_by_role("button", name="Terugzetten").click()
    expect(page.locator("main")).not_to_contain_text("Verborgen door de moderatie")
    expect(page.get_by_role("button", name="Verbergen")).to_be_visible()
