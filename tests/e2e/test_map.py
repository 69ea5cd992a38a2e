"""The argument map in Chromium: accessible, walked by keyboard, zoomed and dragged."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from debates.moderation.services import moderate_argument
from tests.e2e.journeys import PASSWORD, log_in

pytestmark = pytest.mark.usefixtures("graph")
MAP = "/debates/is-klantgerichtheid-het-slechtste-idee/map/"


def view_box(page: Page) -> list[float]:
    return [float(n) for n in page.locator("svg.argmap-svg").get_attribute("viewBox").split()]


@pytest.fixture
def english(page: Page, live_server):
    """The zoom buttons by their English names (the Dutch ones come with the translations)."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    return page


def test_the_map_passes_axe_and_a_node_is_followed_by_keyboard(
    english: Page, live_server, assert_accessible
):
    page = english
    page.goto(live_server.url + MAP)
    svg = page.locator("svg.argmap-svg")
    expect(svg).to_be_visible()
    expect(svg.locator("a")).to_have_count(101)
    assert_accessible(page)

    # From the zoom buttons the Tab key reaches the skip link, then the thesis, then its answers.
    page.get_by_role("button", name="Whole map").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip the map: go to the outline")).to_be_focused()
    page.keyboard.press("Tab")
    thesis = svg.locator("a.thesis")
    expect(thesis).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert re.fullmatch(r"/arguments/\d+/", focused)
    # Its name is the whole claim, as the outline below writes it out.
    name = page.locator(f"ul.map a[href='{focused}']").text_content()
    expect(svg.locator(f"a[href='{focused}']")).to_have_accessible_name(name)
    expect(svg.locator(f"a[href='{focused}']")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(focused) + "$"))
    expect(page.locator("main h1")).to_contain_text(name[:40])


def test_another_debate_map_passes_axe(page: Page, live_server, assert_accessible):
    page.goto(live_server.url + "/debates/moet-de-klant-centraal-staan/map/")
    expect(page.locator("svg.argmap-svg a.thesis")).to_be_visible()
    assert_accessible(page)


def test_hovering_an_argument_shows_its_whole_claim(page: Page, live_server):
    """The claim is written once, in the outline; the map's link names itself after it and, under
    the mouse, gets it back as its tooltip (a <title>), under the same name."""
    page.goto(live_server.url + MAP)
    thesis = page.locator("svg.argmap-svg a.thesis")
    claim = page.locator("ul.map a[href='" + thesis.get_attribute("href") + "']").text_content()
    expect(thesis).to_have_accessible_name(claim)
    expect(thesis.locator("title")).to_have_count(0)

    thesis.hover()

    expect(thesis.locator("title")).to_have_text(claim)
    expect(thesis).to_have_accessible_name(claim)
    expect(thesis).to_have_accessible_description("")


def test_the_stylesheet_paints_the_drawing(page: Page, live_server):
    """The SVG carries the geometry; the colours, dashes and fonts that site.css gives it are
    what a reader sees: dashed red attacks ending in a bar, solid green supports with an arrow,
    the thesis in bold."""
    page.goto(live_server.url + MAP)
    styles = page.locator("svg.argmap-svg").evaluate(
        """svg => {
            const style = (selector) => getComputedStyle(svg.querySelector(selector));
            const attack = style(".edges .attack path"), support = style(".edges .support path");
            return {
                attack: [attack.stroke, attack.strokeDasharray, attack.markerEnd, attack.fill],
                support: [support.stroke, support.strokeDasharray, support.markerEnd, support.fill],
                bar: style("#argmap-attack path").fill,
                arrow: style("#argmap-support path").fill,
                size: style("a:not(.thesis) text").fontSize,
                weight: style(".thesis text").fontWeight,
                border: style("a:not(.thesis) rect").stroke,
            };
        }"""
    )

    assert styles["attack"][:2] == ["rgb(164, 38, 44)", "5px, 2px"]
    assert styles["attack"][2].endswith('#argmap-attack")') and styles["attack"][3] == "none"
    assert styles["support"][:2] == ["rgb(46, 107, 48)", "none"]
    assert styles["support"][2].endswith('#argmap-support")') and styles["support"][3] == "none"
    assert (styles["bar"], styles["arrow"]) == ("rgb(164, 38, 44)", "rgb(46, 107, 48)")
    assert (styles["size"], styles["weight"]) == ("10px", "700")
    assert styles["border"] == "rgb(61, 74, 82)"


def test_a_hidden_argument_is_a_grey_dashed_box_and_dotted_for_a_moderator(
    page: Page, live_server, graph
):
    moderator = get_user_model().objects.create_superuser("moderator", password=PASSWORD)
    target = graph["konrad-geen-vrijbrief"]
    moderate_argument(moderator, target, "hide", "Te fel geformuleerd.")
    border = """rect => {
        const style = getComputedStyle(rect);
        return [style.fill, style.stroke, style.strokeDasharray];
    }"""

    page.goto(live_server.url + MAP)  # a reader: an empty box keeps its place
    placeholder = page.locator("svg.argmap-svg g.placeholder rect")
    assert placeholder.evaluate(border) == ["rgb(238, 238, 236)", "rgb(138, 148, 155)", "5px, 2px"]

    log_in(page, live_server, "moderator")
    page.goto(live_server.url + MAP)  # a moderator: the argument, its border dotted
    hidden = page.locator(f"svg.argmap-svg a.hidden[href='/arguments/{target.pk}/'] rect")
    assert hidden.evaluate(border)[1:] == ["rgb(61, 74, 82)", "1px, 5px"]


def test_the_zoom_buttons_change_the_view_and_work_by_keyboard(english: Page, live_server):
    page = english
    drawn = page.request.get(live_server.url + MAP).text()
    x, y, width, height = (
        float(n) for n in re.search(r'class="argmap-svg"[^>]* viewBox="([^"]+)"', drawn)[1].split()
    )
    page.goto(live_server.url + MAP)
    # A large map starts legible at the thesis, not shrunk to fit.
    start = view_box(page)
    assert start[2] < width or start[3] < height

    page.get_by_role("button", name="Zoom in").click()
    zoomed = view_box(page)
    assert zoomed[2] < start[2] and zoomed[3] < start[3]

    page.get_by_role("button", name="Zoom in").focus()
    page.keyboard.press("Enter")
    closer = view_box(page)
    assert closer[2] < zoomed[2]

    page.get_by_role("button", name="Zoom out").press("Space")
    assert view_box(page)[2] > closer[2]

    page.get_by_role("button", name="Whole map").press("Enter")
    left, top, w, h = view_box(page)
    assert left <= x + 0.1 and top <= y + 0.1  # all of the drawing in view
    assert left + w >= x + width - 0.1 and top + h >= y + height - 0.1
    assert w == pytest.approx(width, abs=0.1) or h == pytest.approx(height, abs=0.1)


def test_dragging_moves_the_map_and_follows_no_link(english: Page, live_server):
    page = english
    page.goto(live_server.url + MAP)
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    before = view_box(page)
    box = page.locator("[data-argmap-viewport]").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 120, y - 80, steps=6)
    page.mouse.up()

    after = view_box(page)
    assert after[0] > before[0] and after[1] > before[1]
    assert after[2] == pytest.approx(before[2])
    expect(page).to_have_url(re.compile(re.escape(MAP) + "$"))


def test_without_javascript_the_map_is_simply_shown(browser, live_server, assert_accessible):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + MAP)

    svg = page.locator("svg.argmap-svg")
    expect(svg).to_be_visible()
    expect(page.locator("[data-argmap-tools]")).to_be_hidden()
    assert svg.bounding_box()["width"] > 600  # the page's width, not a thumbnail
    assert (
        page.locator("[data-argmap-viewport]").evaluate("box => getComputedStyle(box).overflowY")
        == "auto"
    )
    svg.locator("a.thesis").click()
    expect(page).to_have_url(re.compile(r"/arguments/\d+/$"))
    context.close()
