"""The audit log: append-only at the database, readable and filterable by moderators in a fixed
number of queries, undoable from its rows; and the public log readers see per debate."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from debates.models import Argument, Debate, Link, ModerationAction
from debates.moderation.services import (
    flag_argument,
    merge_arguments,
    moderate_argument,
    set_debate_status,
)
from tests.factories import TrustedUserFactory

HX = {"HX-Request": "true"}
SLUG = "is-klantgerichtheid-het-slechtste-idee"
# Session, user and permissions (4); count, page, which rows were undone, what merges went
# into; the debates and the moderators for the filters.
LOG_QUERIES = 10


@pytest.fixture
def logged(moderator, graph):
    """A few actions on record: a hide, a lock, a pin."""
    moderate_argument(moderator, graph["konrad-geen-vrijbrief"], "hide", "Persoonlijke aanval.")
    set_debate_status(moderator, Debate.objects.get(slug=SLUG), "lock", "Het wordt te heftig.")
    moderate_argument(moderator, graph["ivorentoren-forrester"], "pin", "Sterk onderbouwd.")
    return list(ModerationAction.objects.order_by("pk"))


# Append-only, at the database


@pytest.mark.django_db
def test_the_database_refuses_delete_even_on_an_empty_log():
    """The app role has no right to delete (tests/security/test_privilege.py); a role that has,
    the owner, meets the statement trigger, which fires even when no row matches."""
    assert ModerationAction.objects.count() == 0
    refused = pytest.raises(DatabaseError, match="permission denied|append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM debates_moderationaction")


def test_the_database_refuses_to_delete_log_rows(logged):
    with pytest.raises(DatabaseError), transaction.atomic():
        ModerationAction.objects.filter(pk=logged[0].pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        ModerationAction.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM debates_moderationaction")
    assert ModerationAction.objects.count() == 3


def test_the_database_refuses_to_change_log_rows(logged):
    first = logged[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        ModerationAction.objects.filter(pk=first.pk).update(reason="Uitgewist.")
    with pytest.raises(DatabaseError), transaction.atomic():
        first.reason = "Uitgewist."
        first.save()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE debates_moderationaction SET moderator_id = NULL")
    assert ModerationAction.objects.get(pk=first.pk).reason == "Persoonlijke aanval."


# The moderators' log


def test_the_log_shows_who_when_what_target_reason_and_the_change(mod_client, logged, graph):
    for member in TrustedUserFactory.create_batch(3):
        flag_argument(member, graph["dejong-geen-geweten"], "spam")

    html = mod_client.get("/moderation/log/").content.decode()

    assert "4 acties vastgelegd" in html
    konrad = graph["konrad-geen-vrijbrief"]
    hide = html[html.index(f'id="log-{logged[0].pk}"') :]
    assert "<strong>verborgen</strong>" in hide and "<span>mira</span>" in hide
    assert f'<a href="/arguments/{konrad.pk}/">{konrad.text}</a>' in hide
    assert "Persoonlijke aanval." in hide and "status: gepubliceerd → verborgen" in hide
    lock = html[html.index(f'id="log-{logged[1].pk}"') :]
    assert f'<a href="/debates/{SLUG}/">' in lock and "status: open → gesloten" in lock
    pin = html[html.index(f'id="log-{logged[2].pk}"') :]
    assert "vastgezet: nee → ja" in pin
    auto = html[: html.index(f'id="log-{logged[2].pk}"')]
    assert "<strong>verborgen na meldingen</strong>" in auto and "<span>systeem</span>" in auto
    # Newest first, each with its undo form.
    assert html.index("verborgen na meldingen") < html.index(f'id="log-{logged[0].pk}"')
    for row in logged:
        assert f'action="/moderation/log/{row.pk}/undo/"' in html


def test_the_log_filters_by_debate_moderator_and_action(mod_client, moderator, logged, graph):
    other = get_user_model().objects.create_superuser("otto", password="een-lang-wachtwoord-9")
    moderate_argument(other, graph["dejong-vrijbrief"], "pin", "Kern van de column.")

    def rows(query: str) -> set[int]:
        html = mod_client.get(f"/moderation/log/?{query}").content.decode()
        return {row.pk for row in ModerationAction.objects.all() if f'id="log-{row.pk}"' in html}

    everything = set(ModerationAction.objects.values_list("pk", flat=True))
    hide, lock, pin = (row.pk for row in logged)
    otto_pin = everything - {hide, lock, pin}
    assert rows("") == everything
    assert rows(f"debate={SLUG}") == {hide, lock} | otto_pin  # forrester is not in it
    assert rows("debate=moet-klantbeleving-chefsache-worden") == {pin}
    assert rows("moderator=otto") == otto_pin
    assert rows("moderator=mira&action=pin") == {pin}
    assert rows("action=lock") == {lock}
    html = mod_client.get("/moderation/log/?moderator=otto").content.decode()
    assert '<option value="otto" selected>' in html


def log_queries(client, url="/moderation/log/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_log_is_paged_by_50_in_a_fixed_number_of_queries(
    mod_client, moderator, graph, django_assert_max_num_queries
):
    duplicate = Argument.objects.create(text="Klantgerichtheid is geen excuus voor winstbejag.")
    Link.objects.create(source=duplicate, target=graph["dejong-vrijbrief"], relation="attack")
    merge_arguments(moderator, duplicate, graph["konrad-geen-vrijbrief"], "Zegt hetzelfde.")
    few = log_queries(mod_client)

    target = graph["dejong-vrijbrief"]
    for i in range(30):
        moderate_argument(moderator, target, "pin", f"Vastgezet {i}.")
        moderate_argument(moderator, target, "unpin", f"Losgemaakt {i}.")

    with django_assert_max_num_queries(LOG_QUERIES):
        first = mod_client.get("/moderation/log/").content.decode()
    assert log_queries(mod_client, "/moderation/log/?page=2") == few  # with the merge, too
    assert first.count('class="card log-entry"') == 50
    assert "61 acties vastgelegd" in first and "Pagina 1 van 2" in first
    second = mod_client.get("/moderation/log/?page=2").content.decode()
    assert second.count('class="card log-entry"') == 11 and "Zegt hetzelfde." in second
    assert "Samengevoegd met" in second


def test_undo_from_the_log_in_place_and_plain(client, mod_client, logged, graph):
    hide, lock, _ = logged

    response = mod_client.post(
        f"/moderation/log/{hide.pk}/undo/", {"reason": "Toch binnen de regels."}, headers=HX
    )

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith(f'<li class="card log-entry" id="log-{hide.pk}">')
    assert 'role="status"' in html and "Ongedaan gemaakt door #" in html
    assert f'action="/moderation/log/{hide.pk}/undo/"' not in html  # undone once
    assert Argument.objects.get(pk=graph["konrad-geen-vrijbrief"].pk).status == "published"
    restore = ModerationAction.objects.latest("pk")
    assert (restore.action, restore.undoes, restore.reason) == (
        "restore",
        hide,
        "Toch binnen de regels.",
    )

    plain = mod_client.post(f"/moderation/log/{lock.pk}/undo/", {"reason": "Weer rustig."})
    assert plain.status_code == 302 and plain["Location"] == "/moderation/log/"
    assert Debate.objects.get(slug=SLUG).status == "open"
    page = mod_client.get("/moderation/log/").content.decode()
    assert "Ongedaan gemaakt: dat staat in het logboek als regel" in page
    assert f"Ongedaan gemaakt door #{restore.pk + 1}" in page


def test_an_undo_needs_a_reason_and_a_possible_inverse(mod_client, logged):
    hide = logged[0]
    before = ModerationAction.objects.count()

    missing = mod_client.post(f"/moderation/log/{hide.pk}/undo/", {"reason": ""}, headers=HX)
    mod_client.post(f"/moderation/log/{hide.pk}/undo/", {"reason": "Eerste keer."})
    twice = mod_client.post(f"/moderation/log/{hide.pk}/undo/", {"reason": "Nog eens."}, headers=HX)

    assert "Geef een reden" in missing.content.decode()
    assert 'role="alert"' in twice.content.decode()  # restoring a shown argument: refused
    assert ModerationAction.objects.count() == before + 1


# The public log


def test_the_public_log_shows_hides_merges_and_locks_with_reasons_and_no_names(
    client, moderator, graph
):
    konrad = graph["konrad-geen-vrijbrief"]
    kept = graph["dejong-vrijbrief"]
    duplicate = Argument.objects.create(text="Klant centraal is een vrijbrief voor meer omzet.")
    Link.objects.create(source=duplicate, target=graph["dejong-slechtste-idee"], relation="support")
    moderate_argument(moderator, konrad, "hide", "Persoonlijke aanval op de auteur.")
    merge_arguments(moderator, duplicate, kept, "Zegt hetzelfde als de column.")
    set_debate_status(moderator, Debate.objects.get(slug=SLUG), "lock", "Het wordt te heftig.")
    moderate_argument(moderator, kept, "pin", "Kern van de column.")  # not public
    moderate_argument(moderator, graph["ivorentoren-forrester"], "hide", "Elders verborgen.")

    response = client.get(f"/debates/{SLUG}/log/")

    html = response.content.decode()
    assert response.status_code == 200
    for reason in (
        "Persoonlijke aanval op de auteur.",
        "Zegt hetzelfde als de column.",
        "Het wordt te heftig.",
    ):
        assert reason in html
    assert "Kern van de column." not in html and "Elders verborgen." not in html
    assert "mira" not in html
    assert konrad.text not in html  # a hidden argument's words stay hidden
    assert "een argument dat niet wordt getoond" in html
    assert f'<a href="/arguments/{kept.pk}/">{kept.text}</a>' in html  # merged into
    assert "Het debat werd gesloten." in html
    assert html.index("Het wordt te heftig.") < html.index("Persoonlijke aanval")  # newest first
    assert client.get("/debates/bestaat-niet/log/").status_code == 404


def test_the_public_log_of_a_quiet_debate_says_so(client, graph):
    html = client.get(f"/debates/{SLUG}/log/").content.decode()
    assert "In dit debat is niets verborgen, samengevoegd of gesloten." in html
