"""The site as a newcomer sees it on a laptop (1280 px) and a phone (390 px): screenshots of the
main pages under var/screenshots/ (not committed: look at them), a one-row header, nothing
that scrolls sideways, tap targets of 44 px, axe-core clean in light and dark."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from debates.moderation.services import flag_argument
from debates.services import argument_rebut
from tests.e2e.journeys import PASSWORD, log_in

pytestmark = pytest.mark.usefixtures("graph")

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
HEADER_MAX = 80  # px at 390: the header is one row
DEBATE = "/debates/moet-de-klant-centraal-staan/"
ARTICLE = "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"
REBUTTAL = "Klantgerichtheid is een modewoord dat elke directie even hard roept."


def pages(graph) -> dict[str, str]:
    return {
        "home": "/",
        "article": ARTICLE,
        "debate": DEBATE,
        "map": DEBATE + "map/",
        "argument": graph["dejong-slechtste-idee"].get_absolute_url(),
    }


def check_layout(page: Page, name: str, viewport: dict, axe) -> None:
    """Screenshot the page, then assert what the screenshot should show; axe-core finds
    nothing at all (not only nothing serious)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-{viewport['width']}.png", full_page=True)
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, f"{name} scrolls sideways at {viewport['width']} px"
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= HEADER_MAX, f"header {header['height']} px high on {name}"
    violations = axe.run(page).response["violations"]
    assert not violations, [(v["id"], v["impact"], v["nodes"][0]["target"]) for v in violations]


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "390"])
def test_the_main_pages_at_laptop_and_phone_width(page: Page, live_server, graph, axe, viewport):
    page.set_viewport_size(viewport)
    for name, path in pages(graph).items():
        page.goto(live_server.url + path)
        expect(page.locator("main h1")).to_be_visible()
        check_layout(page, name, viewport, axe)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "390"])
def test_the_moderation_queue_at_laptop_and_phone_width(
    page: Page, live_server, graph, axe, viewport
):
    users = get_user_model().objects
    users.create_superuser("moderator", password=PASSWORD)
    member = users.create_user("marieke", password=PASSWORD)
    rebuttal = argument_rebut(member, graph["dejong-slechtste-idee"], REBUTTAL, "attack")
    flag_argument(users.create_user("joost", password=PASSWORD), rebuttal, "duplicate")

    log_in(page, live_server, "moderator")
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/moderation/")
    expect(page.locator(f"#queue-item-{rebuttal.pk}")).to_contain_text(REBUTTAL)
    check_layout(page, "moderation", viewport, axe)


def test_dark_pages_pass_axe_too(browser: Browser, live_server, graph, axe):
    context = browser.new_context(color_scheme="dark", viewport=PHONE)
    page = context.new_page()
    for name, path in pages(graph).items():
        page.goto(live_server.url + path)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(20, 25, 28)", name  # the dark tokens are in force
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{name}-390-dark.png")
        violations = axe.run(page).response["violations"]
        assert not violations, [(v["id"], v["impact"], v["nodes"][0]["target"]) for v in violations]
    context.close()


def test_the_phone_menu_opens_without_javascript(browser: Browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + DEBATE)
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav).to_be_hidden()
    menu = page.locator("summary", has_text="Menu")
    assert menu.bounding_box()["height"] >= 44

    menu.click()

    expect(nav.get_by_role("link", name="Artikelen")).to_be_visible()
    expect(page.get_by_role("link", name="Inloggen")).to_be_visible()
    for link in nav.get_by_role("link").all() + [page.get_by_role("link", name="Inloggen")]:
        assert link.bounding_box()["height"] >= 44, link.text_content()
    nav.get_by_role("link", name="Artikelen").click()
    expect(page).to_have_url(live_server.url + "/articles/")
    context.close()


def test_at_laptop_width_the_menu_stands_in_the_row(page: Page, live_server):
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + "/")
    expect(page.locator("summary", has_text="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link")).to_have_count(3)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= HEADER_MAX


def test_tap_targets_on_a_phone_are_44_px(page: Page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + DEBATE)
    targets = page.locator(
        "main button:visible, main .actions > a:visible, main a.expand:visible, "
        "main .sort a:visible, main summary:visible, main input:visible"
    )
    heights = targets.evaluate_all("els => els.map(el => el.getBoundingClientRect().height)")
    assert len(heights) > 20
    assert min(heights) >= 44


def test_the_home_page_says_what_to_do_and_searches_as_you_type(
    page: Page, live_server, assert_accessible
):
    page.goto(live_server.url + "/")
    steps = page.locator(".start-steps")
    for step in ("Lees een column", "Weeg een debat", "Reageer op een argument"):
        expect(steps.get_by_role("link", name=step)).to_be_visible()
    card = page.locator(".debate-card", has_text="Moet de klant centraal staan?")
    expect(card.locator(".verdict")).to_be_visible()
    expect(card).to_contain_text(re.compile(r"\d+ argumenten"))
    expect(card).to_contain_text("nieuwste argument")

    page.get_by_label("Zoek in artikelen, reacties en argumenten").press_sequentially(
        "statieg", delay=40
    )

    results = page.locator("#home-search-results")
    article = "Klantgerichtheid is het slechtste idee van de 21ste eeuw"
    expect(results.get_by_role("link", name=article, exact=True)).to_be_visible()
    expect(results.locator("mark").first).to_have_text("statiegeld")
    expect(page).to_have_url(live_server.url + "/")
    assert_accessible(page)


def test_the_debate_and_its_map_count_the_same_arguments(page: Page, live_server):
    page.goto(live_server.url + DEBATE)
    debate_count = re.search(r"(\d+) argumenten onder de stelling", page.inner_text("main"))[1]
    page.goto(live_server.url + DEBATE + "map/")
    map_count = re.search(r"(\d+) argumenten onder de stelling", page.inner_text(".lead"))[1]
    page.goto(live_server.url + "/debates/")
    card = page.locator(".debate-card", has_text="Moet de klant centraal staan?")
    list_count = re.search(r"(\d+) argumenten", card.inner_text())[1]
    assert debate_count == map_count == list_count


def test_favicon_and_manifest_are_served(page: Page, live_server):
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert not failed

    icon = page.locator('link[rel="icon"]').get_attribute("href")
    response = page.request.get(live_server.url + icon)
    assert response.ok and "svg" in response.headers["content-type"]
    manifest = page.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(live_server.url + manifest)
    assert response.ok
    assert json.loads(response.text())["name"] == "Tegenspraak"


def test_the_header_stays_one_row_at_every_width_for_a_moderator(page: Page, live_server):
    get_user_model().objects.create_superuser("moderatorin", password=PASSWORD)
    log_in(page, live_server, "moderatorin")  # the longest header: five links and a name
    for width in (320, 390, 600, 800, 1000, 1100, 1152, 1280, 1600):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + "/")
        header = page.locator(".site-header").bounding_box()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert header["height"] <= HEADER_MAX and scroll_width <= width, width
