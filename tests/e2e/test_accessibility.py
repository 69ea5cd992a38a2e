"""axe-core on the pages the journeys do not pass through: no serious or critical violations."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from debates.services import argument_rebut, vote_cast
from tests.e2e.journeys import PASSWORD, log_in

pytestmark = pytest.mark.usefixtures("graph")


@pytest.mark.parametrize(
    "path", ["/articles/", "/debates/", "/search/?q=klant", "/accounts/login/", "/accounts/signup/"]
)
def test_reader_pages(page: Page, live_server, assert_accessible, path):
    page.goto(live_server.url + path)
    expect(page.locator("main h1")).to_be_visible()
    assert_accessible(page)


def test_member_and_moderator_pages(page: Page, live_server, assert_accessible, graph):
    users = get_user_model().objects
    member = users.create_user("lid", password=PASSWORD)
    users.create_superuser("moderator", password=PASSWORD)
    target = graph["dejong-vrijbrief"]
    vote_cast(member, target, "up")
    argument_rebut(member, target, "ALLEMAAL ONZIN, DIT IS GEEN ARGUMENT MAAR EEN SLOGAN", "attack")

    log_in(page, live_server, "lid")
    for path in ["/accounts/contributions/", "/accounts/password/", f"/arguments/{target.pk}/"]:
        page.goto(live_server.url + path)
        assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, live_server, "moderator")
    for path in [
        "/moderation/",
        "/moderation/log/",
        "/moderation/import/",
        f"/arguments/{target.pk}/",
    ]:
        page.goto(live_server.url + path)
        expect(page.locator("main h1")).to_be_visible()
        assert_accessible(page)


def test_the_argument_map(page: Page, live_server, assert_accessible):
    page.goto(live_server.url + "/debates/moet-de-klant-centraal-staan/map/")
    expect(page.locator("main h1")).to_have_text("Argumentkaart")
    assert_accessible(page)
