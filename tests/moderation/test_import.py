"""Importing an article through the browser: upload or paste, preview the dry run, then save."""

import base64
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Comment
from debates.models import ModerationAction

URL = "/moderation/import/"
HX = {"HX-Request": "true"}
SAMPLE = Path(__file__).parent.parent / "articles" / "samples" / "managementsite_thread.txt"
TITLE = "Waarom de klant nooit koning was"


@pytest.fixture(autouse=True)
def plain_static_names(settings):
    """Article pages seen by a moderator load js/extract.js; without a collectstatic run the
    hashed manifest lacks it, so these tests use plain static names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def content() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def upload(data: bytes, name: str = "managementsite_thread.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def saved(data: bytes, **fields) -> dict:
    """The hidden fields of the preview's "Save" form."""
    return {"action": "save", "data": base64.b64encode(data).decode(), **fields}


def test_anonymous_visitors_go_to_the_login_page(client, db, content):
    before = Article.objects.count()
    assert client.get(URL)["Location"] == "/accounts/login/?next=%2Fmoderation%2Fimport%2F"
    response = client.post(URL, saved(content, name="x.txt"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Article.objects.count() == before


def test_members_get_403(client, db, content):
    member = get_user_model().objects.create_user("marieke", password="een-lang-wachtwoord-9")
    client.force_login(member)
    before = Article.objects.count()

    assert client.get(URL).status_code == 403
    assert client.post(URL, saved(content, name="x.txt")).status_code == 403
    assert client.post(URL, {"file": upload(content)}, headers=HX).status_code == 403
    assert Article.objects.count() == before


def test_the_page_offers_upload_and_paste(moderator_client):
    html = moderator_client.get(URL).content.decode()

    assert "<h1>Een artikel importeren</h1>" in html
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    assert '<label for="import-text">Of plak de tekst</label>' in html
    assert '<label for="import-name">Bestandsnaam</label>' in html
    assert ">Voorbeeld</button>" in html


def test_the_preview_shows_the_dry_run_and_writes_nothing(moderator_client, corpus, content):
    before = Article.objects.count(), Comment.objects.count()

    response = moderator_client.post(URL, {"action": "preview", "file": upload(content)})

    html = response.content.decode()
    assert response.status_code == 200
    assert (Article.objects.count(), Comment.objects.count()) == before
    assert not ModerationAction.objects.exists()
    assert f"<dd>{TITLE}</dd>" in html
    assert "<dd>Sanne Visser</dd>" in html and "<dd>managementsite_thread.txt</dd>" in html
    assert "De tekst: 13 blokken" in html and "6 reacties" in html
    assert "Een nieuw artikel met 6 reacties." in html
    assert "De rij als ontwerpkeuze" in html and ">kop</span>" in html
    assert ">opsommingspunt</span>" in html
    assert '<span class="badge">Pro-lid</span>' in html  # Eduard Jansen's badge
    assert "reageert op Marieke Bakker (reactie 1)" in html
    assert '<span class="badge badge-author">Auteur</span>' in html  # Sanne Visser answers
    # What "Save" will send: the very bytes previewed, and the file name.
    assert f'name="data" value="{base64.b64encode(content).decode()}"' in html
    assert 'name="name" value="managementsite_thread.txt"' in html
    assert ">Opslaan</button>" in html


def test_an_htmx_preview_is_a_fragment_that_takes_the_focus(moderator_client, db, content):
    before = Article.objects.count()

    response = moderator_client.post(URL, {"file": upload(content)}, headers=HX)

    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="import-result"')
    assert "data-autofocus" in html and TITLE in html
    assert Article.objects.count() == before


def test_saving_imports_the_article_with_its_thread_and_logs_it(
    moderator_client, moderator, content
):
    before = Article.objects.count()

    response = moderator_client.post(
        URL, saved(content, name="managementsite_thread.txt", reason="Nieuwe column")
    )

    article = Article.objects.get(source_file="managementsite_thread.txt")
    assert response.status_code == 302 and response["Location"] == f"/articles/{article.slug}/"
    assert article.title == TITLE and article.author == "Sanne Visser"
    assert article.comments.count() == 6
    eduard = article.comments.get(position=2)
    assert (eduard.badge, eduard.reply_to.author_name) == ("Pro-lid", "Marieke Bakker")
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.moderator, entry.argument) == ("import", moderator, None)
    assert entry.reason == "Nieuwe column"
    assert entry.after["slug"] == article.slug and entry.after["title"] == TITLE
    assert entry.after["status"] == "created" and entry.after["comments"] == 6
    page = moderator_client.get(response["Location"]).content.decode()
    assert f"„{TITLE}” is geïmporteerd met 6 reacties van lezers." in page

    # The same text once more: nothing changes, nothing is logged.
    again = moderator_client.post(URL, saved(content, name="managementsite_thread.txt"))
    assert again["Location"] == f"/articles/{article.slug}/"
    assert Article.objects.count() == before + 1 and ModerationAction.objects.count() == 1
    page = moderator_client.get(again["Location"]).content.decode()
    assert "Deze tekst was al geïmporteerd; er is niets veranderd." in page


def test_an_htmx_save_sends_the_browser_to_the_new_article(moderator_client, content):
    response = moderator_client.post(URL, saved(content, name="thread.txt"), headers=HX)

    article = Article.objects.get(source_file="thread.txt")
    assert response.headers["HX-Redirect"] == f"/articles/{article.slug}/"


def test_pasted_text_gets_a_name_from_its_title_and_the_details_given(moderator_client, content):
    pasted = content.decode().replace("\n", "\r\n")  # as a browser sends a textarea
    details = {
        "source": "Managementsite",
        "url": "https://www.managementsite.nl/waarom-de-klant-nooit-koning-was",
        "published": "2025-06-01",
    }

    preview = moderator_client.post(URL, {"text": pasted, "name": "", **details}).content.decode()

    name = "waarom-de-klant-nooit-koning-was.txt"
    assert f"<dd>{name}</dd>" in preview and "<dd>Managementsite</dd>" in preview
    assert '<time datetime="2025-06-01">' in preview
    normalised = pasted.replace("\r\n", "\n").encode()
    assert f'name="data" value="{base64.b64encode(normalised).decode()}"' in preview
    assert 'id="save-published" name="published" type="date" value="2025-06-01"' in preview

    moderator_client.post(URL, saved(normalised, name=name, **details))
    article = Article.objects.get(source_file=name)
    assert (article.source, article.source_url) == (details["source"], details["url"])
    assert article.published.isoformat() == "2025-06-01"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"file": upload(b"", "leeg.txt")}, "the file is empty"),
        ({"file": upload(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "foto.txt")}, "binary"),
        ({"file": upload(b"Titel\n\n\xff\xfe kapot", "kapot.txt")}, "not UTF-8"),
        ({"text": "   \n  "}, "Upload een .txt-bestand of plak de tekst van het artikel."),
        ({"text": "Titel\n\nTekst.", "name": "mijn column!.txt"}, "De bestandsnaam mag alleen"),
        ({"data": "niet-base64!"}, "De meegestuurde tekst is beschadigd"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(moderator_client, corpus, fields, message):
    before = Article.objects.count(), Comment.objects.count()

    for action in ("preview", "save"):
        response = moderator_client.post(URL, {"action": action, **fields})
        html = response.content.decode()
        assert response.status_code == 200
        assert 'role="alert"' in html and message in html
        assert "Er is niets bewaard." in html
        if hasattr(fields.get("file"), "seek"):
            fields["file"].seek(0)

    assert (Article.objects.count(), Comment.objects.count()) == before
    assert not ModerationAction.objects.exists()


def test_a_refusal_from_the_importer_is_shown_as_such(moderator_client, db):
    html = moderator_client.post(URL, {"file": upload(b"", "leeg.txt")}).content.decode()
    assert "De importeur weigert deze tekst: leeg.txt: the file is empty" in html


def test_a_file_name_in_use_for_another_text_is_refused(moderator_client, corpus, content):
    seed = corpus["002"]

    html = moderator_client.post(
        URL, saved(content, name="002_c50c8d34fa094b8b.txt")
    ).content.decode()

    assert "Er is al een artikel geïmporteerd uit een bestand met de naam" in html
    seed.refresh_from_db()
    assert seed.title.startswith("Klantgerichtheid is het slechtste idee")
    assert not ModerationAction.objects.exists()


def test_the_import_is_all_or_nothing(moderator_client, monkeypatch, content):
    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is unreachable")

    monkeypatch.setattr("debates.moderation.services._record", broken)
    before = Article.objects.count(), Comment.objects.count()
    with pytest.raises(RuntimeError):
        moderator_client.post(URL, saved(content, name="thread.txt"))

    assert (Article.objects.count(), Comment.objects.count()) == before
    assert not Article.objects.filter(source_file="thread.txt").exists()


PAGES = Path(__file__).parent.parent / "articles" / "pages"


def test_the_preview_warns_and_what_is_saved_is_the_preview_with_the_corrections(
    moderator_client,
):
    page = (PAGES / "skiplink_laatst_gewijzigd.txt").read_bytes()

    preview = moderator_client.post(URL, {"text": page.decode(), "name": "zendesk.txt"})

    html = preview.content.decode().split('id="import-result"')[1]  # the preview, not the form
    assert "Controleer voor je bewaart:" in html
    assert "De tekst noemt geen auteur." in html
    assert "Overslaan naar" not in html and "16 min read" not in html
    title = "De impact van klantenservice op de waarde van een klant"
    assert f'id="save-title" name="title" type="text" maxlength="300" value="{title}"' in html
    assert 'id="save-published" name="published" type="date" value="2020-11-20"' in html

    # The moderator fills in the author and the publication, and corrects the title and date.
    corrections = {
        "name": "zendesk.txt",
        "title": "Klantenservice bepaalt de waarde van een klant",
        "author": "Redactie Zendesk",
        "source": "Zendesk",
        "url": "https://www.zendesk.nl/blog/klantenservice/",
        "published": "2020-11-21",
    }
    response = moderator_client.post(URL, saved(page, **corrections))

    article = Article.objects.get(source_file="zendesk.txt")
    assert response.status_code == 302
    assert (article.title, article.author, article.source, article.source_url) == (
        corrections["title"],
        corrections["author"],
        corrections["source"],
        corrections["url"],
    )
    assert article.published.isoformat() == "2020-11-21"
    shown = [block.split("</span> ", 1)[1] for block in html.split('<li class="import-block')[1:]]
    assert [block["text"] for block in article.body] == [s.split("</li>")[0] for s in shown]


def test_an_untouched_preview_saves_exactly_what_it_showed(moderator_client):
    page = (PAGES / "managersonline_klant_bestaat_niet.txt").read_bytes()
    html = moderator_client.post(URL, {"text": page.decode()}).content.decode()
    assert "Controleer voor je bewaart:" not in html

    name = "de-klant-bestaat-niet.txt"
    fields = {"name": name, "title": "De klant bestaat niet", "author": "Ben Kuiken"}
    moderator_client.post(URL, saved(page, **fields, source="", url="", published="2016-06-20"))

    article = Article.objects.get(source_file=name)
    assert (article.title, article.author, article.published.isoformat()) == (
        "De klant bestaat niet",
        "Ben Kuiken",
        "2016-06-20",
    )
    assert list(article.comments.values_list("author_name", "reply_to__position")) == [
        ("Anna Smit", None),
        ("Ben Kuiken", 1),
    ]


def test_the_import_page_is_linked_from_the_queue_and_for_moderators_the_article_list(
    client, moderator_client, corpus
):
    assert f'href="{URL}"' in moderator_client.get("/moderation/").content.decode()
    assert f'href="{URL}"' in moderator_client.get("/articles/").content.decode()
    client.logout()
    assert f'href="{URL}"' not in client.get("/articles/").content.decode()


def test_an_older_encoding_is_read_with_a_warning_and_a_thread_alone_is_refused(moderator_client):
    column = "Café De Klant\nDoor Anna de Vries op 3 maart 2025\n\nDe klant is één van ons.\n"
    preview = moderator_client.post(
        URL, {"file": upload(column.encode("cp1252"), "cafe.txt")}
    ).content.decode()
    assert "Het bestand is geen UTF-8; het is gelezen als Windows-1252 (Latin-1)." in preview
    assert "De klant is één van ons." in preview

    thread = "Reacties (2)\n\nAnna Smit\nPro-lid\nEens.\nJan de Boer\nLid\nOneens, Anna.\n"
    refused = moderator_client.post(URL, {"text": thread}).content.decode()
    assert 'role="alert"' in refused and "the file holds only reader comments" in refused
    assert not Article.objects.filter(title="Anna Smit").exists()
