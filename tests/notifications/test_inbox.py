"""The inbox: newest first, unread marked, each line leading to its place; marking read with
plain forms and with htmx; the header's count in one query, for screen readers too."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from debates.services import argument_rebut
from notifications.context_processors import unread
from notifications.models import Notification
from tests.factories import UserFactory

INBOX = reverse("accounts:notifications")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def three_answers(bram, annas_argument):
    return [
        argument_rebut(
            bram, annas_argument, f"Tegenargument nummer {n}: luisteren kost tijd.", "attack"
        )
        for n in range(3)
    ]


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_inbox_lists_newest_first_with_links_to_the_answers(client, anna, three_answers):
    client.force_login(anna)
    page = client.get(INBOX).content.decode()
    positions = [page.index(answer.text) for answer in three_answers]
    assert positions == sorted(positions, reverse=True)
    for answer in three_answers:
        assert f'href="{answer.get_absolute_url()}"' in page
    assert page.count('class="notification unread"') == 3


def test_the_header_counts_unread_in_one_query(
    client, anna, three_answers, django_assert_num_queries
):
    request = RequestFactory().get("/")
    request.user = anna
    with django_assert_num_queries(1):
        assert unread(request)["unread_notifications"]() == 3
    client.force_login(anna)
    page = client.get(reverse("debates:list")).content.decode()
    assert '<span class="badge badge-unread" aria-hidden="true">3</span>' in page
    assert 'aria-label="Meldingen: 3 ongelezen"' in page
    assert 'id="notification-bell" class="notification-bell" aria-live="polite"' in page


def test_the_inbox_costs_the_same_queries_however_many_notifications(
    client, anna, bram, annas_argument, django_assert_max_num_queries
):
    client.force_login(anna)
    argument_rebut(bram, annas_argument, "Een enkel tegenargument over luisteren.", "attack")
    with django_assert_max_num_queries(8) as few:
        client.get(INBOX)
    for n in range(6):
        argument_rebut(bram, annas_argument, f"Tegenargument {n} over het luisteren.", "support")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INBOX)


def test_mark_one_read_with_a_plain_form_and_come_back(client, anna, three_answers):
    client.force_login(anna)
    note = Notification.objects.filter(recipient=anna).first()
    response = client.post(reverse("accounts:notification-read", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == INBOX
    note.refresh_from_db()
    assert note.read_at is not None
    assert Notification.objects.filter(recipient=anna, read_at=None).count() == 2


def test_mark_one_read_with_htmx_swaps_the_line_and_the_header_count(client, anna, three_answers):
    client.force_login(anna)
    note = Notification.objects.filter(recipient=anna).first()
    response = client.post(reverse("accounts:notification-read", args=[note.pk]), headers=HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert f'id="notification-{note.pk}"' in body and "unread" not in body.split("<li")[1][:60]
    assert (
        'hx-swap-oob="true"' in body
        and '<span class="badge badge-unread" aria-hidden="true">2</span>' in body
    )


def test_mark_all_read(client, anna, three_answers):
    client.force_login(anna)
    response = client.post(reverse("accounts:notifications-read-all"), headers=HTMX)
    assert 'class="notification unread"' not in response.content.decode()
    assert not Notification.objects.filter(recipient=anna, read_at=None).exists()


def test_nobody_marks_anothers_notifications(client, anna, three_answers):
    note = Notification.objects.filter(recipient=anna).first()
    client.force_login(UserFactory())
    assert client.post(reverse("accounts:notification-read", args=[note.pk])).status_code == 404
    client.post(reverse("accounts:notifications-read-all"))
    assert Notification.objects.filter(recipient=anna, read_at=None).count() == 3


def test_marking_read_needs_csrf(anna, three_answers):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(anna)
    assert browser.post(reverse("accounts:notifications-read-all")).status_code == 403
    assert Notification.objects.filter(recipient=anna, read_at=None).count() == 3
