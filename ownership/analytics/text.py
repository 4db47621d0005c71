"""Comments as terms: language, tokens, stop words and stems, for en, de and nl.

Everything runs here, on the server: the language of each comment comes from
py3langid's bundled model (restricted to the survey's languages), stems from
the Snowball stemmers (snowballstemmer), stop words from
``ownership/data/stop_words.json`` (English: scikit-learn's list).
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from pathlib import Path

import snowballstemmer
from py3langid.langid import MODEL_FILE, LanguageIdentifier

LANGUAGES = ("en", "de", "nl")
STEMMERS = {"en": "english", "de": "german", "nl": "dutch"}
STOP_WORDS_FILE = Path(__file__).resolve().parents[1] / "data" / "stop_words.json"
WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@functools.cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(LANGUAGES))
    return identifier


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    listed = json.loads(STOP_WORDS_FILE.read_text(encoding="utf-8"))
    words = set(listed.get(language, ()))
    if language == "en":
        # Imported when needed: see themes._themes_of.
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # noqa: PLC0415

        words |= ENGLISH_STOP_WORDS
    return frozenset(words)


@functools.cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMERS[language])


def language_of(text: str) -> str:
    """The comment's language among :data:`LANGUAGES`."""
    return _identifier().classify(text)[0]


def words(text: str, language: str) -> list[str]:
    """The comment's words in lower case, stop words and words shorter than
    three letters left out."""
    stop = stop_words(language)
    return [
        w for w in (m.group().lower() for m in WORD.finditer(text)) if w not in stop
    ]


def stems(tokens: list[str], language: str) -> list[str]:
    return [_stem(token, language) for token in tokens]


@functools.lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> str:
    # Comments repeat their words: each is stemmed once per process.
    return _stemmer(language).stemWord(word)


class Vocabulary:
    """Which words each stem stood for, per language, to name a stem by its
    most frequent word."""

    def __init__(self) -> None:
        self.seen: dict[str, dict[str, Counter]] = {}

    def add(self, stem: str, word: str, language: str) -> None:
        self.seen.setdefault(stem, {}).setdefault(language, Counter())[word] += 1

    def word(self, stem: str, language: str | None = None) -> str | None:
        """The stem's most frequent word (in ``language``, if given and the
        stem occurs there)."""
        by_language = self.seen.get(stem, {})
        if language is not None:
            counts = by_language.get(language)
            return counts.most_common(1)[0][0] if counts else None
        total: Counter = Counter()
        for counts in by_language.values():
            total.update(counts)
        return total.most_common(1)[0][0] if total else None
