"""Who hears what: answers, moderators' decisions, followed debates; never one's own act or a
down vote; and a notification shows its argument as the reader may see it now."""

import pytest
from django.urls import reverse

from debates.models import Argument
from debates.moderation.services import edit_argument, merge_arguments, moderate_argument
from debates.services import argument_link, argument_rebut, vote_cast
from notifications.models import Follow, Kind, Notification
from tests.factories import CLAIMS, ArgumentFactory, LinkFactory, UserFactory

REBUTTAL = "Luisteren is niet genoeg zolang niemand er iets mee doet."


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_rebuttal_tells_the_author_and_not_the_one_who_posted(anna, bram, annas_argument):
    posted = argument_rebut(bram, annas_argument, REBUTTAL, "attack")

    note = Notification.objects.get(recipient=anna)
    assert (note.kind, note.actor, note.argument, note.target) == (
        Kind.ATTACKED,
        bram,
        posted,
        annas_argument,
    )
    assert kinds(bram) == []


def test_answering_ones_own_argument_tells_nobody(anna, annas_argument):
    argument_rebut(anna, annas_argument, REBUTTAL, "support")
    assert kinds(anna) == []


def test_linking_an_existing_argument_as_support_tells_the_author(anna, bram, annas_argument):
    other = ArgumentFactory(text="Wie luistert, verkoopt op den duur meer.")
    argument_link(bram, annas_argument, other.pk, "support")
    assert kinds(anna) == [Kind.SUPPORTED]


def test_votes_tell_nobody(anna, bram, annas_argument):
    vote_cast(bram, annas_argument, "down")
    vote_cast(bram, annas_argument, "up")
    assert kinds(anna) == []


def test_posting_follows_the_debate_unless_unfollowed_before(bram, annas_argument, debate):
    argument_rebut(bram, annas_argument, REBUTTAL, "attack")
    assert Follow.objects.get(user=bram, debate=debate).active

    Follow.objects.filter(user=bram).update(active=False)
    argument_rebut(bram, annas_argument, REBUTTAL + " Echt niet.", "attack")
    assert not Follow.objects.get(user=bram, debate=debate).active


def test_a_followed_debate_collects_its_new_arguments_in_one_notification(
    anna, bram, debate, annas_argument
):
    carla = UserFactory()
    Follow.objects.create(user=carla, debate=debate)
    for n in range(3):
        argument_rebut(bram, annas_argument, f"Reden {n}: {CLAIMS[n]}.", "attack")

    note = Notification.objects.get(recipient=carla)
    assert (note.kind, note.count, note.debate) == (Kind.DEBATE, 3, debate)
    # Anna hears each answer to her own argument, not the debate's collection too.
    assert kinds(anna) == [Kind.ATTACKED] * 3

    note.read_at = note.created_at
    note.save()
    argument_rebut(bram, annas_argument, f"Reden 4: {CLAIMS[4]}.", "attack")
    assert Notification.objects.filter(recipient=carla, read_at=None).get().count == 1


def test_a_waiting_post_tells_nothing_until_approved(anna, bram, annas_argument, debate, moderator):
    debate.premoderated = True
    debate.save()
    posted = argument_rebut(bram, annas_argument, REBUTTAL, "attack")
    assert posted.is_pending
    assert kinds(anna) == []

    moderate_argument(moderator, posted, "approve", "Netjes.")
    assert kinds(bram) == [Kind.APPROVED]
    assert kinds(anna) == [Kind.ATTACKED]


def test_a_rejected_post_tells_its_author_why(bram, annas_argument, debate, moderator):
    debate.premoderated = True
    debate.save()
    posted = argument_rebut(bram, annas_argument, REBUTTAL, "attack")
    moderate_argument(moderator, posted, "reject", "Dit is reclame.")
    note = Notification.objects.get(recipient=bram)
    assert (note.kind, note.reason, note.actor) == (Kind.REJECTED, "Dit is reclame.", moderator)


@pytest.mark.parametrize(
    ("act", "kind"),
    [
        (lambda m, a: moderate_argument(m, a, "hide", "Beledigend."), Kind.HIDDEN),
        (lambda m, a: edit_argument(m, a, REBUTTAL + " (ingekort)", "Beledigend."), Kind.EDITED),
    ],
)
def test_a_moderators_action_tells_the_author_with_the_reason(
    anna, annas_argument, moderator, act, kind
):
    act(moderator, annas_argument)
    note = Notification.objects.get(recipient=anna)
    assert (note.kind, note.reason) == (kind, "Beledigend.")


def test_restored_after_hidden(anna, annas_argument, moderator):
    moderate_argument(moderator, annas_argument, "hide", "Even weg.")
    moderate_argument(moderator, annas_argument, "restore", "Toch in orde.")
    assert kinds(anna) == [Kind.RESTORED, Kind.HIDDEN]


def test_a_moderator_acting_on_their_own_post_hears_nothing(moderator, debate):
    own = ArgumentFactory(author=moderator)
    LinkFactory(source=own, target=debate.thesis)
    moderate_argument(moderator, own, "hide", "Per ongeluk.")
    assert kinds(moderator) == []


def test_a_notification_about_a_post_hidden_later_shows_the_placeholder(
    client, anna, bram, annas_argument, moderator
):
    posted = argument_rebut(bram, annas_argument, REBUTTAL, "attack")
    moderate_argument(moderator, posted, "hide", "Beledigend.")
    client.force_login(anna)

    page = client.get(reverse("accounts:notifications")).content.decode()
    assert REBUTTAL not in page
    assert "verborgen argument" in page
    assert client.get(posted.get_absolute_url()).status_code == 200


def test_a_notification_about_a_merged_post_leads_to_what_it_was_merged_into(
    client, anna, bram, annas_argument, moderator
):
    posted = argument_rebut(bram, annas_argument, REBUTTAL, "attack")
    kept = ArgumentFactory(text="Luisteren zonder iets te doen is zinloos.")
    merge_arguments(moderator, posted, kept, "Zegt hetzelfde.")
    client.force_login(anna)

    page = client.get(reverse("accounts:notifications")).content.decode()
    assert f'href="{kept.get_absolute_url()}"' in page
    assert kept.text in page
    # Bram hears that his post was merged, and where it went.
    client.force_login(bram)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "samengevoegd" in page and kept.text in page


def test_a_notification_about_a_post_no_longer_public_never_404s_or_leaks(
    client, anna, bram, annas_argument
):
    posted = argument_rebut(bram, annas_argument, REBUTTAL, "attack")
    Argument.objects.filter(pk=posted.pk).update(status=Argument.Status.PENDING)
    client.force_login(anna)

    page = client.get(reverse("accounts:notifications")).content.decode()
    assert REBUTTAL not in page
    # It leads to Anna's own argument instead.
    assert f'href="{annas_argument.get_absolute_url()}"' in page
