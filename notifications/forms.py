from django import forms

from notifications.models import Preferences


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ["email_answers", "email_moderation", "email_debates", "digest", "language"]
