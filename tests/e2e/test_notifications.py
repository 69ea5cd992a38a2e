"""Two members answer each other in Chromium: each answer appears at once where it was posted,
the other hears of it in the header, the inbox, a mail file and the debate's feed; a post a
moderator hides afterwards stays out of every one of those channels."""

import re
from email import message_from_bytes

import feedparser
import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from debates.models import Link
from debates.moderation.services import moderate_argument
from notifications.models import Notification
from tests.e2e.journeys import PASSWORD, log_in
from tests.factories import ArgumentFactory, DebateFactory, LinkFactory, UserFactory

ANNA_CLAIM = "Een bedrijf dat echt luistert, merkt de klant meteen."
BRAM_REBUTTAL = "Luisteren is niet genoeg zolang niemand er daarna iets mee doet."
ANNA_REPLY = "Wie luistert en niets doet, heeft niet geluisterd: dat is het punt."


@pytest.fixture
def mail_dir(settings, tmp_path):
    """Mails written as files, as `make run` does under var/mail/."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    return tmp_path


def mails(folder) -> list:
    """Every mail in the folder: the file backend puts the mails sent in the same second by
    one process into one file, each followed by a line of dashes."""
    found = []
    for path in sorted(folder.iterdir()):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                found.append(message_from_bytes(raw.lstrip(b"\n")))
    return found


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_two_members_answer_each_other(
    browser: Browser, live_server, mail_dir, transactional_db, assert_accessible
):
    anna = UserFactory(username="anna", email="anna@example.org", password=PASSWORD)
    UserFactory(username="bram", email="bram@example.org", password=PASSWORD)
    debate = DebateFactory(slug="luisteren", title="Moet de klant centraal staan?")
    claim = ArgumentFactory(text=ANNA_CLAIM, author=anna)
    LinkFactory(source=claim, target=debate.thesis, relation=Link.Relation.SUPPORT)
    debate_url = live_server.url + debate.get_absolute_url()

    # Bram rebuts Anna's argument on the debate page: it shows at once under her card.
    bram = browser.new_context().new_page()
    log_in(bram, live_server, "bram")
    bram.goto(debate_url)
    expect(bram.locator("#debate-size")).to_have_text("1 argument onder de stelling")
    card = bram.locator(f"#argument-{claim.pk}")
    card.locator(".actions").first.get_by_role("link", name="Weerleggen").click()
    card.get_by_label("Jouw argument").fill(BRAM_REBUTTAL)
    card.get_by_role("button", name="Plaatsen").click()
    expect(
        card.get_by_role("status").filter(has_text="Je weerlegging is geplaatst")
    ).to_be_focused()
    expect(card.locator(".card-answers").get_by_role("link", name=BRAM_REBUTTAL)).to_be_visible()
    expect(card.locator(".answers-heading")).to_have_text("1 antwoord")
    expect(bram.locator("#debate-size")).to_have_text("2 argumenten onder de stelling")
    # Posting followed the debate.
    bram.reload()
    expect(bram.get_by_role("button", name="Je volgt dit debat: stoppen")).to_be_visible()

    # The request only queued the mail; the worker writes it.
    assert list(mail_dir.iterdir()) == []
    run_worker()
    (mail,) = mails(mail_dir)
    assert mail["To"] == "anna@example.org"
    assert mail["Subject"].startswith("Tegenspraak: bram viel je argument aan")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<http://\S+/accounts/notifications/unsubscribe/\S+/>", mail["List-Unsubscribe"]
    )
    assert BRAM_REBUTTAL in mail.get_payload(decode=True).decode()

    # Anna sees the count in the header, reads the inbox and answers Bram on his argument's page.
    page = browser.new_context().new_page()
    log_in(page, live_server, "anna")
    bell = page.locator("#notification-bell")
    expect(bell.get_by_role("link")).to_have_accessible_name("Meldingen: 1 ongelezen")
    bell.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Meldingen")).to_be_visible()
    line = page.locator(".notification").first
    expect(line).to_contain_text("bram viel je argument aan")
    assert_accessible(page)
    line.get_by_role("link", name=BRAM_REBUTTAL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BRAM_REBUTTAL)
    page.locator(".actions").first.get_by_role("link", name="Weerleggen").click()
    page.get_by_label("Jouw argument").fill(ANNA_REPLY)
    page.get_by_role("button", name="Plaatsen").click()
    expect(
        page.locator("#relations section").first.get_by_role("link", name=ANNA_REPLY)
    ).to_be_visible()

    # Bram hears of it: the header, the inbox; he marks it read in place.
    bram.goto(debate_url)
    expect(bram.locator("#notification-bell").get_by_role("link")).to_have_accessible_name(
        "Meldingen: 1 ongelezen"
    )
    bram.goto(live_server.url + "/accounts/notifications/")
    expect(bram.locator(".notification.unread")).to_contain_text(ANNA_REPLY)
    bram.get_by_role("button", name="Als gelezen markeren", exact=True).click()
    expect(bram.locator(".notification.unread")).to_have_count(0)
    expect(bram.locator("#notification-bell").get_by_role("link")).to_have_accessible_name(
        "Meldingen"
    )

    # The debate's feed, read by a feed parser, holds both answers.
    feed = feedparser.parse(bram.request.get(debate_url + "feed/").body())
    assert not feed.bozo
    texts = [entry.summary for entry in feed.entries]
    assert texts[:2] == [ANNA_REPLY, BRAM_REBUTTAL]

    # A moderator hides Anna's reply before Bram's mail goes out: it leaks nowhere.
    reply = Notification.objects.get(recipient__username="bram").argument
    moderator = UserFactory(username="mod", is_superuser=True)
    moderate_argument(moderator, reply, "hide", "Op de persoon gespeeld.")
    run_worker()
    bram_mail = [m for m in mails(mail_dir) if m["To"] == "bram@example.org"]
    assert len(bram_mail) == 1
    body = bram_mail[0].get_payload(decode=True).decode()
    assert ANNA_REPLY not in body and "(een verborgen argument)" in body
    bram.goto(live_server.url + "/accounts/notifications/")
    expect(bram.locator(".notifications")).not_to_contain_text(ANNA_REPLY)
    bram.locator(".notification").first.get_by_role("link", name="(een verborgen argument)").click()
    expect(bram.locator(".placeholder")).to_contain_text("Op de persoon gespeeld.")
    feed = feedparser.parse(bram.request.get(debate_url + "feed/").body())
    assert ANNA_REPLY not in [entry.summary for entry in feed.entries]
    expect(bram.locator("body")).not_to_contain_text(ANNA_REPLY)


def test_an_answer_posted_in_the_reading_panel_shows_in_its_lists(
    browser: Browser, live_server, graph
):
    vrijbrief = graph["dejong-vrijbrief"]
    counted = vrijbrief.incoming.filter(relation="attack", source__status="published").count()
    UserFactory(username="lezer", password=PASSWORD)
    page = browser.new_context().new_page()
    log_in(page, live_server, "lezer")
    page.goto(
        live_server.url + "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"
    )
    page.locator(f"a.quote#argument-{vrijbrief.pk}").click()
    panel = page.locator("#reading-panel")
    expect(panel.locator("#panel-attackers-heading")).to_contain_text(f"({counted})")

    panel.locator(".actions").get_by_role("link", name="Weerleggen").click()
    panel.get_by_label("Jouw argument").fill(BRAM_REBUTTAL)
    panel.get_by_role("button", name="Plaatsen").click()

    expect(
        panel.get_by_role("status").filter(has_text="Je weerlegging is geplaatst")
    ).to_be_focused()
    expect(panel.locator("#panel-attackers-heading")).to_contain_text(f"({counted + 1})")
    expect(
        panel.locator(".panel-list").first.get_by_role("link", name=BRAM_REBUTTAL)
    ).to_be_visible()
