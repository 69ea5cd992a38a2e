"""The debates' signals, turned into notifications in the same transaction."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from debates.signals import argument_answered, argument_moderated
from notifications import services
from notifications.models import Preferences


@receiver(argument_answered)
def _answered(sender, link, actor, posted: bool, **kwargs) -> None:
    if posted:
        services.follow_debates_of(actor, link.target)
    services.answered(link, actor)


@receiver(argument_moderated)
def _moderated(sender, entry, **kwargs) -> None:
    services.moderated(entry)


@receiver(user_logged_in)
def _language(sender, request, user, **kwargs) -> None:
    """Mails come in the language the member used when they first logged in (or signed up),
    until they choose another in their settings."""
    language = getattr(request, "LANGUAGE_CODE", None)
    if language:
        Preferences.objects.get_or_create(user=user, defaults={"language": language})
