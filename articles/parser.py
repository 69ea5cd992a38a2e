"""Parse the plain-text page dumps that articles are imported from.

A dump is what a browser's "save as text" leaves of a Dutch column or article page: the title
(sometimes twice), a few metadata lines (date, author, publication), the body as one paragraph
per line, page furniture ("Boek bekijken", "Word een pro!", ...) and, on some sites, a reader
thread where each comment starts with the commenter's name on its own line.

The parser works in passes over the stripped lines:

1. the title: the first line that is not boilerplate;
2. the header: repeated title, date/author/source lines right under the title;
3. the end: everything from "Meer over <topic>" (related articles) on is dropped;
4. the thread: the first comment's name line, found after a thread marker or by its shape;
5. the body: boilerplate removed, trailing teasers and a signature line cut off, then each line
   classified as heading, paragraph or list item;
6. the thread: split into comments, then the article's author, reply_to and by_article_author
   are inferred from how the commenters address each other.

Every text that comes out (block texts, comment paragraphs) is a verbatim substring of one input
line: other code anchors quotes at character offsets, so nothing inside a line is ever rewritten.
Stdlib only; docs/import-format.md describes the format and the rules for contributors.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

# --- Boilerplate -------------------------------------------------------------------------------
# Each pattern must match a whole (stripped) line, case-insensitively.

# Lines that announce the reader thread on managementsite.nl-style pages (and Disqus pages).
# They are dropped; the first name line after one of them starts the first comment.
THREAD_MARKER_PATTERNS = (
    r"Kom met uw praktijkervaringen\b.*",  # managementsite call to write
    r"Deel uw kennis\b.*",  # "Deel uw kennis, schrijf 3 columns ..." (same call)
    r"Word een pro!?",  # same call, button text
    r"SCHRIJF MEE\s*>*",  # same call, button text
    r"comments powered by Disqus",  # Disqus widget footer
    r"(?:\d+\s+)?reacties?(?:\s*\(\d+\))?:?",  # "Reacties", "3 reacties", "Reacties (3)"
    r"(?:Plaats een |Geef een )?reactie(?: toevoegen| plaatsen)?:?",  # comment form labels
)

# Page furniture that can appear anywhere and is never part of the article.
PAGE_FURNITURE_PATTERNS = (
    r"trefwoord",  # book-site keyword pages: label above the title
    r"Boek bekijken",  # book-site button under book teasers
    r"SPOTLIGHT:.*",  # book-site author spotlight label
    r"Auteurs die schrijven over\b.*",  # book-site author list label
    r"Columns?",  # managementsite section label under the title
    r"In dit artikel:?",  # marketingfacts table-of-contents label
    r"Lees ook:?.*",  # inline "read also" links
    r"Gerelateerde artikelen:?",  # related-articles label
    r"Deel (?:dit )?(?:artikel|bericht):?",  # share buttons
    r"(?:Reageer|Reageren|Beantwoorden|Antwoorden|Reply|Delen|Share)\s*[›>»]?",  # comment buttons
    r"Vind ik leuk(?:\s*\(\d+\))?|(?:Like|Leuk)\s*\(\d+\)",  # like buttons ("Leuk (3)")
)

# A line matching one of these ends the page: what follows are teasers of other articles.
END_PATTERNS = (
    r"Meer over\s+[^.!?]{1,60}",  # managementsite "Meer over Klantgerichtheid"
)

# Site chrome: menus, section names, sharing rows, breadcrumbs and skip links. A line made only of
# these words (any case, separated by spaces or | · • / ») is chrome. Before the body (where a
# page's menu and section label stand) chrome is skipped; sharing rows are dropped everywhere.
CHROME_WORDS = {
    "zoeken", "zoek", "nieuwsbrief", "nieuws", "menu", "home", "inloggen", "uitloggen", "login",
    "registreren", "abonneren", "abonnement", "contact", "columns", "column", "opinie", "blog",
    "blogs", "artikelen", "artikel", "achtergrond", "achtergronden", "recensie", "recensies",
    "kennisbank", "premium", "agenda", "vacatures", "podcast", "podcasts", "video", "dossier",
    "dossiers", "rubrieken", "rubriek", "interviews", "interview", "boeken", "magazine", "events",
    "evenementen", "webinars", "whitepapers", "community", "leden", "pro", "nieuwste", "populair",
    "meest", "gelezen", "terug", "overzicht", "mijn", "account", "winkelwagen", "cookies",
    "over", "ons", "faq", "help", "werken", "bij", "zakelijk", "particulier", "shop", "winkel",
    "diensten", "producten", "team", "onderwerpen", "thema", "thema's", "actueel", "archief",
} | {
    "linkedin", "twitter", "x", "facebook", "whatsapp", "e-mail", "email", "mail", "print",
    "printen", "delen", "deel", "share", "tweet", "instagram", "youtube", "rss", "pinterest",
    "bluesky", "mastodon", "threads", "kopieer", "link",
}  # fmt: skip
SOCIAL_WORDS = {
    "linkedin", "twitter", "x", "facebook", "whatsapp", "e-mail", "email", "mail", "print",
    "printen", "delen", "share", "tweet", "instagram", "youtube", "pinterest", "bluesky",
    "mastodon", "kopieer", "link",
}  # fmt: skip
CHROME_PATTERNS = (
    # skip links: "Overslaan naar belangrijkste inhoud", "Ga naar de inhoud"
    r"(?:Overslaan|Ga|Spring|Direct)\s+naar\s+(?:de\s+)?(?:\w+\s+)?(?:inhoud|content|navigatie|menu)",
    # breadcrumbs: "Home » Nieuws » Klantgerichtheid", "Home > Blog > De klant"
    r"[^.!?]{0,80}\s[»›]\s.*|[»›]\s.*|(?:[^.!?>]{1,40}\s>\s){2,}[^>]{1,120}",
    # reading time: "Artikel 16 min read", "2-3 minuten leestijd"
    r"(?:\w+\s+)?\d+(?:\s*-\s*\d+)?\s+(?:min(?:uten)?\.?|minuten)\s+(?:leestijd|lezen|read)",
    r"Leestijd:?\s+\d+.*",  # "Leestijd: 3 minuten"
)

# Badges printed under a commenter's name.
BADGES = {"pro-lid", "lid", "auteur", "redactie", "moderator", "beheerder", "gast", "expert"}
AUTHOR_BADGE = "auteur"
# Author labels that name no person: a signature under the text replaces them.
GENERIC_AUTHORS = {"redactie", "de redactie", "gastauteur", "gastblogger", "admin", "beheerder"}

# Lowercase words that may occur inside a personal name ("Sjors van Leeuwen", "Tjip de Jong").
NAME_PARTICLES = {"van", "de", "der", "den", "het", "'t", "ten", "ter", "te", "von", "du", "la"}

# Capitalised words that start sentences, headings and greetings, never a name line.
NOT_NAME_WORDS = {
    "De", "Het", "Een", "Dit", "Dat", "Deze", "Die", "Wat", "Waarom", "Hoe", "Wie", "Waar",
    "Wanneer", "Welke", "Ik", "Je", "Jij", "Wij", "We", "Zij", "En", "Maar", "Of", "Ook", "Meer",
    "Hallo", "Hoi", "Hey", "Hi", "Beste", "Dag", "Geachte", "Groet", "Groeten", "Bedankt",
    "Dank", "Succes", "Update", "Edit", "Naschrift", "Kortom", "Inderdaad", "Reacties",
}  # fmt: skip

GREETING_WORDS = r"hallo|hoi|hey|hi|beste|dag|geachte|goedemorgen|goedemiddag|goedenavond|ha"

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

HEADING_MAX_CHARS = 80
HEADING_MAX_WORDS = 12
LONG_PARAGRAPH = 80  # a line at least this long reads as a paragraph, not a heading
NAME_MAX_CHARS = 40


def _compile_all(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_THREAD_MARKER_RE = _compile_all(THREAD_MARKER_PATTERNS)
_BOILERPLATE_RE = _compile_all(THREAD_MARKER_PATTERNS + PAGE_FURNITURE_PATTERNS)
_END_RE = _compile_all(END_PATTERNS)
_CHROME_RE = _compile_all(CHROME_PATTERNS)
_CHROME_SPLIT_RE = re.compile(r"[\s|·•/»›,]+")

_WEEKDAY = r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo)"
_DATE_LINE_RE = re.compile(
    r"(?:(?:gepubliceerd|geplaatst|laatst gewijzigd|laatst bijgewerkt|laatste update|bijgewerkt|"
    r"datum|op)(?:\s+op)?:?\s+)?"
    rf"(?:{_WEEKDAY}\.?,?\s+)?"
    r"(?:(?P<d1>\d{1,2})\s+(?P<mon>[a-z]{3,9})\.?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})[-/.](?P<m2>\d{1,2})[-/.](?P<y2>\d{4})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2}))"
    r"(?:,?\s*(?:om\s+)?\(?\d{1,2}[:.]\d{2}\)?(?:\s*uur)?)?"  # time: "(07:01)", ", 14:05 uur"
    r"(?:\s*[-–—|]\s*(?P<source>\D.*))?",  # "- Marketingfacts"
    re.IGNORECASE,
)
_BYLINE_PREFIX_RE = re.compile(
    r"(?:[Dd]oor|[Aa]uteur|[Gg]eschreven door|[Tt]ekst)\s*:?\s+(?P<rest>.+)"
)
# "Laatste update op 22 januari 2019 door Monique van der Linde", "3 maart 2025 door Anna".
_DATE_BY_RE = re.compile(r"(?P<date>.+?)\s+door\s+(?P<name>[^,|]+)", re.IGNORECASE)
# Where one byline names several people: "Anna de Vries, Jan Jansen en Piet Pietersen".
_NAME_LIST_SPLIT_RE = re.compile(r"\s*,\s*|\s+en\s+|\s*&\s*")
# "Hans van der Klis | 2 september 2009 | 3 minuten leestijd": parts of one metadata line.
_META_SPLIT_RE = re.compile(r"\s+[|·•]\s+")
# How a comment's name line may read on blogs: "Jan Jansen zegt:", "Jan schreef op 3 maart 2025
# om 14:05:", "Jan Jansen | 3 maart 2025", "Jan Jansen, 21-06-2016 10:12 uur".
_COMMENT_NAME_RE = re.compile(
    r"(?P<name>[^,|:]+?)(?:\s+(?:zegt|schreef|schrijft|reageerde|reageert|antwoordde)"
    r"(?P<at>\s+op\s+.+?)?:?|(?P<sep>\s+op\s+|\s*[|,]\s*|\s+[-–—]\s+)(?P<date>.+?):?)"
)
# "3 dagen geleden", "2 jaar geleden": when a comment was posted, printed under the name.
_AGO_RE = re.compile(
    r"(?:ongeveer\s+)?(?:een|\d+)\s+(?:seconden?|minuut|minuten|uur|dag|dagen|week|weken|"
    r"maand|maanden|jaar)\s+geleden",
    re.IGNORECASE,
)
_SIGNATURE_RE = re.compile(r"[—–-]\s*(?P<name>.+)")
_ORDERED_ITEM_RE = re.compile(r"\d{1,2}[.)]\s+(?P<text>\S.*)")
_BULLET_ITEM_RE = re.compile(r"[•·▪◦*–-]\s+(?P<text>\S.*)")
_SENTENCE_BREAK_RE = re.compile(r"[.!?…]\s+[A-ZÀ-Þ]")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_NAME = r"(?P<name>[^\W\d_][\w'’-]*)"
_GREETING_RE = re.compile(rf"(?:(?i:{GREETING_WORDS})\s+|@){_NAME}")
_VOCATIVE_RES = (
    re.compile(rf"\b{_NAME}[!,]"),  # "Goed artikel Tjip!", "Mooi stuk, Jan!"
    re.compile(rf",\s*{_NAME}[.?]"),  # "Mooi stuk, Pieter." "Klopt dat, Anna?"
)
_REFERENCE_RES = (
    re.compile(rf"\breacties? van {_NAME}"),  # "de laatste reactie van Tjip"
    re.compile(rf"(?:^|\s)@{_NAME}"),  # "@Jan" anywhere
    re.compile(rf"\b{_NAME} (?:schrijft|schreef|stelt|zegt)\b"),  # "Marieke schrijft dat ..."
    re.compile(rf"\b(?:[Oo]n)?[Ee]ens met {_NAME}\b"),  # "Eens met Marieke."
    re.compile(rf"\b(?:[Aa]ls )?[Rr]eactie op {_NAME}\b"),  # "Reactie op Jan: ..."
)


# --- Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "paragraph" | "list_item"
    text: str
    ordered: bool = False


@dataclass
class ParsedComment:
    author: str
    badge: str
    text: str
    reply_to: int | None
    by_article_author: bool


@dataclass
class ParsedArticle:
    title: str
    author: str = ""
    published: datetime.date | None = None
    source: str = ""
    url: str = ""
    body: list[Block] = field(default_factory=list)
    comments: list[ParsedComment] = field(default_factory=list)
    # What the parser is unsure of: (code, detail). See warnings().
    notes: list[tuple[str, str]] = field(default_factory=list)

    def note(self, code: str, detail: str) -> None:
        if all(existing != code for existing, _ in self.notes):
            self.notes.append((code, detail))

    def warnings(self) -> list[dict]:
        """What a moderator should check before saving (docs/import-format.md, Warnings)."""
        found = list(self.notes)
        if not self.author:
            found.append(("no_author", "no author found in the text"))
        if not self.published:
            found.append(("no_date", "no publication date found in the text"))
        return [{"code": code, "message": message} for code, message in found]

    def as_dict(self) -> dict:
        """The shape printed by `import_articles --dry-run --json` (see docs/import-format.md)."""
        return {
            "title": self.title,
            "author": self.author or None,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source or None,
            "url": self.url or None,
            "body": [{"type": block.kind, "text": block.text} for block in self.body],
            "comments": [self._comment_dict(i) for i in range(len(self.comments))],
            "warnings": self.warnings(),
        }

    def _comment_dict(self, index: int) -> dict:
        comment = self.comments[index]
        target = comment.reply_to
        return {
            "position": index + 1,
            "author": comment.author,
            "badge": comment.badge or None,
            "reply_to": self.comments[target].author if target is not None else None,
            "reply_to_position": target + 1 if target is not None else None,
            "by_article_author": comment.by_article_author,
            "text": comment.text,
        }


class ParseError(ValueError):
    """The input is not an article dump; str(error) says why in one short sentence."""


# --- Entry points ------------------------------------------------------------------------------


# What a Dutch text saved as Windows-1252 holds beyond ASCII: accented letters and typography.
_LATIN_TEXT = set("àáâäèéêëìíîïòóôöùúûüçñÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜÇÑ‘’‚“”„–—…•€\u00a0·«»°±×½¼¾²³§©®™")


def parse_bytes(data: bytes) -> ParsedArticle:
    """Decode (UTF-8, a BOM allowed; else UTF-16 with its BOM or Windows-1252) and parse."""
    if not data.strip():
        raise ParseError("the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return parse_text(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise ParseError("the file is not valid UTF-16 text") from None
    if b"\x00" in data:
        raise ParseError("the file is binary (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Older Dutch sites saved as Windows-1252 (é as one byte): read it, and say so.
        try:
            text = data.decode("cp1252")
            if any(ord(char) > 127 and char not in _LATIN_TEXT for char in text):
                raise UnicodeDecodeError("cp1252", data, 0, 1, "not Dutch text")
        except UnicodeDecodeError:
            raise ParseError(
                f"the file is not UTF-8 text (bad byte at offset {error.start})"
            ) from None
        article = parse_text(text)
        article.note("encoding", "the file is not UTF-8; it was read as Windows-1252 (Latin-1)")
        return article
    return parse_text(text)


def parse_text(text: str) -> ParsedArticle:
    """Parse one page dump. Raises ParseError when there is no title or no body."""
    if "\x00" in text:
        raise ParseError("the text is binary (it contains NUL characters)")
    lines = [line.strip() for line in text.removeprefix("\ufeff").splitlines()]
    if not any(lines):
        raise ParseError("the file is empty")
    article = ParsedArticle(title="")
    title_at = _read_title(lines, article)
    start = _read_header(lines, title_at + 1, article)
    end = next((i for i in range(start, len(lines)) if _END_RE.fullmatch(lines[i])), len(lines))
    if _only_comments(lines, title_at, end):
        raise ParseError("the file holds only reader comments, no article")
    skip = _late_metadata(lines, start, end, article)
    thread_start = _find_thread_start(lines, start, end)

    body_lines = [
        "" if i in skip else _drop_boilerplate(lines[i]) for i in range(start, thread_start)
    ]
    body_lines = _trim_teasers(body_lines)
    body_lines = _take_signature(body_lines, article)
    article.body = _classify(body_lines)
    if not article.body:
        raise ParseError(f"the article {article.title!r} has a title but no body")
    article.comments = _parse_thread(lines[thread_start:end], article)
    _check_cut_off(article, lines[start:end])
    _check_title(article)
    return article


# --- Title and header --------------------------------------------------------------------------


def _is_chrome(line: str) -> bool:
    """Menu, section, sharing or breadcrumb line: 'zoeken Nieuwsbrief', 'Home » Nieuws'."""
    if not line:
        return False
    if _CHROME_RE.fullmatch(line):
        return True
    words = [word for word in _CHROME_SPLIT_RE.split(line.lower()) if word]
    return bool(words) and all(word in CHROME_WORDS for word in words)


def _is_social(line: str) -> bool:
    """A row of sharing buttons ('Linkedin Twitter', 'Delen: Facebook | X'): dropped anywhere."""
    if not line or len(line) > 80:
        return False
    words = [word.rstrip(":") for word in _CHROME_SPLIT_RE.split(line.lower()) if word]
    words = [word for word in words if word not in {"deel", "dit", "artikel", "via", "op"}]
    return bool(words) and all(word in SOCIAL_WORDS for word in words)


def _read_title(lines: list[str], article: ParsedArticle) -> int:
    """Set the title from the headline; return its index.

    Skipped before it: boilerplate, site chrome (menus, sections, sharing rows, breadcrumbs) and
    metadata (a date or byline above the headline). A person's name right above a headline
    that is followed by the byline is a kicker ('Egbert Jan van Bel' over an interview's title).
    """
    for i, line in enumerate(lines):
        if not line or _BOILERPLATE_RE.fullmatch(line) or _is_chrome(line):
            continue
        if _read_date(line, article) or _read_byline(line, article):
            continue
        nxt = _next_content(lines, i)
        if (
            _looks_like_name(line)
            and nxt is not None
            and _is_title_like(lines[nxt])
            and not _looks_like_name(lines[nxt])
        ):
            after = _next_content(lines, nxt)
            if after is not None and _is_metadata(lines[after]):
                i, line = nxt, lines[nxt]
        article.title = line
        return i
    raise ParseError("no title found: the file holds only menus and page boilerplate")


def _next_content(lines: list[str], i: int) -> int | None:
    """The next line that is neither blank, boilerplate nor chrome."""
    for j in range(i + 1, len(lines)):
        line = lines[j]
        if line and not _BOILERPLATE_RE.fullmatch(line) and not _is_chrome(line):
            return j
    return None


def _is_metadata(line: str) -> bool:
    """Whether a line is a date, byline or metadata row (read on a scratch article)."""
    scratch = ParsedArticle(title="")
    return _read_metadata([line], 0, scratch) > 0


def _read_header(lines: list[str], i: int, article: ParsedArticle) -> int:
    """Skip the repeated title, boilerplate, chrome and metadata lines under the title."""
    while i < len(lines):
        line = lines[i]
        if not line or line == article.title or _BOILERPLATE_RE.fullmatch(line) or _is_chrome(line):
            i += 1
            continue
        consumed = _read_metadata(lines, i, article)
        if not consumed:
            return i
        i += consumed
    return i


def _late_metadata(lines: list[str], start: int, end: int, article: ParsedArticle) -> set[int]:
    """A byline under a standfirst: metadata among the first three lines of the body, with
    only short title-like lines or chrome before it. Returns the indices to leave out."""
    skip, seen = set(), 0
    for j in range(start, end):
        line = lines[j]
        if not line or _BOILERPLATE_RE.fullmatch(line):
            continue
        if _is_chrome(line):
            skip.add(j)
            continue
        if seen and _is_metadata(line) and not _DATE_LINE_RE.fullmatch(line):
            _read_metadata(lines, j, article)
            return skip | {j}
        seen += 1
        if seen > 2 or len(line) > 2 * HEADING_MAX_CHARS:
            break
    return set()


def _read_metadata(lines: list[str], i: int, article: ParsedArticle) -> int:
    """Read one metadata item starting at line i; return how many lines it used (0: none)."""
    # A date may be spread over up to three lines: "3" / "maart" / "2025", "• 3 maart" / "2025".
    for count in (1, 2, 3):
        fragments = lines[i : i + count]
        if len(fragments) < count or not all(fragments):
            break
        if _read_date(" ".join(_strip_bullet(f) for f in fragments), article):
            return count
    line = _strip_bullet(lines[i])
    if _read_byline(line, article) or _read_date_by(line, article) or _read_meta_row(line, article):
        return 1
    if line != lines[i] and _looks_like_name(line):  # "• Kel Koenen"
        article.author = article.author or line
        return 1
    following = lines[i + 1] if i + 1 < len(lines) else ""
    if len(line.split()) >= 2 and _looks_like_name(line) and _DATE_LINE_RE.fullmatch(following):
        article.author = article.author or line  # "Anna de Vries" / "3 maart 2025"
        return 1
    return 0


def _parse_date(text: str, article: ParsedArticle | None = None):
    """(date, source) when text is a whole date line; None otherwise. A date that does not
    exist ('31-02-2020') is no date; it leaves a note on the article."""
    match = _DATE_LINE_RE.fullmatch(text)
    if not match:
        return None
    if match["d1"]:
        month = MONTHS.get(match["mon"].lower())
        parts = (match["y1"], month, match["d1"])
    elif match["d2"]:
        parts = (match["y2"], match["m2"], match["d2"])
    else:
        parts = (match["y3"], match["m3"], match["d3"])
    if parts[1] is None:
        return None
    try:
        published = datetime.date(*(int(part) for part in parts))
    except ValueError:  # "31-02-2025" is not a date
        if article is not None:
            article.note("invalid_date", f"{text!r} is not a date that exists; it was not used")
        return None
    source = (match["source"] or "").strip()
    if _is_chrome(source):  # "3 maart 2025 | Leestijd: 4 minuten"
        source = ""
    return published, source


def _read_date(text: str, article: ParsedArticle) -> bool:
    """If text is a date line, store the date (and a source after it) and return True."""
    found = _parse_date(text, article)
    if found is None:
        return False
    published, source = found
    article.published = article.published or published
    pipe = re.search(r"\|\s*" + re.escape(source) + "$", text) if source else None
    if pipe and _looks_like_name(source) and len(source.split()) >= 2:
        article.author = article.author or source  # "29 april 2021 | Justin van Lopik"
    elif source:
        article.source = article.source or source
    return True


def _split_names(text: str) -> tuple[list[str], str]:
    """Leading personal names of a byline and what follows them (a date, usually)."""
    names, rest, position = [], text, 0
    for match in list(_NAME_LIST_SPLIT_RE.finditer(text)) + [None]:
        stop = match.start() if match else len(text)
        part = text[position:stop].strip()
        if not _looks_like_name(part):
            break
        names.append((position, stop))
        rest = text[match.end() :] if match else ""
        if match is None:
            break
        position = match.end()
    if not names:
        return [], text
    return [text[a:b].strip() for a, b in names], rest.strip()


def _read_byline(line: str, article: ParsedArticle) -> bool:
    """'Door: Anna de Vries, 03-11-2019, 14:05 uur', 'Door Anna de Vries op 12 maart 2024',
    'Door Anna de Vries en Jan Jansen'."""
    match = _BYLINE_PREFIX_RE.fullmatch(line)
    if not match:
        return False
    text = match["rest"]
    by_op = re.fullmatch(r"(?P<names>.+?)\s+(?:op|[-–—|])\s+(?P<date>.*\d.*)", text)
    if by_op and _split_names(by_op["names"])[1] == "":
        names, rest = _split_names(by_op["names"])[0], by_op["date"]
    else:
        names, rest = _split_names(text)
    if not names:
        return False
    unread = rest and _parse_date(rest, article) is None
    if unread and not _DATE_ONLY_TIME_RE.fullmatch(rest) and not re.search(r"\d", rest):
        return False  # "Door Anna, die ..." is a sentence
    first, last = text.index(names[0]), text.index(names[-1]) + len(names[-1])
    author = text[first:last]
    if len(names) > 1:
        article.note("several_authors", f"the byline names {len(names)} people: {author}")
    article.author = article.author or author
    if rest:
        _read_date(rest, article)
    return True


def _read_date_by(line: str, article: ParsedArticle) -> bool:
    """'Laatste update op 22 januari 2019 door Monique van der Linde'."""
    match = _DATE_BY_RE.fullmatch(line)
    if not match or not _looks_like_name(match["name"].strip()):
        return False
    if not _read_date(match["date"].rstrip(" ,"), article):
        return False
    article.author = article.author or match["name"].strip()
    return True


def _read_meta_row(line: str, article: ParsedArticle) -> bool:
    """'Hans van der Klis | 2 september 2009 | 3 minuten leestijd' or 'Anna de Vries | 3 maart
    2025': every part is a name, a date, a reading time or a section label."""
    parts = _META_SPLIT_RE.split(line)
    if len(parts) < 2:
        return False
    name, published = "", None
    for part in parts:
        found = _parse_date(part)
        if found and published is None:
            published = found[0]
        elif _looks_like_name(part) and not name and not _is_chrome(part):
            name = part
        elif not _is_chrome(part):
            return False
    if not (name or published):
        return False
    article.author = article.author or name
    article.published = article.published or published
    return True


_DATE_ONLY_TIME_RE = re.compile(r"\d{1,2}[:.]\d{2}(?:\s*uur)?")


def _drop_boilerplate(line: str) -> str:
    """Boilerplate becomes a blank line, so it still separates what stood around it."""
    return "" if _BOILERPLATE_RE.fullmatch(line) or _is_social(line) else line


def _strip_bullet(line: str) -> str:
    match = _BULLET_ITEM_RE.fullmatch(line)
    return match["text"] if match else line


# --- Warnings ----------------------------------------------------------------------------------


def _check_title(article: ParsedArticle) -> None:
    """Note a title that may be a site's label rather than a headline."""
    title = article.title
    words = title.split()
    if (
        any(mark in title for mark in ("|", "»", "›"))
        or (title.isupper() and len(title) > 3)
        or (len(words) == 1 and title[-1].isalpha())
        or _looks_like_name(title)
    ):
        article.note("title_chrome", f"the title {title!r} may be a site label, not the headline")


def _check_cut_off(article: ParsedArticle, lines: list[str]) -> None:
    """Note a page that stops mid-sentence: its last text line does not end a sentence."""
    line = next((line for line in reversed(lines) if _drop_boilerplate(line)), None)
    if line is None:
        return
    if _ends_paragraph(line) or _list_item(line) or len(line) < 30:
        return
    if _looks_like_name(line):
        return
    article.note("cut_off", f"the text seems cut off: it ends in {line[-40:]!r}")


# --- Names -------------------------------------------------------------------------------------


def _looks_like_name(line: str) -> bool:
    """A person's name: 1-4 capitalised words, Dutch particles allowed, nothing else."""
    if not line or len(line) > NAME_MAX_CHARS or not line[-1].isalpha():
        return False
    words = line.split()
    if words[0] in NOT_NAME_WORDS or words[0] in NAME_PARTICLES or words[-1] in NAME_PARTICLES:
        return False
    capitalised = 0
    for word in words:
        if word in NAME_PARTICLES:
            continue
        if not _is_name_word(word):
            return False
        capitalised += 1
    return 1 <= capitalised <= 4


def _is_name_word(word: str) -> bool:
    if re.fullmatch(r"[A-Z]\.", word):  # an initial: "J. Jansen"
        return True
    return (
        word[0].isupper()
        and any(char.islower() for char in word)  # not an acronym ("KPN", "SCHRIJF")
        and all(char.isalpha() or char in "-'’" for char in word)
    )


def _is_badge(line: str) -> bool:
    return line.lower() in BADGES or bool(re.fullmatch(r"[A-Z][a-z]+-lid", line))


def _first_name(name: str) -> str:
    return name.split()[0] if name else ""


def _same_person(a: str, b: str) -> bool:
    return bool(a) and a.casefold().split() == b.casefold().split()


# --- Body --------------------------------------------------------------------------------------


def _trim_teasers(lines: list[str]) -> list[str]:
    """Cut teasers of other articles off the end: a title line, then a sentence cut off '...'."""
    lines = list(lines)
    while True:
        last = _previous_nonblank(lines, len(lines))
        if last is None or not lines[last].endswith(("...", "…")):
            return lines
        title = _previous_nonblank(lines, last)
        if title is None or not _is_title_like(lines[title]):
            return lines
        if _previous_nonblank(lines, title) is None:  # nothing before it: it is the content
            return lines
        del lines[title:]


def _take_signature(lines: list[str], article: ParsedArticle) -> list[str]:
    """A name alone on the last body line ('Kel Koenen', '— Anna de Vries') is the author."""
    last = _previous_nonblank(lines, len(lines))
    before = _previous_nonblank(lines, last) if last is not None else None
    if last is None or before is None or not _ends_paragraph(lines[before]):
        return lines
    line = lines[last]
    dashed = _SIGNATURE_RE.fullmatch(line)
    if dashed and _looks_like_name(dashed["name"]):
        name = dashed["name"]
    elif _read_byline(line, article):
        return lines[:last]
    elif _looks_like_name(line) and len(line.split()) >= 2:
        name = line
    else:
        return lines
    if not article.author or article.author.lower() in GENERIC_AUTHORS:
        article.author = name  # a person's signature says more than "Redactie"
    return lines[:last]


def _classify(lines: list[str]) -> list[Block]:
    blocks = []
    for i, line in enumerate(lines):
        if not line:
            continue
        item = _list_item(line)
        if item:
            blocks.append(item)
        elif _is_heading(lines, i):
            blocks.append(Block("heading", line))
        else:
            blocks.append(Block("paragraph", line))
    return blocks


def _list_item(line: str) -> Block | None:
    ordered = _ORDERED_ITEM_RE.fullmatch(line)
    if ordered:
        return Block("list_item", ordered["text"], ordered=True)
    bullet = _BULLET_ITEM_RE.fullmatch(line)
    return Block("list_item", bullet["text"]) if bullet else None


def _is_heading(lines: list[str], i: int) -> bool:
    """A short title-like line followed by a long paragraph, or set apart by blank lines."""
    line = lines[i]
    following = _next_nonblank(lines, i)
    if not _is_title_like(line) or following is None:
        return False
    nxt = lines[following]
    if _list_item(nxt) or len(nxt) >= LONG_PARAGRAPH:
        return True
    set_apart = (i == 0 or not lines[i - 1]) and not lines[i + 1]
    return set_apart and not _is_title_like(nxt)


def _is_title_like(line: str) -> bool:
    """Short, starts with a capital, one phrase, no sentence-final period or colon."""
    return (
        len(line) <= HEADING_MAX_CHARS
        and len(line.split()) <= HEADING_MAX_WORDS
        and not line[0].islower()
        and line[-1] not in ".,;:…"
        and not _SENTENCE_BREAK_RE.search(line)
        and not _URL_RE.fullmatch(line)
        and _list_item(line) is None
    )


def _ends_paragraph(line: str) -> bool:
    return line[-1] in ".!?…\"”'’)" or bool(_URL_RE.fullmatch(line))


def _previous_nonblank(lines: list[str], i: int) -> int | None:
    return next((j for j in range(i - 1, -1, -1) if lines[j]), None)


def _next_nonblank(lines: list[str], i: int) -> int | None:
    return next((j for j in range(i + 1, len(lines)) if lines[j]), None)


# --- Thread ------------------------------------------------------------------------------------


def _commenter(line: str) -> tuple[str, bool] | None:
    """(name, strong) when the line can open a comment; strong when it also says when it was
    posted or that the person speaks ('Jan Jansen zegt:', 'Jan | 3 maart 2025')."""
    if _is_badge(line):
        return None
    if _looks_like_name(line):
        return line, False
    match = _COMMENT_NAME_RE.fullmatch(line)
    if not match:
        return None
    name = match["name"].strip()
    if not _looks_like_name(name) or name.split()[0] in NOT_NAME_WORDS:
        return None
    when = match["date"]
    if when is not None and not _is_when(when):
        return None
    return name, True


def _is_when(text: str) -> bool:
    """A comment's time stamp: '14 maart 2024', '21-06-2016, 10:12 uur', '3 dagen geleden'."""
    text = text.strip().rstrip(":")
    return bool(_DATE_LINE_RE.fullmatch(text) or _AGO_RE.fullmatch(text))


def _find_thread_start(lines: list[str], start: int, end: int) -> int:
    """Index of the first comment's name line, or `end` when the page has no thread."""
    has_body = False
    for i in range(start, end):
        line = lines[i]
        if not line or _BOILERPLATE_RE.fullmatch(line):
            continue
        previous = _previous_nonblank(lines, i)
        after_marker = previous is not None and _THREAD_MARKER_RE.fullmatch(lines[previous])
        if has_body and after_marker and _is_comment_start(lines, i, end, after_marker=True):
            return i
        if has_body and _is_unannounced_thread(lines, i, end):
            return i
        has_body = True
    return end


def _is_strong_start(lines: list[str], i: int, end: int) -> bool:
    """A comment start that cannot be a heading: a badge or a time stamp under the name, or a
    name line that says 'zegt:' or carries a date."""
    found = _commenter(lines[i])
    if found is None:
        return False
    if found[1]:
        return True
    nxt = lines[i + 1] if i + 1 < end else ""
    return _is_badge(nxt) or _is_when(nxt)


def _is_unannounced_thread(lines: list[str], i: int, end: int) -> bool:
    """Without a marker: a strong start, or a full name right after a teaser cut off '...', or
    a full name (or a badge) with at least one more comment after it."""
    if not _is_comment_start(lines, i, end):
        return False
    if _is_strong_start(lines, i, end):
        return True
    name = _commenter(lines[i])[0]
    previous = _previous_nonblank(lines, i)
    if len(name.split()) >= 2 and lines[previous].endswith(("...", "…")):
        return True
    if len(name.split()) < 2 and not _is_badge(lines[i + 1]):
        return False
    return any(_is_comment_start(lines, j, end) for j in range(i + 2, end))


def _is_comment_start(lines: list[str], i: int, end: int, *, after_marker: bool = False) -> bool:
    """A name line, directly followed by a badge, a time stamp or text, after a finished
    paragraph."""
    if i + 1 >= end or _commenter(lines[i]) is None:
        return False
    nxt = lines[i + 1]
    if not nxt or _BOILERPLATE_RE.fullmatch(nxt):
        return False
    if _looks_like_name(nxt) and not _is_badge(nxt):  # a signature followed by the next name
        return False
    if after_marker:
        return True
    previous = next(
        (j for j in range(i - 1, -1, -1) if lines[j] and not _BOILERPLATE_RE.fullmatch(lines[j])),
        None,
    )
    return previous is None or _ends_paragraph(lines[previous]) or _looks_like_name(lines[previous])


def _only_comments(lines: list[str], title_at: int, end: int) -> bool:
    """The 'title' is the first commenter: the file is a thread without its article."""
    previous = _previous_nonblank(lines, title_at)
    after_marker = previous is not None and _THREAD_MARKER_RE.fullmatch(lines[previous])
    if not _is_comment_start(lines, title_at, end, after_marker=True):
        return False
    if after_marker:
        return True
    strong = _is_strong_start(lines, title_at, end)
    return (strong or len(lines[title_at].split()) >= 2) and any(
        _is_comment_start(lines, j, end) and (not strong or _is_strong_start(lines, j, end))
        for j in range(title_at + 2, end)
    )


@dataclass
class _RawComment:
    author: str
    badge: str = ""
    paragraphs: list[str] = field(default_factory=list)


def _parse_thread(lines: list[str], article: ParsedArticle) -> list[ParsedComment]:
    raw = _split_comments(lines)
    if raw:
        raw[-1].paragraphs = _trim_teasers(raw[-1].paragraphs)
    if not article.author:
        article.author = _infer_author(raw)
    comments = []
    for k, comment in enumerate(raw):
        comments.append(
            ParsedComment(
                author=comment.author,
                badge=comment.badge,
                text="\n\n".join(comment.paragraphs),
                reply_to=_reply_target(raw, k, article.author),
                by_article_author=_same_person(comment.author, article.author)
                or comment.badge.lower() == AUTHOR_BADGE,
            )
        )
    return comments


def _split_comments(lines: list[str]) -> list[_RawComment]:
    comments: list[_RawComment] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_comment_start(lines, i, len(lines), after_marker=not comments):
            comments.append(_RawComment(author=_commenter(line)[0]))
            # Under the name: a badge and when it was posted ("14 maart 2024", "3 dagen
            # geleden"), in either order; neither is part of the text.
            for _ in range(2):
                following = lines[i + 1] if i + 1 < len(lines) else ""
                if _is_badge(following) and not comments[-1].badge:
                    comments[-1].badge = following
                    i += 1
                elif following and _is_when(following):
                    i += 1
        elif comments and line and not _BOILERPLATE_RE.fullmatch(line) and not _is_social(line):
            comments[-1].paragraphs.append(line)
        i += 1
    return [comment for comment in comments if comment.paragraphs]


def _addressed_names(comment: _RawComment) -> list[str]:
    """Names a comment opens by addressing: 'Dag Tjip,', '@Jan', 'Goed artikel Tjip!'."""
    opening = comment.paragraphs[0]
    greeting = _GREETING_RE.match(opening)
    if greeting:
        return [greeting["name"]] if greeting["name"][0].isupper() else []
    first_sentence = re.split(r"(?<=[.!?])\s", opening, maxsplit=1)[0]
    return [
        match["name"]
        for pattern in _VOCATIVE_RES
        for match in pattern.finditer(first_sentence)
        if match["name"][0].isupper() and match["name"] not in NOT_NAME_WORDS
    ]


def _infer_author(raw: list[_RawComment]) -> str:
    """The article's author, seen from the thread: an 'Auteur' badge, or the commenter whom
    readers greet by first name before anyone of that name has commented."""
    for comment in raw:
        if comment.badge.lower() == AUTHOR_BADGE:
            return comment.author
    votes: Counter[str] = Counter()
    for k, comment in enumerate(raw):
        for name in _addressed_names(comment):
            if name == _first_name(comment.author):
                continue
            if any(_first_name(earlier.author) == name for earlier in raw[:k]):
                break  # answers an earlier commenter, not the author
            later = [c.author for c in raw[k + 1 :] if _first_name(c.author) == name]
            if later:
                votes[later[0]] += 1
                break
    return votes.most_common(1)[0][0] if votes else ""


def _reply_target(raw: list[_RawComment], k: int, article_author: str) -> int | None:
    """Index of the comment that comment k answers, or None when it answers the article."""
    comment = raw[k]
    # Addressing an earlier reader answers them; addressing the author answers the article.
    for name in _addressed_names(comment):
        if name == _first_name(article_author):
            break
        target = _latest_by(raw, k, name)
        if target is not None:
            return target
    # An explicit reference ("reactie van Tjip") points at a comment, even one by the author.
    text = "\n".join(comment.paragraphs)
    for pattern in _REFERENCE_RES:
        for match in pattern.finditer(text):
            target = _latest_by(raw, k, match["name"])
            if target is not None:
                return target
    return None


def _latest_by(raw: list[_RawComment], k: int, first_name: str) -> int | None:
    """The latest comment before k by someone else with this first name."""
    for j in range(k - 1, -1, -1):
        author = raw[j].author
        if _first_name(author) == first_name and not _same_person(author, raw[k].author):
            return j
    return None
