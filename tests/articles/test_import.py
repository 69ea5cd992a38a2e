"""The import_articles command against the real database."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, Comment
from debates.models import Argument, Debate

SEEDS = sorted(str(path) for path in settings.CORPUS_DIR.glob("*.txt"))
DE_JONG = "klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw"


@pytest.fixture
def empty_database(db):
    """No articles yet: the seed corpus, loaded once per run, is deleted inside this test's
    transaction, so the import below starts from nothing and the next test still has it."""
    Debate.objects.all().delete()
    Argument.objects.all().delete()
    Article.objects.all().delete()


def run_import(*args) -> str:
    out = StringIO()
    call_command("import_articles", *args, stdout=out)
    return out.getvalue()


def test_it_imports_the_five_seeds_with_their_metadata(empty_database):
    output = run_import(*SEEDS)

    assert "5 files: 5 created, 0 updated, 0 unchanged" in output
    articles = {article.source_file[:3]: article for article in Article.objects.all()}
    assert articles["000"].title == "Loze beloften?"
    assert articles["000"].author == "Kel Koenen"
    assert articles["000"].published.isoformat() == "2025-03-03"
    assert articles["001"].title == "Customer centricity: de klant als uitgangspunt van alles"
    assert articles["002"].title == "Klantgerichtheid is het slechtste idee van de 21ste eeuw"
    assert articles["002"].author == "Tjip de Jong"
    assert articles["002"].slug == DE_JONG
    assert articles["002"].source_url == (
        "https://www.managementsite.nl/klantgerichtheid-slechtste-idee-21ste-eeuw"
    )
    assert articles["003"].title == '"De klant centraal", meer dan een slogan'
    assert articles["004"].title == '"De Klant" moet ook in De Ivoren Toren tussen de oren'
    assert articles["004"].published.isoformat() == "2025-11-04"
    assert articles["004"].source == "Marketingfacts"


def test_it_stores_de_jongs_thread_in_order_with_replies(empty_database):
    run_import(*SEEDS)

    comments = list(Comment.objects.filter(article__slug=DE_JONG).order_by("position"))
    assert [c.author_name for c in comments] == [
        "Sydney Brouwer",
        "Sjors van Leeuwen",
        "Jeroen Mars",
        "Chris Bos",
        "Jaap",
        "Koert Capel",
        "Kris Konrad",
        "Tjip de Jong",
        "Branko Lastdrager",
        "Eduard Maatman",
        "Tjip de Jong",
    ]
    assert [c.badge for c in comments if c.badge] == ["Pro-lid"]
    assert comments[1].badge == "Pro-lid"
    assert [c.position for c in comments if c.by_article_author] == [8, 11]
    assert comments[7].reply_to is None  # de Jong thanks everyone
    assert comments[10].reply_to == comments[9]  # "Beste Eduard, ..."
    assert comments[8].reply_to == comments[7]  # Branko answers de Jong's questions
    assert comments[10].text.startswith("Beste Eduard, een heel mooi uitgangspunt!")


BOILERPLATE = [
    "trefwoord",
    "Boek bekijken",
    "SPOTLIGHT",
    "Auteurs die schrijven over",
    "Word een pro!",
    "SCHRIJF MEE",
    "comments powered by Disqus",
    "Meer over Klantgerichtheid",
    "Deel uw kennis",
]


def test_it_leaves_no_boilerplate_in_any_body_or_comment(empty_database):
    run_import(*SEEDS)

    texts = list(Article.objects.values_list("body_text", flat=True))
    texts += list(Comment.objects.values_list("text", flat=True))
    for text in texts:
        for junk in BOILERPLATE:
            assert junk not in text
    koenen = Article.objects.get(slug="loze-beloften")
    assert not koenen.body_text.rstrip().endswith("Kel Koenen")  # the signature is the author


@pytest.mark.django_db
def test_reimporting_unchanged_files_changes_nothing():
    run_import(*SEEDS)
    before = list(Article.objects.values_list("pk", "updated_at", "checksum").order_by("pk"))
    comments_before = list(Comment.objects.values_list("pk", "text").order_by("pk"))

    output = run_import(*SEEDS)

    assert "5 files: 0 created, 0 updated, 5 unchanged" in output
    assert list(Article.objects.values_list("pk", "updated_at", "checksum").order_by("pk")) == (
        before
    )
    assert list(Comment.objects.values_list("pk", "text").order_by("pk")) == comments_before


@pytest.mark.django_db
def test_a_changed_file_updates_its_article_in_place(tmp_path):
    source = Path(SEEDS[2])
    copy = tmp_path / source.name
    copy.write_bytes(source.read_bytes())
    run_import(str(copy))
    article = Article.objects.get(slug=DE_JONG)
    first_comment = article.comments.get(position=1)
    articles_before = Article.objects.count()

    text = source.read_text(encoding="utf-8")
    copy.write_text(
        text.replace("Kriebels en ongemak", "Kriebels en veel ongemak").replace(
            "Interessant artikel!", "Boeiend artikel!"
        ),
        encoding="utf-8",
    )
    output = run_import(str(copy))

    assert "0 created, 1 updated" in output
    updated = Article.objects.get(pk=article.pk)
    assert updated.slug == DE_JONG
    assert "Kriebels en veel ongemak" in updated.body_text
    assert Article.objects.count() == articles_before
    assert updated.comments.count() == 11
    comment = updated.comments.get(position=1)
    assert comment.pk == first_comment.pk
    assert comment.text.startswith("Boeiend artikel!")


def write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"Titel\n\nTekst met een kapotte byte: " + b"\xff\xfe\xfa", "UTF-8"),
        (b"Alleen een titel\n\n", "no body"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(empty_database, tmp_path, data, reason):
    good = SEEDS[0]
    bad = write(tmp_path, "bad.txt", data)

    with pytest.raises(CommandError) as refused:
        run_import(good, bad)

    assert str(refused.value).startswith(f"{bad}: ")
    assert reason.lower() in str(refused.value).lower()
    assert Article.objects.count() == 0


def test_a_ten_megabyte_file_is_refused_in_one_line(empty_database, tmp_path):
    huge = write(tmp_path, "groot.txt", b"Titel\n\n" + b"Een zin over klanten. " * 500_000)

    with pytest.raises(CommandError) as refused:
        run_import(SEEDS[0], huge)

    assert str(refused.value) == (
        f"{huge}: the file is too large for a page dump (11.0 MB; at most 5 MB)"
    )
    assert Article.objects.count() == 0


def test_dry_run_json_says_per_file_what_it_is_unsure_of(empty_database):
    pages = Path(__file__).resolve().parent / "pages"
    cut_off, managersonline = (
        str(pages / "cut_off_mid_word.txt"),
        str(pages / "managersonline_klant_bestaat_niet.txt"),
    )
    data = json.loads(run_import("--dry-run", "--json", cut_off, managersonline, SEEDS[3]))

    assert [[w["code"] for w in item["warnings"]] for item in data] == [
        ["cut_off"],
        [],
        ["no_author", "no_date"],
    ]
    assert data[1]["title"] == "De klant bestaat niet"
    assert (data[1]["author"], data[1]["published"]) == ("Ben Kuiken", "2016-06-20")
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_file_is_refused():
    with pytest.raises(CommandError, match="no-such-file.txt: no such file"):
        run_import("no-such-file.txt")


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_non_zero_with_one_line_and_no_traceback(empty_database, tmp_path):
    run_import(SEEDS[0])
    bad = write(tmp_path, "leeg.txt", b"")
    env = {**os.environ, "DATABASE_URL": _test_database_url()}

    result = subprocess.run(
        [sys.executable, "manage.py", "import_articles", SEEDS[1], bad],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert bad in lines[0] and "Traceback" not in result.stderr
    assert Article.objects.count() == 1


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@/{db['NAME']}?host={db['HOST']}"


def test_dry_run_writes_nothing_and_describes_the_thread(empty_database):
    output = run_import("--dry-run", *SEEDS)

    assert Article.objects.count() == 0
    assert "Klantgerichtheid is het slechtste idee van de 21ste eeuw" in output
    assert "#11 Tjip de Jong (author) -> #10 Eduard Maatman" in output


def test_dry_run_json_prints_one_object_per_file(empty_database):
    data = json.loads(run_import("--dry-run", "--json", *SEEDS))

    assert Article.objects.count() == 0
    assert [item["title"] for item in data][:2] == [
        "Loze beloften?",
        "Customer centricity: de klant als uitgangspunt van alles",
    ]
    de_jong = data[2]
    assert set(de_jong) >= {
        "file",
        "title",
        "author",
        "published",
        "source",
        "url",
        "body",
        "comments",
    }
    assert de_jong["author"] == "Tjip de Jong"
    assert de_jong["published"] is None
    assert {block["type"] for block in de_jong["body"]} == {"heading", "paragraph", "list_item"}
    assert len(de_jong["comments"]) == 11
    assert de_jong["comments"][1]["badge"] == "Pro-lid"
    assert de_jong["comments"][10]["reply_to"] == "Eduard Maatman"
    assert data[0]["published"] == "2025-03-03"


def test_json_needs_dry_run():
    with pytest.raises(CommandError, match="--json only works together with --dry-run"):
        run_import("--json", SEEDS[0])
