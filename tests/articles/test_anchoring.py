"""Quotes stay anchored when an article is imported again (debates/anchoring.py).

Changed versions of de Jong's seed column are re-imported with the command; afterwards every
highlight on the article page must show exactly its argument's quote, a quote whose words
changed must be marked drifted (never moved elsewhere) and wait in the queue, and removing a
comment that arguments quote must be refused with nothing written.
"""

import html
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from debates.anchoring import reanchor_quote, retire_quote
from debates.corpus import load_corpus
from debates.models import Argument, ModerationAction
from debates.moderation.services import moderators_group
from tests.factories import UserFactory

SEED = next(settings.CORPUS_DIR.glob("002_*.txt"))
DE_JONG = "klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw"
VRIJBRIEF = "De klant centraal stellen is daarmee de ultieme vrijbrief"
HIGHLIGHT = re.compile(r'<a class="quote" id="argument-(\d+)"[^>]*>(.*?)</a>', re.S)


@pytest.fixture(autouse=True)
def plain_static_names(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def moderator(db):
    user = UserFactory(username="mira")
    user.groups.add(moderators_group())
    return user


def reimport(tmp_path, edit) -> str:
    """Import an edited copy of the seed under its own file name, as `import_articles` does."""
    copy = tmp_path / SEED.name
    copy.write_text(edit(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    out = StringIO()
    call_command("import_articles", str(copy), stdout=out)
    return out.getvalue()


def extracted(article):
    return list(Argument.objects.filter(article=article).select_related("comment"))


def highlights(client, article) -> dict[int, str]:
    page = client.get(article.get_absolute_url()).content.decode()
    return {int(pk): html.unescape(text) for pk, text in HIGHLIGHT.findall(page)}


def assert_every_highlight_is_its_quote(client, article):
    shown = highlights(client, article)
    for argument in extracted(article):
        source = argument.comment.text if argument.comment else article.body_text
        if argument.quote_state == "anchored":
            assert source[argument.quote_start : argument.quote_end] == argument.quote
            if argument.pk in shown:  # overlapping quotes get a marker instead of a link
                assert shown[argument.pk] == argument.quote
        else:
            assert argument.pk not in shown
    return shown


def test_text_added_above_the_quotes_moves_every_highlight_with_its_words(graph, client, tmp_path):
    article = Article.objects.get(slug=DE_JONG)
    before = {a.pk: (a.quote_start, a.comment_id) for a in extracted(article)}

    output = reimport(
        tmp_path,
        lambda text: text.replace(
            "Columns\n",
            "Columns\n\nEen nieuwe inleiding van de redactie, die alles daaronder verschuift.\n",
            1,
        ),
    )

    assert "1 updated" in output
    arguments = extracted(article)
    assert all(a.quote_state == "anchored" for a in arguments)
    moved = [a for a in arguments if a.comment_id is None and a.quote_start != before[a.pk][0]]
    assert len(moved) == sum(1 for a in arguments if a.comment_id is None) > 20
    shown = assert_every_highlight_is_its_quote(client, Article.objects.get(pk=article.pk))
    assert len(shown) > 40


def test_a_changed_quote_drifts_waits_in_the_queue_and_is_not_highlighted(
    graph, client, moderator, tmp_path
):
    article = Article.objects.get(slug=DE_JONG)
    vrijbrief = Argument.objects.get(key="dejong-vrijbrief")

    reimport(
        tmp_path,
        lambda text: text.replace(VRIJBRIEF, "De klant centraal stellen is zo een vrijbrief"),
    )

    vrijbrief.refresh_from_db()
    assert vrijbrief.quote_state == "drifted"
    assert vrijbrief.quote.startswith(VRIJBRIEF)  # the old quote is kept as it was
    assert vrijbrief.drift_text.startswith("De klant centraal stellen is zo een vrijbrief")
    article.refresh_from_db()
    others = [a for a in extracted(article) if a.pk != vrijbrief.pk]
    assert all(a.quote_state == "anchored" for a in others)
    shown = assert_every_highlight_is_its_quote(client, article)
    assert vrijbrief.pk not in shown
    entry = ModerationAction.objects.get(action="drift")
    assert (entry.argument, entry.moderator) == (vrijbrief, None)

    client.force_login(moderator)
    queue = client.get("/moderation/").content.decode()
    section = queue.split('id="drift-heading"')[1].split("</section>")[0]
    assert "1 citaat is losgeraakt van de tekst" in section
    assert html.escape(vrijbrief.quote) in section
    assert "De klant centraal stellen is zo een vrijbrief" in section

    # Loading the data file again leaves the decision to the moderator.
    load_corpus()
    vrijbrief.refresh_from_db()
    assert vrijbrief.quote_state == "drifted"


def test_a_moderator_anchors_a_drifted_quote_again_or_retires_it(
    graph, client, moderator, tmp_path
):
    reimport(
        tmp_path,
        lambda text: text.replace(
            VRIJBRIEF, "De klant centraal stellen is zo een vrijbrief"
        ).replace(
            "Dit economisch systeem kent geen geweten", "Dit economische systeem kent geen geweten"
        ),
    )
    vrijbrief = Argument.objects.get(key="dejong-vrijbrief")
    geweten = Argument.objects.get(key="dejong-geen-geweten")
    assert (vrijbrief.quote_state, geweten.quote_state) == ("drifted", "drifted")
    client.force_login(moderator)

    new_quote = "De klant centraal stellen is zo een vrijbrief om te gaan voor nog meer geld"
    response = client.post(
        f"/moderation/quotes/{vrijbrief.pk}/reanchor/", {"quote": new_quote, "reason": "Tekst"}
    )
    assert response.status_code == 302
    vrijbrief.refresh_from_db()
    assert (vrijbrief.quote_state, vrijbrief.quote) == ("anchored", new_quote)
    article = Article.objects.get(slug=DE_JONG)
    assert highlights(client, article)[vrijbrief.pk] == new_quote

    client.post(f"/moderation/quotes/{geweten.pk}/retire/", {"reason": "Zin is herschreven"})
    geweten.refresh_from_db()
    assert geweten.quote_state == "retired" and geweten.status == "published"
    assert geweten.pk not in highlights(client, article)
    actions = list(ModerationAction.objects.values_list("action", flat=True).order_by("pk"))
    assert actions[-2:] == ["reanchor", "retire-quote"]

    # A quote that does not stand in the text is refused; a decided quote is not decided twice.
    client.post(f"/moderation/quotes/{geweten.pk}/reanchor/", {"quote": "kent geen geweten"})
    geweten.refresh_from_db()
    assert geweten.quote_state == "retired"


def test_a_comment_inserted_above_keeps_comment_quotes_with_their_commenter(
    graph, client, tmp_path
):
    article = Article.objects.get(slug=DE_JONG)
    sydney = next(a for a in extracted(article) if a.comment and a.comment.position == 1)

    def insert_comment(text):
        head, marker, tail = text.partition("Sydney Brouwer\n")
        return f"{head}Lotte Smit\nEen korte eerste reactie, eerder geplaatst.\n{marker}{tail}"

    reimport(tmp_path, insert_comment)

    sydney.refresh_from_db()
    assert sydney.quote_state == "anchored"
    assert (sydney.comment.position, sydney.comment.author_name) == (2, "Sydney Brouwer")
    assert article.comments.count() == 12
    assert_every_highlight_is_its_quote(client, article)


def test_removing_a_quoted_comment_is_refused_and_nothing_is_written(graph, tmp_path):
    article = Article.objects.get(slug=DE_JONG)
    body, comments = article.body_text, list(article.comments.values_list("pk", "text"))
    last = SEED.read_text(encoding="utf-8").rindex("Tjip de Jong\nBeste Eduard")

    with pytest.raises(CommandError) as refused:
        reimport(tmp_path, lambda text: text[:last] + "\nMeer over Klantgerichtheid\n")

    assert str(refused.value) == (
        f"{tmp_path / SEED.name}: the new text drops reader comment 11, which 3 extracted "
        "argument(s) quote; nothing was imported"
    )
    article.refresh_from_db()
    assert article.body_text == body
    assert list(article.comments.values_list("pk", "text")) == comments


@pytest.mark.django_db(transaction=True)
def test_the_command_refusing_a_removal_exits_non_zero_in_one_line(tmp_path):
    """The same through a real process: exit status and stderr as a user sees them. The
    corpus is committed first, so that the other process sees it."""
    call_command(
        "import_articles", *map(str, sorted(settings.CORPUS_DIR.glob("*.txt"))), stdout=StringIO()
    )
    load_corpus()
    copy = tmp_path / SEED.name
    shutil.copy(SEED, copy)
    text = SEED.read_text(encoding="utf-8")
    copy.write_text(text[: text.rindex("Tjip de Jong\nBeste Eduard")], encoding="utf-8")
    db = connection.settings_dict
    url = f"postgresql://{db['USER']}@/{db['NAME']}?host={db['HOST']}"
    result = subprocess.run(
        [sys.executable, "manage.py", "import_articles", str(copy)],
        cwd=Path(settings.BASE_DIR),
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0, result.stdout
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {copy}: the new text drops reader comment 11, which 3 extracted "
        "argument(s) quote; nothing was imported"
    ]


def test_the_drift_section_costs_one_query_however_many_quotes_drifted(
    graph, client, moderator, tmp_path, django_assert_num_queries
):
    client.force_login(moderator)
    client.get("/moderation/")
    with CaptureQueriesContext(connection) as none_drifted:
        client.get("/moderation/")
    reimport(
        tmp_path,
        lambda text: text.replace("klantgerichtheid", "klantfocus").replace(
            "Klantgerichtheid", "Klantfocus"
        ),
    )
    drifted = Argument.objects.filter(quote_state="drifted").count()
    assert drifted > 10

    with django_assert_num_queries(len(none_drifted)):
        page = client.get("/moderation/").content.decode()
    assert page.count('class="card queue-item drift-item"') == drifted


@pytest.mark.django_db(transaction=True)
def test_moderators_deciding_at_once_decide_once(graph, moderator, tmp_path):
    """Eight parallel decisions on one drifted quote (half re-anchor, half retire): the row
    lock lets exactly one through, the others are told it is decided already."""
    reimport(tmp_path, lambda text: text.replace(VRIJBRIEF, "De klant centraal stellen is zo"))
    vrijbrief = Argument.objects.get(key="dejong-vrijbrief")
    assert vrijbrief.quote_state == "drifted"

    def decide(n: int) -> str:
        try:
            if n % 2:
                retire_quote(moderator, vrijbrief.pk, reason="Weg")
            else:
                reanchor_quote(moderator, vrijbrief.pk, quote="De klant centraal stellen is zo")
            return "done"
        except ValidationError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(decide, range(8)))

    assert sorted(outcomes) == ["done"] + ["refused"] * 7
    decisions = ModerationAction.objects.filter(
        argument=vrijbrief, action__in=["reanchor", "retire-quote"]
    )
    assert decisions.count() == 1


@pytest.mark.django_db
def test_a_drifted_quotes_page_links_to_the_article_not_to_a_highlight_that_is_gone(client, graph):
    argument = graph["dejong-vrijbrief"]
    Argument.objects.filter(pk=argument.pk).update(quote_state="drifted", drift_text="Iets anders.")

    html = client.get(f"/arguments/{argument.pk}/").content.decode()

    article = argument.article.get_absolute_url()
    assert f'<a href="{article}">De tekst is veranderd sinds dit werd geciteerd' in html
    assert f'href="{article}#{argument.anchor}"' not in html
