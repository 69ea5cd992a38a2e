"""Columns the importer was not written against, checked field by field.

Each `pages/<name>.txt` is a page dump in the seeds' shape, modelled on real Dutch management
columns (managersonline, managementsite, dalsegno, customerfirst, managementboek, blogs) with
their menus, sharing rows, bylines and reader threads; `pages/<name>.json` holds what a reader
sees on the page: title, author, date, source, the commenters in order with their badge and whom
they answer, and which warnings the preview must give. Pure Python: no database.

The `h*` pages were written after the rules, as a held-out check: 7 of 8 came out right field by
field at once; the eighth had a menu item ("Over ons") above its title, now a chrome word.
"""

import json
from pathlib import Path

import pytest

from articles.parser import parse_bytes

PAGES = Path(__file__).resolve().parent / "pages"
PAGE_FILES = sorted(PAGES.glob("*.txt"))


def test_there_are_page_variants():
    assert len(PAGE_FILES) >= 12


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.stem)
def test_page_imports_field_by_field(path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    got = parse_bytes(path.read_bytes()).as_dict()
    for key in ("title", "author", "published", "source"):
        assert got[key] == expected[key], key
    comments = [
        {key: comment[key] for key in ("author", "badge", "reply_to_position")}
        for comment in got["comments"]
    ]
    assert comments == expected["comments"]
    assert sorted(w["code"] for w in got["warnings"]) == sorted(expected["warnings"])


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.stem)
def test_no_site_chrome_in_the_text(path):
    article = parse_bytes(path.read_bytes())
    chrome = ("Linkedin Twitter", "zoeken Nieuwsbrief", "Home »", "Deel dit artikel", "Door:")
    for text in [block.text for block in article.body] + [c.text for c in article.comments]:
        for junk in chrome:
            assert junk not in text, (junk, text)
    lines = path.read_text(encoding="utf-8").splitlines()
    for block in article.body:  # verbatim, so quotes can be anchored
        assert any(block.text in line for line in lines)


# --- Bad input: a one-line refusal, or an import with warnings ------------------------------


def test_a_page_of_only_menu_text_is_refused():
    data = "zoeken Nieuwsbrief\nMenu\nHome » Nieuws\nLinkedin Twitter\nDeel dit artikel\n"
    with pytest.raises(ValueError, match="no title found"):
        parse_bytes(data.encode())


def test_a_file_of_only_comments_is_refused():
    data = (
        "Reacties (2)\n\nAnna Smit\nPro-lid\n3 dagen geleden\nEens met het stuk.\n"
        "Jan de Boer\nLid\n2 dagen geleden\nOneens, Anna.\n"
    )
    with pytest.raises(ValueError, match="only reader comments"):
        parse_bytes(data.encode())


def test_an_impossible_date_in_a_byline_is_not_used_and_said():
    article = parse_bytes(
        b"Titel van het stuk\nDoor: Ben Kuiken, 31-02-2020, 09:40 uur\n\nEen alinea met tekst.\n"
    )
    assert (article.author, article.published) == ("Ben Kuiken", None)
    codes = [w["code"] for w in article.warnings()]
    assert "invalid_date" in codes and "no_date" in codes


def test_a_byline_with_three_names_keeps_them_all_and_says_so():
    article = parse_bytes(
        b"De klant en wij\nDoor Anna de Vries, Jan Jansen en Piet Pietersen op 3 maart 2025\n\n"
        b"Een alinea met tekst.\n"
    )
    assert article.author == "Anna de Vries, Jan Jansen en Piet Pietersen"
    assert article.published.isoformat() == "2025-03-03"
    assert [w["code"] for w in article.warnings()] == ["several_authors"]


def test_a_windows_1252_file_is_read_and_said():
    text = "Café De Klant\nDoor Anna de Vries op 3 maart 2025\n\nDe klant is één van ons.\n"
    article = parse_bytes(text.encode("cp1252"))
    assert article.title == "Café De Klant"
    assert article.body[0].text == "De klant is één van ons."
    assert "encoding" in [w["code"] for w in article.warnings()]


def test_a_utf16_file_with_its_bom_is_read():
    text = "De klant\nDoor Anna de Vries op 3 maart 2025\n\nEen alinea met tekst.\n"
    article = parse_bytes(text.encode("utf-16"))
    assert (article.title, article.author) == ("De klant", "Anna de Vries")


@pytest.mark.parametrize(
    ("header", "author", "published"),
    [
        ("Auteur: Anna de Vries\nDatum: 3 maart 2025", "Anna de Vries", "2025-03-03"),
        ("Geplaatst op 3 maart 2025 door Anna de Vries", "Anna de Vries", "2025-03-03"),
        ("maandag 3 maart 2025, door Anna de Vries", "Anna de Vries", "2025-03-03"),
        ("3 maart 2025 | Anna de Vries", "Anna de Vries", "2025-03-03"),
        ("Anna de Vries | 3 maart 2025", "Anna de Vries", "2025-03-03"),
        ("Anna de Vries\n3 maart 2025", "Anna de Vries", "2025-03-03"),
        ("door Anna de Vries\n3 maart 2025", "Anna de Vries", "2025-03-03"),
        ("Door Anna de Vries | 3 maart 2025 | Leestijd: 4 minuten", "Anna de Vries", "2025-03-03"),
        ("Door Anna de Vries - 3 maart 2025", "Anna de Vries", "2025-03-03"),
        ("Anna de Vries · 3 min leestijd", "Anna de Vries", None),
        ("Gepubliceerd: 03-03-2025", None, "2025-03-03"),
    ],
)
def test_dutch_bylines_give_author_and_date(header, author, published):
    body = "De klant wil niet alles, en dat is goed."
    text = f"Blog\nHome > Blog > De klant\nDe klant\n{header}\n\n{body}\n"
    data = parse_bytes(text.encode()).as_dict()
    assert (data["title"], data["author"], data["published"], data["source"]) == (
        "De klant",
        author,
        published,
        None,
    )
    assert [block["text"] for block in data["body"]] == [body]
