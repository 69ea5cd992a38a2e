"""Django's own messages that speak formal Dutch ("Uw wachtwoord…"), said again informally.

Tegenspraak says "je" everywhere. These are Django's msgids, word for word; our catalogue
(locale/nl/LC_MESSAGES/django.po) translates them informally, and LOCALE_PATHS comes before
Django's own catalogues, so ours wins. They are listed here only so that makemessages keeps
them in our catalogue; nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_STRINGS = [
    # django.contrib.auth: the password validators (help on sign-up, errors) and forms
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    # django.views.csrf: the page a refused form shows
    gettext_noop(
        "You are seeing this message because this site requires a CSRF cookie when submitting "
        "forms. This cookie is required for security reasons, to ensure that your browser is "
        "not being hijacked by third parties."
    ),
    gettext_noop(
        "If you have configured your browser to disable cookies, please re-enable them, at "
        "least for this site, or for “same-origin” requests."
    ),
]
