"""Loading the extracted arguments (debates/corpus/arguments.toml) into the graph.

The file is the reviewable source of the extraction: each argument names its article (and
comment) and quotes it verbatim; the loader finds the quote's offsets in the imported text.
Loading is idempotent: unchanged entries write nothing, edited ones update in place.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from articles.models import Article, Comment
from debates.anchoring import context
from debates.models import Argument, Debate, Link
from debates.strength import refresh_all
from debates.vocabulary import CLAIM_MAX, CLAIM_MIN, QuoteState

# What the loader leaves alone on a quote that is no longer anchored.
ANCHOR_FIELDS = ("comment", "quote", "quote_start", "quote_end", "quote_prefix", "quote_suffix")
DEFAULT_PATH = Path(settings.BASE_DIR) / "debates" / "corpus" / "arguments.toml"


class CorpusError(Exception):
    """The file is inconsistent with itself or with the imported articles."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)


def _locate(text: str, quote: str, occurrence: int, where: str) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.find(quote, start + 1)
        if start == -1:
            raise CorpusError(f"{where}: quote not found verbatim: {quote[:60]!r}")
    return start


def _save(model, obj, lookup: dict, values: dict, report: LoadReport):
    """Create, or update `obj` (already fetched) only where its values changed."""
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count("created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.count("updated")
    else:
        report.count("unchanged")
    return obj


@transaction.atomic
def load_corpus(path: Path = DEFAULT_PATH) -> dict[str, LoadReport]:
    """Load arguments, links and debates from the file, all or nothing."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CorpusError(f"{path}: {error}") from None

    articles = Article.objects.in_bulk(field_name="slug")
    comments = {
        (comment.article_id, comment.position): comment for comment in Comment.objects.all()
    }
    reports = {"arguments": LoadReport(), "links": LoadReport(), "debates": LoadReport()}
    # Everything that exists, fetched once: the loops below query only to write.
    existing_arguments = Argument.objects.exclude(key=None).in_bulk(field_name="key")
    existing_links = {(link.source_id, link.target_id): link for link in Link.objects.all()}
    existing_debates = Debate.objects.in_bulk(field_name="slug")

    arguments = {}
    for entry in data.get("argument", []):
        key = entry["key"]
        if key in arguments:
            raise CorpusError(f"argument {key}: the key is used twice")
        text = entry["text"].strip()
        if not CLAIM_MIN <= len(text) <= CLAIM_MAX:
            raise CorpusError(
                f"argument {key}: the claim must have {CLAIM_MIN} to {CLAIM_MAX} characters"
            )
        values = {"text": text, "article": None, "comment": None, "quote": ""}
        values.update(quote_start=None, quote_end=None, quote_prefix="", quote_suffix="")
        if "article" in entry:
            article = articles.get(entry["article"])
            if article is None:
                raise CorpusError(f"argument {key}: no article {entry['article']!r} (import it)")
            source_text = article.body_text
            comment = None
            if "comment" in entry:
                comment = comments.get((article.pk, entry["comment"]))
                if comment is None or comment.author_name != entry.get("commenter"):
                    raise CorpusError(
                        f"argument {key}: comment {entry['comment']} of {article.slug} is not "
                        f"by {entry.get('commenter')!r}"
                    )
                source_text = comment.text
            quote = entry["quote"]
            known = existing_arguments.get(key)
            if known is not None and known.quote_state != QuoteState.ANCHORED:
                # Drifted or retired after a re-import: a moderator decides, not the data file.
                values.update(
                    {name: getattr(known, name) for name in ANCHOR_FIELDS}, article=article
                )
            else:
                where = f"argument {key}"
                start = _locate(source_text, quote, entry.get("occurrence", 1), where)
                prefix, suffix = context(source_text, start, start + len(quote))
                values.update(
                    article=article,
                    comment=comment,
                    quote=quote,
                    quote_start=start,
                    quote_end=start + len(quote),
                    quote_prefix=prefix,
                    quote_suffix=suffix,
                )
        arguments[key] = _save(
            Argument, existing_arguments.get(key), {"key": key}, values, reports["arguments"]
        )

    def argument(key: str, where: str) -> Argument:
        if key not in arguments:
            raise CorpusError(f"{where}: no argument with key {key!r}")
        return arguments[key]

    for entry in data.get("link", []):
        where = f"link {entry['from']} -> {entry['to']}"
        source, target = argument(entry["from"], where), argument(entry["to"], where)
        if source == target:
            raise CorpusError(f"{where}: an argument cannot answer itself")
        if entry["relation"] not in Link.Relation.values:
            raise CorpusError(f"{where}: relation must be attack or support")
        _save(
            Link,
            existing_links.get((source.pk, target.pk)),
            {"source": source, "target": target},
            {"relation": entry["relation"]},
            reports["links"],
        )

    for position, entry in enumerate(data.get("debate", []), start=1):
        thesis = argument(entry["thesis"], f"debate {entry['slug']}")
        values = {
            "title": entry["title"],
            "description": entry.get("description", ""),
            "thesis": thesis,
            "article": thesis.article,
            "position": position,
        }
        slug = entry["slug"]
        _save(Debate, existing_debates.get(slug), {"slug": slug}, values, reports["debates"])
    refresh_all()
    return reports
