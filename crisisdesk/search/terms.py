"""Words to index terms, the same on both databases: folded, stemmed in German and English.

The databases only match the terms written here (SQLite FTS5, PostgreSQL's 'simple' tsvector);
the language work happens once, in Python, so both find exactly the same rows.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markupsafe import Markup, escape
from snowballstemmer.english_stemmer import EnglishStemmer
from snowballstemmer.german_stemmer import GermanStemmer

# the pinned pure-Python algorithms, never a C build that happens to be installed: a stem that
# changed between versions would no longer meet the terms already in the index
_GERMAN = GermanStemmer()
_ENGLISH = EnglishStemmer()
#: letters and digits, hyphenated compounds kept together ("Online-Banking")
_WORD = re.compile(r"\w+(?:-\w+)*")
_TERM = re.compile(r"[a-z0-9]+")
MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200
#: a shorter word would match a large part of the index as a prefix: it matches only exactly
MIN_PREFIX = 3


def _fold(text: str) -> str:
    # "ß" → "ss" (casefold), then without accents: Kündigung, Kuendigung and Kundigung meet
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """The German and English stems of one word (lower case, folded), without repeats."""
    lowered = word.casefold()
    found = []
    for stem in (_GERMAN.stemWord(lowered), _ENGLISH.stemWord(lowered)):
        for term in _TERM.findall(_fold(stem)):
            if term not in found:
                found.append(term)
    return tuple(found)


def _parts(token: str) -> list[str]:
    # a hyphenated compound is found by each part and by the whole written together
    parts = token.split("-")
    return parts + ["".join(parts)] if len(parts) > 1 else parts


def index_terms(text: str) -> str:
    """The space-separated terms a text is indexed under, once per occurrence (for ranking)."""
    terms: list[str] = []
    for token in _WORD.findall(text or ""):
        for part in _parts(token):
            terms.extend(stems(part))
    return " ".join(terms)


def query_words(query: str) -> list[tuple[str, ...]]:
    """Each word of a query as the terms any of which it may match.

    A word matches its German and English stems exactly ("Kunde" finds "Kunden") and, as
    written, the start of a longer term ("Karten" finds "Kartensperre"); a prefix ends in "*".
    The word's stem is never a prefix: "kund*" would find "Kündigung" for "Kunde".
    """
    words: list[tuple[str, ...]] = []
    for token in _WORD.findall(query or ""):
        whole = token.replace("-", "")  # "Online-Banking" asks for the compound written together
        written = "".join(_TERM.findall(_fold(whole)))
        prefix = written if len(written) >= MIN_PREFIX else ""
        exact = [t for t in stems(whole) if not (prefix and t.startswith(prefix))]
        word = tuple(exact + ([prefix + "*"] if prefix else []))
        if word and word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def matches(term: str, word: tuple[str, ...]) -> bool:
    """Whether an indexed term is one the query word asks for."""
    return any(term.startswith(t[:-1]) if t.endswith("*") else term == t for t in word)


def fts5_query(words: list[tuple[str, ...]], *, any_word: bool = False) -> str:
    """The FTS5 MATCH expression: every word (or any), each as one of its terms."""
    groups = [
        "(" + " OR ".join(f'"{t[:-1]}"*' if t.endswith("*") else f'"{t}"' for t in word) + ")"
        for word in words
    ]
    return (" OR " if any_word else " AND ").join(groups)


def tsquery(words: list[tuple[str, ...]], *, any_word: bool = False) -> str:
    """The same expression for PostgreSQL's to_tsquery('simple', …)."""
    groups = [
        "(" + " | ".join(f"{t[:-1]}:*" if t.endswith("*") else t for t in word) + ")"
        for word in words
    ]
    return (" | " if any_word else " & ").join(groups)


def snippet(
    text: str, words: list[tuple[str, ...]], width: int = 160, seen: dict | None = None
) -> Markup:
    """Up to `width` characters around the first hit, escaped, the hits in <mark>.

    `seen` (token → hit?) may be shared by the snippets of one query: a page of hits repeats
    most of its words.
    """
    seen = {} if seen is None else seen
    hits: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        if hits and match.start() > hits[0][0] + width:
            break  # past what the snippet can show
        token = match.group()
        found = seen.get(token)
        if found is None:
            found = seen[token] = any(
                matches(term, word)
                for part in _parts(token)
                for term in stems(part)
                for word in words
            )
        if found:
            hits.append(match.span())
    start = max(0, hits[0][0] - width // 3) if hits else 0
    if start:  # begin at a word
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < hits[0][0] else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    parts = ["…"] if start else []
    cursor = start
    for begin, finish in hits:
        if begin < cursor or finish > end:
            continue
        parts += [escape(text[cursor:begin]), "<mark>", escape(text[begin:finish]), "</mark>"]
        cursor = finish
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return Markup("".join(parts))  # every piece of the text went through escape()
