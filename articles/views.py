"""The article list and the moderators' browser import.

The article page and search show arguments too, so they live with the debates
(debates/reading_views.py): this app knows nothing of the layer above it.
"""

import base64
import binascii

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import moderator_required
from articles import services
from articles.models import Article
from articles.services import IMPORT_METADATA, MAX_IMPORT_BYTES


@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.with_comment_count()
    return render(request, "articles/article_list.html", {"articles": articles})


# The browser import

# What the importer is unsure of (ParsedArticle.warnings codes), said to the moderator.
WARNINGS = {
    "title_chrome": gettext_lazy(
        "The title may be a label of the site (a menu or section name), not the headline."
    ),
    "no_author": gettext_lazy("The text names no author."),
    "no_date": gettext_lazy("The text gives no publication date."),
    "cut_off": gettext_lazy("The text seems cut off: it stops in the middle of a sentence."),
    "invalid_date": gettext_lazy("The text gives a date that does not exist; it was not used."),
    "several_authors": gettext_lazy("The byline names several people; all are kept as author."),
    "encoding": gettext_lazy("The file is not UTF-8; it was read as Windows-1252 (Latin-1)."),
}


class ImportForm(forms.Form):
    # An empty file goes to the importer, whose refusal says what is wrong with it.
    file = forms.FileField(
        required=False, allow_empty_file=True, label=gettext_lazy("Text file (.txt)")
    )
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea,
        label=gettext_lazy("Or paste the text"),
    )
    # The previewed text, base64-encoded, carried to "Save" and parsed again there.
    data = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(required=False, max_length=200, label=gettext_lazy("File name"))
    title = forms.CharField(required=False, max_length=300, label=gettext_lazy("Title"))
    author = forms.CharField(required=False, max_length=200, label=gettext_lazy("Author"))
    source = forms.CharField(required=False, max_length=200, label=gettext_lazy("Publication"))
    url = forms.URLField(required=False, max_length=500, label=gettext_lazy("Address (URL)"))
    published = forms.DateField(required=False, label=gettext_lazy("Published on"))
    reason = forms.CharField(required=False, max_length=1000, label=gettext_lazy("Reason"))

    def clean(self):
        cleaned = super().clean()
        upload, text, data = cleaned.get("file"), cleaned.get("text") or "", cleaned.get("data")
        if data:
            try:
                cleaned["content"] = base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                raise ValidationError(_("The carried text is damaged: preview it again.")) from None
        elif upload and text.strip():
            raise ValidationError(_("Upload a file or paste a text, not both."))
        elif upload:
            if upload.size > MAX_IMPORT_BYTES:
                raise ValidationError(
                    _("The text is too long: at most %(max)s kB.")
                    % {"max": MAX_IMPORT_BYTES // 1000}
                )
            cleaned["content"] = upload.read()
            cleaned["name"] = cleaned.get("name") or upload.name
        elif text.strip():
            # A browser sends a textarea with CRLF line ends; store what a file would hold.
            cleaned["content"] = text.replace("\r\n", "\n").encode("utf-8")
        else:
            raise ValidationError(_("Upload a .txt file or paste the text of the article."))
        return cleaned

    def metadata(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in IMPORT_METADATA}


@require_http_methods(["GET", "HEAD", "POST"])
@moderator_required
def import_article(request: HttpRequest) -> HttpResponse:
    """Upload or paste, preview the importer's dry run, then save: a new article."""
    template = "articles/import.html"
    if request.method == "GET":
        return render(request, template, {"form": ImportForm()})

    form = ImportForm(request.POST, request.FILES)
    context = {"form": form}
    if form.is_valid():
        content = form.cleaned_data["content"]
        options = {"name": form.cleaned_data["name"], "metadata": form.metadata()}
        try:
            if request.POST.get("action") == "save":
                outcome = services.import_article(
                    request.user, content, reason=form.cleaned_data["reason"], **options
                )
                return _imported(request, outcome)
            item = services.import_preview(request.user, content, **options)
        except services.ImportRefused as refused:
            context["refusal"] = str(refused)
        else:
            preview = item.as_dict()
            context.update(
                item=item,
                preview=preview,
                warnings=[WARNINGS.get(w["code"], w["message"]) for w in preview["warnings"]],
                data=base64.b64encode(content).decode("ascii"),
                existing=services.imported_already(item),
            )
    if request.htmx:
        template += "#import-result"
    return render(request, template, context)


def _imported(request: HttpRequest, outcome) -> HttpResponse:
    article = outcome.article
    if outcome.status == "unchanged":
        messages.info(request, _("This text was imported already; nothing changed."))
    else:
        count = len(outcome.item.article.comments)
        message = ngettext(
            "“%(title)s” is imported with %(count)s reader comment.",
            "“%(title)s” is imported with %(count)s reader comments.",
            count,
        )
        messages.success(request, message % {"title": article.title, "count": count})
    if request.htmx:
        return HttpResponseClientRedirect(article.get_absolute_url())
    return redirect(article.get_absolute_url())
