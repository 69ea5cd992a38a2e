import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from debates.models import Link
from debates.services import clean_claim
from debates.vocabulary import CLAIM_MAX, CLAIM_MIN

_DIGITS = re.compile(r"[0-9]{1,18}")


def ascii_int(value) -> int | None:
    """A whole number written in ASCII digits, or None: "²" and "٣" pass str.isdigit() but are
    not ids, offsets or counts."""
    value = str(value or "").strip()
    return int(value) if _DIGITS.fullmatch(value) else None


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your argument"),
        # Length is checked after trimming, by clean_claim, which says what is wrong; a maxlength
        # would let the browser cut a pasted claim short without a word.
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(
            _("One claim, {min} to {max} characters. Plain text; links are allowed."),
            min=CLAIM_MIN,
            max=CLAIM_MAX,
        ),
    )
    relation = forms.ChoiceField(
        label=_("It"),
        choices=[
            (Link.Relation.ATTACK, _("attacks this argument (a rebuttal)")),
            (Link.Relation.SUPPORT, _("supports this argument")),
        ],
        initial=Link.Relation.ATTACK,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it attacks or supports.")},
    )

    def clean_text(self) -> str:
        return clean_claim(self.cleaned_data.get("text", ""))


class LinkForm(forms.Form):
    argument = forms.IntegerField(min_value=1)
    relation = forms.ChoiceField(choices=Link.Relation.choices)
