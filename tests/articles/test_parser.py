"""Tests of articles.parser on the five seeds and on hand-written variations of the format.

Pure Python: no database, no Django settings needed.
"""

import datetime
import json
from pathlib import Path

import pytest

from articles.parser import Block, ParsedArticle, ParseError, parse_bytes, parse_text

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SAMPLES = Path(__file__).resolve().parent / "samples"

SEED_FILES = sorted(SEEDS.glob("*.txt"))
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))
ALL_FILES = SEED_FILES + SAMPLE_FILES

# Page furniture that must never reach a body block or a comment.
BOILERPLATE = [
    "trefwoord",
    "Boek bekijken",
    "SPOTLIGHT",
    "Auteurs die schrijven over",
    "Word een pro!",
    "SCHRIJF MEE",
    "Kom met uw praktijkervaringen",
    "Deel uw kennis",
    "comments powered by Disqus",
    "Meer over",
    "In dit artikel:",
]


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def parse_file(path: Path) -> ParsedArticle:
    return parse_bytes(path.read_bytes())


def texts(article: ParsedArticle, kind: str | None = None) -> list[str]:
    return [block.text for block in article.body if kind is None or block.kind == kind]


def test_the_seeds_are_there():
    assert len(SEED_FILES) == 5, SEEDS
    assert len(SAMPLE_FILES) >= 6


# --- Invariants on every file ------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_every_text_is_verbatim_from_one_line(path):
    raw = path.read_text(encoding="utf-8")
    lines = raw.splitlines()
    article = parse_file(path)
    assert any(article.title in line for line in lines)
    for block in article.body:
        assert block.text and block.text == block.text.strip()
        assert any(block.text in line for line in lines), block.text
    for comment in article.comments:
        for paragraph in comment.text.split("\n\n"):
            assert paragraph and any(paragraph in line for line in lines), paragraph


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_no_boilerplate_anywhere(path):
    article = parse_file(path)
    pieces = [article.title, *texts(article)]
    pieces += [c.text for c in article.comments] + [c.author for c in article.comments]
    for piece in pieces:
        for junk in BOILERPLATE:
            assert junk.lower() not in piece.lower(), (junk, piece)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_as_dict_shape_and_json(path):
    data = parse_file(path).as_dict()
    assert list(data) == [
        "title", "author", "published", "source", "url", "body", "comments", "warnings"
    ]  # fmt: skip
    assert data["url"] is None
    for block in data["body"]:
        assert set(block) == {"type", "text"}
        assert block["type"] in {"heading", "paragraph", "list_item"}
    for position, comment in enumerate(data["comments"], start=1):
        assert list(comment) == [
            "position",
            "author",
            "badge",
            "reply_to",
            "reply_to_position",
            "by_article_author",
            "text",
        ]
        assert comment["position"] == position
        assert isinstance(comment["by_article_author"], bool)
        if comment["reply_to_position"] is not None:
            assert comment["reply_to_position"] < position
            target = data["comments"][comment["reply_to_position"] - 1]
            assert comment["reply_to"] == target["author"]
    assert json.loads(json.dumps(data)) == data


def test_crlf_and_bom_give_the_same_result():
    path = seed("002")
    plain = parse_file(path).as_dict()
    windows = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    assert parse_bytes(windows).as_dict() == plain


# --- The seeds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "title"),
    [
        ("000", "Loze beloften?"),
        ("001", "Customer centricity: de klant als uitgangspunt van alles"),
        ("002", "Klantgerichtheid is het slechtste idee van de 21ste eeuw"),
        ("003", '"De klant centraal", meer dan een slogan'),
        ("004", '"De Klant" moet ook in De Ivoren Toren tussen de oren'),
    ],
)
def test_seed_titles(prefix, title):
    article = parse_file(seed(prefix))
    assert article.title == title
    assert article.url == ""
    assert title not in texts(article)  # the repeated title is dropped


def test_000_metadata_signature_and_disqus():
    article = parse_file(seed("000"))
    assert article.author == "Kel Koenen"
    assert article.published == datetime.date(2025, 3, 3)
    assert article.source == ""
    assert article.comments == []
    assert {block.kind for block in article.body} == {"paragraph"}
    assert len(article.body) == 7
    assert not any("Kel Koenen" in text for text in texts(article))
    assert texts(article)[-1].startswith("Klantgerichtheid gaat niet over modellen")


def test_001_keyword_page():
    article = parse_file(seed("001"))
    assert article.author == ""
    assert article.published is None
    assert article.comments == []
    assert texts(article, "heading") == [
        "De basis: waarom customer centricity noodzakelijk is",
        "Leiderschap als katalysator voor customer centricity",
        "Van strategie naar dagelijkse praktijk",
        "Cultuur als fundament van customer centricity",
        "Customer centricity in de digitale wereld",
        "Van klantgerichtheid naar klantgedrevenheid",
        "Customer centricity als duurzame strategie",
    ]
    # The quote and the book blurb are kept as paragraphs.
    paragraphs = texts(article, "paragraph")
    assert any(p.endswith("Uit: De klantenfluisteraar") for p in paragraphs)
    assert any(p.startswith("Gek op gaten!") for p in paragraphs)


def test_002_body():
    article = parse_file(seed("002"))
    assert article.published is None
    assert article.body[0].text.startswith("Het thema klantgerichtheid speelt")
    assert article.body[-1].kind == "paragraph"
    assert article.body[-1].text.startswith("Als samenleving zitten we niet te wachten")
    assert texts(article, "heading") == [
        "Kriebels en ongemak",
        "Inzetten op maximale behoeftebevrediging: alles voor de consument!",
        "De klant centraal: mooie woorden, maar een gevaarlijke praktijk",
        "Klantgerichtheid met stip op 1",
    ]
    items = [block for block in article.body if block.kind == "list_item"]
    assert [item.ordered for item in items] == [True] * 3 + [False] * 3
    assert items[0].text.startswith("Klantgerichtheid helpt ons niet de plastic soep")
    assert items[3].text.startswith("Klanten zijn net kinderen.")
    assert "Columns" not in texts(article)


def test_002_thread():
    article = parse_file(seed("002"))
    comments = article.comments
    assert [c.author for c in comments] == [
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
    assert article.author == "Tjip de Jong"
    assert [c.badge for c in comments] == ["", "Pro-lid"] + [""] * 9
    assert [i for i, c in enumerate(comments) if c.by_article_author] == [7, 10]
    assert comments[7].reply_to is None  # de Jong answers everyone
    assert comments[10].reply_to == 9  # "Beste Eduard,"
    assert comments[8].reply_to == 7  # "de laatste reactie van Tjip"
    assert comments[1].reply_to is None  # "Dag Tjip," greets the author
    assert comments[7].text.startswith("Bedankt voor de reacties!\n\nOok op linkedin")
    assert "Vragen die ik interessant vind zijn:" in comments[7].text.split("\n\n")
    assert "https://www.kateraworth.com/doughnut/" in comments[7].text.split("\n\n")
    assert comments[4].text.endswith("moeilijk genoeg...")
    assert comments[10].text.endswith("soms meerdere).")
    data = article.as_dict()["comments"]
    assert data[10]["reply_to"] == "Eduard Maatman"
    assert data[10]["reply_to_position"] == 10
    assert data[8]["reply_to"] == "Tjip de Jong"
    assert data[1]["badge"] == "Pro-lid"


def test_003_plain_article():
    article = parse_file(seed("003"))
    assert (article.author, article.published, article.source) == ("", None, "")
    assert {block.kind for block in article.body} == {"paragraph"}
    assert article.body[-1].text.startswith("Weten wat je klanten willen")


def test_004_marketingfacts():
    article = parse_file(seed("004"))
    assert article.published == datetime.date(2025, 11, 4)
    assert article.source == "Marketingfacts"
    assert article.author == ""
    kinds = [(block.kind, block.text[:20]) for block in article.body]
    assert ("paragraph", "Twee concrete oploss") in kinds
    items = texts(article, "list_item")
    assert [item[:20] for item in items] == ["Vanuit operations: s", "Vanuit de boardroom:"]
    assert not any(text.startswith("dinsdag") for text in texts(article))


# --- Hand-written variations -------------------------------------------------------------------


def sample(name: str) -> ParsedArticle:
    return parse_file(SAMPLES / name)


def test_sample_managementsite_thread():
    article = sample("managementsite_thread.txt")
    assert article.title == "Waarom de klant nooit koning was"
    assert article.author == "Sanne Visser"  # greeted by "Dag Sanne," before commenting
    assert texts(article, "heading") == ["De rij als ontwerpkeuze", "Wat wel werkt"]
    assert len(texts(article, "list_item")) == 6
    assert texts(article)[-1].endswith("Behandel hem ook zo.")
    comments = article.comments
    assert [c.author for c in comments] == [
        "Marieke Bakker",
        "Eduard Jansen",
        "Pieter van den Berg",
        "Sanne Visser",
        "Ahmed El Amrani",
        "Marieke Bakker",
    ]
    assert comments[1].badge == "Pro-lid"
    assert comments[1].text.endswith("\n\nHet is dus een kwestie van wie er aan tafel zit.")
    assert [c.reply_to for c in comments] == [None, 0, None, 1, None, 4]
    assert [c.by_article_author for c in comments] == [False, False, False, True, False, False]
    assert comments[5].text.endswith("vastzit...")  # a comment may end in "..."


def test_sample_byline():
    article = sample("byline_door.txt")
    assert article.author == "Anna de Vries"
    assert article.published == datetime.date(2019, 11, 3)
    assert not any("Door:" in text for text in texts(article))
    assert texts(article, "heading") == ["Drie vragen voor elke directie"]
    assert texts(article, "list_item")[0] == "Wat vragen klanten het vaakst?"
    assert texts(article)[-1] == "De antwoorden zeggen meer dan elk tevredenheidsonderzoek."


def test_sample_date_over_several_lines():
    article = sample("multiline_date.txt")
    assert article.published == datetime.date(2024, 10, 12)
    assert article.author == "Jan-Willem de Boer"
    assert len(article.body) == 2
    assert not any(text in {"okt", "2024", "12"} for text in texts(article))


def test_sample_signature_is_the_author():
    article = sample("signature_only.txt")
    assert article.author == "Pieter Bakker"
    assert article.published is None
    assert "Pieter Bakker" not in texts(article)
    assert texts(article)[-1].startswith("Meet dus de moeite.")


def test_sample_teaser_after_body_and_dash_signature():
    article = sample("teaser_after_body.txt")
    assert article.author == "Jeroen Smit"
    assert article.published == datetime.date(2024, 2, 7)
    assert len(article.body) == 3
    assert not any("Vijf fouten" in text or "Jeroen Smit" in text for text in texts(article))


def test_sample_marketingfacts_weekday():
    article = sample("marketingfacts_weekday.txt")
    assert article.published == datetime.date(2025, 2, 12)
    assert article.source == "Marketingfacts"
    assert [block.kind for block in article.body] == [
        "paragraph",
        "paragraph",
        "list_item",
        "list_item",
        "list_item",
        "paragraph",
    ]
    assert article.body[1].text == "Drie signalen dat een programma gaat stranden:"


def test_sample_keyword_page():
    article = sample("keyword_page.txt")
    assert article.title == "Klantreis: de weg die de klant aflegt"
    assert texts(article, "heading") == [
        "Waarom de klantreis ertoe doet",
        "De klantreis in kaart brengen",
    ]
    assert article.comments == []


def test_sample_thread_with_reacties_label_badges_and_references():
    article = sample("reacties_thread.txt")
    assert article.author == "Kees van der Linden"
    assert article.published == datetime.date(2025, 1, 15)
    comments = article.comments
    assert [(c.author, c.badge) for c in comments] == [
        ("Lotte", "Redactie"),
        ("Ruud Hendriks", ""),
        ("Kees van der Linden", "Auteur"),
    ]
    assert [c.reply_to for c in comments] == [None, 0, 1]  # "wat Lotte schrijft", "@Ruud"
    assert [c.by_article_author for c in comments] == [False, False, True]
    assert "Vijf fouten" not in comments[-1].text  # teaser after the thread is cut


def test_sample_thread_without_marker():
    article = sample("unannounced_thread.txt")
    assert article.author == "Anna de Vries"
    assert article.published == datetime.date(2023, 9, 5)
    assert len(article.body) == 2
    assert [c.author for c in article.comments] == ["Joost Prins", "Fatima Yilmaz"]
    assert article.comments[1].reply_to == 0  # "Joost, helemaal eens."


# --- Smaller format rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("3 maart 2025", datetime.date(2025, 3, 3)),
        ("  • 1 mrt. 2024", datetime.date(2024, 3, 1)),
        ("vrijdag 7 juni 2024", datetime.date(2024, 6, 7)),
        ("za, 5 okt 2024", datetime.date(2024, 10, 5)),
        ("03-11-2019", datetime.date(2019, 11, 3)),
        ("03/11/2019 om 14:05", datetime.date(2019, 11, 3)),
        ("2025-11-04", datetime.date(2025, 11, 4)),
    ],
)
def test_date_lines(line, expected):
    article = parse_text(f"Titel\n{line}\nEen alinea met tekst.\n")
    assert article.published == expected
    assert texts(article) == ["Een alinea met tekst."]


def test_impossible_date_stays_in_the_body():
    article = parse_text("Titel\n31-02-2025\nEen alinea met tekst.\n")
    assert article.published is None
    assert texts(article)[0] == "31-02-2025"


def test_list_markers_are_stripped():
    article = parse_text("Titel\n\nLijst:\n- een\n* twee\n  • drie\n  2. vier\n")
    assert article.body[1:] == [
        Block("list_item", "een"),
        Block("list_item", "twee"),
        Block("list_item", "drie"),
        Block("list_item", "vier", ordered=True),
    ]


def test_text_inside_a_line_is_never_rewritten():
    line = "Zo  ‘gaat’ het…   echt \u201cniet\u201d..."
    article = parse_text(f"Titel\n\n  {line}  \n")
    assert texts(article) == [line.strip()]


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\xc2\xa0\n\t\n", "empty"),
        (b"Titel\n\x00\x01\x02binary", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Titel\n\nKapot \x81\x8d\x8f zonder UTF-8\n", "UTF-8"),
        (b"Alleen een titel\n\n", "no body"),
        (b"Titel\n\n  \xe2\x80\xa2 3 maart 2025\n\ncomments powered by Disqus\n", "no body"),
        (b"trefwoord\nBoek bekijken\n", "boilerplate"),
    ],
)
def test_bad_input_is_refused_with_a_reason(data, reason):
    with pytest.raises(ParseError) as caught:
        parse_bytes(data)
    message = str(caught.value)
    assert reason in message
    assert "\n" not in message and len(message) < 120


def test_parse_text_refuses_whitespace():
    with pytest.raises(ParseError, match="empty"):
        parse_text(" \n \u00a0 \n")


def test_parse_error_is_a_value_error():
    assert issubclass(ParseError, ValueError)


def test_vocatives_name_the_author_and_agreement_names_the_comment_answered():
    article = sample("vocative_thread.txt")

    # "Mooi stuk, Pieter." addresses the author before Pieter Bakker answers in the thread.
    assert article.author == "Pieter Bakker"
    assert [c.author for c in article.comments] == [
        "Marieke Jansen", "Hendrik de Vries", "Pieter Bakker", "Anouk",
    ]  # fmt: skip
    assert [c.by_article_author for c in article.comments] == [False, False, True, False]
    # "Eens met Marieke.", "Hallo Hendrik,", "Beste Marieke,"
    assert [c.reply_to for c in article.comments] == [None, 0, 1, 0]
    assert article.comments[1].badge == "Pro-lid"
    assert [b.kind for b in article.body].count("list_item") == 3
    assert all("Meer over" not in b.text for b in article.body)


def test_a_byline_with_op_and_dates_under_commenters():
    article = sample("byline_op_date_comment_dates.txt")

    assert article.author == "Anna de Vries"  # "Door Anna de Vries op 12 maart 2024"
    assert article.published == datetime.date(2024, 3, 12)
    assert all("Door Anna" not in block.text for block in article.body)
    assert [c.author for c in article.comments] == ["Jan Smit", "Fatima El Amrani"]
    # "14 maart 2024" under Jan Smit's name is when he posted, not what he wrote.
    assert article.comments[0].text.startswith("Helemaal mee eens, Anna.")
    assert article.comments[1].reply_to == 0  # "Beste Jan,"


def test_a_signature_names_the_person_behind_a_generic_label():
    article = sample("generic_author_signature.txt")

    assert article.author == "Karin Mulder"  # not "Redactie"
    assert article.published == datetime.date(2023, 1, 5)
    assert all("Karin Mulder" not in block.text for block in article.body)


def test_comment_buttons_and_relative_dates_are_not_text():
    article = sample("thread_with_buttons_and_ago.txt")

    assert (article.author, article.published) == ("Bas van Dijk", datetime.date(2024, 2, 2))
    assert [c.author for c in article.comments] == [
        "Lotte Vermeer",
        "Mark de Groot",
        "Bas van Dijk",
    ]
    assert [c.text for c in article.comments] == [
        "Goed punt, Bas. De beste helpdesk is de helpdesk die je niet nodig hebt.",
        "Hallo Lotte, helemaal mee eens.",
        "Dank jullie wel!",
    ]
    assert article.comments[1].badge == "Pro-lid"
    assert [c.reply_to for c in article.comments] == [None, 0, None]
    assert [c.by_article_author for c in article.comments] == [False, False, True]
