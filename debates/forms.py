from django import forms
from django.utils.translation import gettext_lazy as _

from debates.models import Link
from debates.services import MAX_TEXT, clean_text


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your argument"),
        # Length is checked after trimming in clean_text; the browser only gets a soft cap.
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT + 100}),
        help_text=_("One claim, 15 to 500 characters. Plain text; links are allowed."),
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
        return clean_text(self.cleaned_data.get("text", ""))


class LinkForm(forms.Form):
    argument = forms.IntegerField(min_value=1)
    relation = forms.ChoiceField(choices=Link.Relation.choices)
