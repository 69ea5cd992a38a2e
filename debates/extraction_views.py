"""Moderators' pages for extracting arguments from a passage and importing an article.

Both work as plain HTML forms; with htmx the extraction form answers in place on the article
page and the import preview appears under its form.
"""

import base64
import binascii
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from articles.models import Article
from debates import extraction
from debates.models import Link
from debates.moderation import is_moderator

PANEL = "moderation/includes/extract_tool.html#extract-panel"


def moderator_required(view):
    """Anonymous visitors go to the login page (and come back); members get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            login = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
            if request.htmx:
                return HttpResponseClientRedirect(login)
            return redirect(login)
        if not is_moderator(request.user):
            raise PermissionDenied(_("Only moderators can do this."))
        return view(request, *args, **kwargs)

    return wrapper


# Extraction


class ExtractForm(forms.Form):
    # Only types the input; the service checks the quote, its offsets, the comment and the
    # claim, so every message about the text comes from one place. The templates write the
    # fields out by hand (labels included): the in-page form and the plain page differ.
    comment = forms.IntegerField(required=False, min_value=1)
    quote = forms.CharField(
        strip=False,
        max_length=extraction.MAX_QUOTE,
        error_messages={"required": gettext_lazy("Select or paste the passage.")},
    )
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)
    occurrence = forms.IntegerField(required=False, min_value=1)
    text = forms.CharField(required=False, strip=False)
    target = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": gettext_lazy("Give the argument's number.")},
    )
    relation = forms.ChoiceField(required=False, choices=Link.Relation.choices)
    reason = forms.CharField(required=False, max_length=1000)


def _extract(request: HttpRequest, article: Article, form: ExtractForm):
    """The new argument, or None with the errors added to the form."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    quote = data["quote"]
    try:
        if data["start"] is None or data["end"] is None:
            # The page without JavaScript: the server finds the pasted passage.
            start, end, quote = extraction.locate_quote(
                article,
                comment_id=data["comment"],
                quote=quote,
                occurrence=data["occurrence"] or 1,
            )
        else:
            start, end = data["start"], data["end"]
        return extraction.argument_extract(
            request.user,
            article,
            comment_id=data["comment"],
            start=start,
            end=end,
            quote=quote,
            text=data["text"],
            target_id=data["target"],
            relation=data["relation"] or None,
            reason=data["reason"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _extract_page(request: HttpRequest, article: Article, form: ExtractForm) -> HttpResponse:
    """The plain page: paste a quote, pick the comment it is from, write the claim."""
    occurrence = 1
    if form.is_bound:
        start = form.data.get("start", "")
        quote = form.data.get("quote", "")
        if start.isdigit():  # came from a selection: keep pointing at the same occurrence
            occurrence = extraction.occurrence_at(
                article, form.data.get("comment"), quote, int(start)
            )
        elif form.data.get("occurrence", "").isdigit():
            occurrence = int(form.data["occurrence"])
    else:
        occurrence = form.initial.get("occurrence") or 1
    context = {
        "article": article,
        "comments": article.comments.order_by("position"),
        "form": form,
        "occurrence": occurrence,
    }
    return render(request, "moderation/extract.html", context)


@require_http_methods(["GET", "POST"])
@moderator_required
def extract(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    if request.method == "GET":
        initial = {key: request.GET.get(key, "") for key in ("quote", "comment", "text")}
        occurrence = request.GET.get("occurrence", "")
        initial["occurrence"] = int(occurrence) if occurrence.isdigit() else 1
        return _extract_page(request, article, ExtractForm(initial=initial))

    form = ExtractForm(request.POST)
    argument = _extract(request, article, form)
    if argument is None:
        if request.htmx:  # invalid: the form again, open, with its errors (htmx swaps 200s)
            context = {"article": article, "extract_form": form, "open": True}
            return render(request, PANEL, context)
        return _extract_page(request, article, form)
    link = argument.outgoing.select_related("target").first()
    if request.htmx:
        context = {"article": article, "created": argument, "link": link}
        return render(request, PANEL, context)
    messages.success(request, _("The argument is created; its quote is marked in the text."))
    return redirect(f"{article.get_absolute_url()}#{argument.anchor}")


# Import


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
            if upload.size > extraction.MAX_IMPORT_BYTES:
                raise ValidationError(
                    _("The text is too long: at most %(max)s kB.")
                    % {"max": extraction.MAX_IMPORT_BYTES // 1000}
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
        return {key: self.cleaned_data.get(key) for key in extraction.IMPORT_METADATA}


@require_http_methods(["GET", "POST"])
@moderator_required
def import_article(request: HttpRequest) -> HttpResponse:
    """Upload or paste, preview the importer's dry run, then save: a new article."""
    template = "moderation/import.html"
    if request.method == "GET":
        return render(request, template, {"form": ImportForm()})

    form = ImportForm(request.POST, request.FILES)
    context = {"form": form}
    if form.is_valid():
        content = form.cleaned_data["content"]
        options = {"name": form.cleaned_data["name"], "metadata": form.metadata()}
        try:
            if request.POST.get("action") == "save":
                outcome = extraction.import_article(
                    request.user, content, reason=form.cleaned_data["reason"], **options
                )
                return _imported(request, outcome)
            item = extraction.import_preview(request.user, content, **options)
        except extraction.ImportRefused as refused:
            context["refusal"] = str(refused)
        else:
            context.update(
                item=item,
                preview=item.as_dict(),
                data=base64.b64encode(content).decode("ascii"),
                existing=extraction.imported_already(item),
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
