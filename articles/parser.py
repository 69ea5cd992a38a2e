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

_WEEKDAY = r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo)"
_DATE_LINE_RE = re.compile(
    r"(?:(?:gepubliceerd|geplaatst)(?:\s+op)?:?\s+)?"
    rf"(?:{_WEEKDAY}\.?,?\s+)?"
    r"(?:(?P<d1>\d{1,2})\s+(?P<mon>[a-z]{3,9})\.?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})[-/.](?P<m2>\d{1,2})[-/.](?P<y2>\d{4})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2}))"
    r"(?:,?\s*(?:om\s+)?\(?\d{1,2}[:.]\d{2}\)?(?:\s*uur)?)?"  # time: "(07:01)", ", 14:05 uur"
    r"(?:\s*[-–—|]\s*(?P<source>\D.*))?",  # "- Marketingfacts"
    re.IGNORECASE,
)
_BYLINE_RE = re.compile(
    r"(?:Door|Auteur|Geschreven door)\s*:?\s+(?P<name>[^,|]+?)"
    r"(?:(?:\s*[,|]\s*|\s+op\s+|\s+[-–—]\s+)(?P<rest>.*))?"  # ", 03-11-2019", " op 12 maart 2024"
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


def parse_bytes(data: bytes) -> ParsedArticle:
    """Decode UTF-8 (a BOM is allowed) and parse; refuse empty and binary input."""
    if not data.strip():
        raise ParseError("the file is empty")
    if b"\x00" in data:
        raise ParseError("the file is binary (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(f"the file is not UTF-8 text (bad byte at offset {error.start})") from None
    return parse_text(text)


def parse_text(text: str) -> ParsedArticle:
    """Parse one page dump. Raises ParseError when there is no title or no body."""
    if "\x00" in text:
        raise ParseError("the text is binary (it contains NUL characters)")
    lines = [line.strip() for line in text.removeprefix("\ufeff").splitlines()]
    if not any(lines):
        raise ParseError("the file is empty")
    article = ParsedArticle(title="")
    start = _read_title(lines, article)
    start = _read_header(lines, start, article)
    end = next((i for i in range(start, len(lines)) if _END_RE.fullmatch(lines[i])), len(lines))
    thread_start = _find_thread_start(lines, start, end)

    body_lines = [_drop_boilerplate(line) for line in lines[start:thread_start]]
    body_lines = _trim_teasers(body_lines)
    body_lines = _take_signature(body_lines, article)
    article.body = _classify(body_lines)
    if not article.body:
        raise ParseError(f"the article {article.title!r} has a title but no body")
    article.comments = _parse_thread(lines[thread_start:end], article)
    return article


# --- Title and header --------------------------------------------------------------------------


def _read_title(lines: list[str], article: ParsedArticle) -> int:
    """Set the title from the first real line; return the index after it."""
    for i, line in enumerate(lines):
        if not line or _BOILERPLATE_RE.fullmatch(line):
            continue
        if _read_date(line, article):  # a date above the title is metadata too
            continue
        article.title = line
        return i + 1
    raise ParseError("no title found: the file holds only page boilerplate")


def _read_header(lines: list[str], i: int, article: ParsedArticle) -> int:
    """Skip the repeated title, boilerplate and metadata lines under the title."""
    while i < len(lines):
        line = lines[i]
        if not line or line == article.title or _BOILERPLATE_RE.fullmatch(line):
            i += 1
            continue
        consumed = _read_metadata(lines, i, article)
        if not consumed:
            return i
        i += consumed
    return i


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
    if _read_byline(line, article):
        return 1
    if line != lines[i] and _looks_like_name(line):  # "• Kel Koenen"
        article.author = article.author or line
        return 1
    return 0


def _read_date(text: str, article: ParsedArticle) -> bool:
    """If text is a date line, store the date (and a source after it) and return True."""
    match = _DATE_LINE_RE.fullmatch(text)
    if not match:
        return False
    if match["d1"]:
        month = MONTHS.get(match["mon"].lower())
        parts = (match["y1"], month, match["d1"])
    elif match["d2"]:
        parts = (match["y2"], match["m2"], match["d2"])
    else:
        parts = (match["y3"], match["m3"], match["d3"])
    if parts[1] is None:
        return False
    try:
        published = datetime.date(*(int(part) for part in parts))
    except ValueError:  # "31-02-2025" is not a date
        return False
    article.published = article.published or published
    if match["source"]:
        article.source = article.source or match["source"].strip()
    return True


def _read_byline(line: str, article: ParsedArticle) -> bool:
    """'Door: Anna de Vries, 03-11-2019, 14:05 uur' or 'Door Anna de Vries'."""
    match = _BYLINE_RE.fullmatch(line)
    if not match or not _looks_like_name(match["name"]):
        return False
    article.author = article.author or match["name"]
    if match["rest"]:
        _read_date(match["rest"], article)
    return True


def _drop_boilerplate(line: str) -> str:
    """Boilerplate becomes a blank line, so it still separates what stood around it."""
    return "" if _BOILERPLATE_RE.fullmatch(line) else line


def _strip_bullet(line: str) -> str:
    match = _BULLET_ITEM_RE.fullmatch(line)
    return match["text"] if match else line


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


def _is_unannounced_thread(lines: list[str], i: int, end: int) -> bool:
    """Without a marker, demand a full name (or a badge) and at least one more comment after."""
    if not _is_comment_start(lines, i, end):
        return False
    if len(lines[i].split()) < 2 and not _is_badge(lines[i + 1]):
        return False
    return any(_is_comment_start(lines, j, end) for j in range(i + 2, end))


def _is_comment_start(lines: list[str], i: int, end: int, *, after_marker: bool = False) -> bool:
    """A name line, directly followed by a badge or text, after a finished paragraph."""
    line = lines[i]
    if not _looks_like_name(line) or _is_badge(line) or i + 1 >= end:
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
            comments.append(_RawComment(author=line))
            if _is_badge(lines[i + 1]):
                comments[-1].badge = lines[i + 1]
                i += 1
            # When it was posted ("14 maart 2024", "3 dagen geleden") is not part of the text.
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if _DATE_LINE_RE.fullmatch(following) or _AGO_RE.fullmatch(following):
                i += 1
        elif comments and line and not _BOILERPLATE_RE.fullmatch(line):
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
