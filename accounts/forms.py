import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# Django 6.1 reworded this password error (now "%d") and its Dutch catalog has no translation for
# the new wording yet. Naming it here puts it in our catalog, which Django consults first.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    8,
)


class SignupForm(UserCreationForm):
    """Django's sign-up form (username, password1, password2) with an optional email address."""

    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Optional. Never shown to others."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_username(self) -> str:
        """Latin letters (accents welcome), digits and @ . + - _ only: a Cyrillic "а" in "аdmin"
        would pass for the admin's name."""
        username = super().clean_username()
        if username and any(not _plain(character) for character in username):
            raise forms.ValidationError(
                _("Use Latin letters, digits and @ . + - _ in your username."), code="script"
            )
        return username


def _plain(character: str) -> bool:
    if character.isascii():
        return True
    return character.isalpha() and unicodedata.name(character, "").startswith("LATIN ")
