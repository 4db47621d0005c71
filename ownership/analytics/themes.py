"""Comment themes: what people write about, found on the server.

Each comment's language is detected (en, de, nl), its words are stemmed and
stop words dropped (:mod:`.text`); TF-IDF weighs the stems and non-negative
matrix factorisation (scikit-learn's NMF, deterministic NNDSVD start) finds
the themes; each comment belongs to the theme it loads on most. A theme is
named by its top terms, in the reader's language where its comments use it.

Comments are published once, with the final release, for groups of at least
the comment threshold (:mod:`.comments`); themes follow the same rule: none in
interim releases, counts only for departments whose comments are shown, no
theme with fewer comments than the threshold. Examples are the comments that
load on a theme most, whoever wrote them: every comment is in the
organisation's published list already.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import warnings
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from surveys.models import Wave

from .comments import comment_threshold, wave_comments
from .decisions import COMMENTS, Disclosure
from .exports import cell
from .loading import WaveData
from .reports import Published
from .text import Vocabulary, language_of, stems, words

logger = logging.getLogger(__name__)

TERMS = 6  # top terms kept per theme
EXAMPLES = 3
EXAMPLE_LENGTH = 300


@dataclass(frozen=True)
class ThemeDepartment:
    code: str | None  # None for the organisation
    count: int
    name: str = ""


@dataclass(frozen=True)
class Theme:
    label: str  # its top terms, in the survey's source language where possible
    labels: dict[str, str]  # by language, where its comments use that language
    terms: tuple[str, ...]
    count: int  # comments in this theme
    departments: tuple[ThemeDepartment, ...]
    examples: tuple[str, ...]
    # Positions of its comments in the comments report's organisation row.
    comments: tuple[int, ...] = ()


@dataclass(frozen=True)
class Themes(Published):
    wave_id: int
    wave_label: str
    min_group_size: int
    comment_threshold: int
    analysed: int  # comments the themes were found in
    method: str
    themes: tuple[Theme, ...]


def _documents(texts: list[str]):
    """Stems of each comment, the comments' languages and what each stem
    stood for."""
    vocabulary = Vocabulary()
    documents, languages = [], []
    for text in texts:
        language = language_of(text)
        tokens = words(text, language)
        stemmed = stems(tokens, language)
        for stem, word in zip(stemmed, tokens, strict=True):
            vocabulary.add(stem, word, language)
        documents.append(stemmed)
        languages.append(language)
    return documents, languages, vocabulary


def _themes_of(documents, count: int):
    """TF-IDF and NMF: the stems, the themes' weights over stems and each
    comment's theme (-1: none)."""
    # scikit-learn (with SciPy's sparse matrices and pandas) is imported
    # here, by the release that needs it, not by every web process: about
    # 100 MB each.
    from sklearn.decomposition import NMF  # noqa: PLC0415
    from sklearn.exceptions import ConvergenceWarning  # noqa: PLC0415
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415

    vectorizer = TfidfVectorizer(
        analyzer=lambda stems: stems, min_df=2, max_df=0.95, sublinear_tf=True
    )
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:  # no stem in two comments ("No comments.", "ok", ...)
        return [], np.zeros((0, 0)), np.full(len(documents), -1), None
    terms = vectorizer.get_feature_names_out()
    count = min(count, matrix.shape[1] - 1, matrix.shape[0] - 1)
    if count < 2:
        return terms, np.zeros((0, len(terms))), np.full(len(documents), -1), None
    model = NMF(n_components=count, init="nndsvd", max_iter=500, random_state=0)
    # A few comments can leave the last digits still moving after 500 rounds:
    # the themes are those of the 500th, the same on every run.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        loadings = model.fit_transform(matrix)
    if model.n_iter_ >= model.max_iter:
        logger.info(
            "Comment themes: NMF stopped at %d iterations (%d comments).",
            model.max_iter,
            len(documents),
        )
    best = np.where(loadings.max(axis=1) > 0, loadings.argmax(axis=1), -1)
    return terms, model.components_, best, loadings


def _label(stems_ranked, vocabulary: Vocabulary, language: str | None) -> list[str]:
    out = []
    for stem in stems_ranked:
        word = vocabulary.word(stem, language)
        if word and word not in out:
            out.append(word)
    return out[:3]


def build_themes(
    data: WaveData, disclosure: Disclosure, wave: Wave, *, final: bool
) -> Themes:
    """The themes of the wave's comments (final release only)."""
    threshold = comment_threshold(wave)
    node, texts = wave_comments(wave) if final else ((), [])
    hidden = disclosure.column(COMMENTS)
    empty = Themes(
        wave_id=wave.pk,
        wave_label=wave.label,
        min_group_size=wave.min_group_size,
        comment_threshold=threshold,
        analysed=0,
        method="TF-IDF + NMF (scikit-learn), Snowball stems, py3langid",
        themes=(),
    )
    if hidden[0] or len(texts) < 2 * threshold:
        return empty
    documents, languages, vocabulary = _documents(texts)
    wanted = int(np.clip(round(np.sqrt(len(texts) / 10)), 2, settings.THEMES_MAX))
    terms, components, best, loadings = _themes_of(documents, wanted)
    corpus = _Corpus(texts, node, languages, vocabulary, terms, loadings)
    source = data.snapshot.get("source_language", "en")
    themes = []
    for t in range(len(components)):
        members = np.flatnonzero(best == t)
        if len(members) < threshold:
            continue  # a theme never stands for fewer than the threshold
        ranked = [terms[j] for j in np.argsort(-components[t])[: TERMS * 2]]
        themes.append(_theme(data, hidden, corpus, t, members, ranked, source))
    themes.sort(key=lambda theme: -theme.count)
    return dataclasses.replace(empty, analysed=len(texts), themes=tuple(themes))


@dataclass(frozen=True)
class _Corpus:
    texts: list[str]
    node: np.ndarray  # each comment's node in the frozen tree
    languages: list[str]
    vocabulary: Vocabulary
    terms: np.ndarray
    loadings: np.ndarray


def _theme(data, hidden, corpus: _Corpus, t, members, ranked, source) -> Theme:
    """Theme ``t``: its names, counts per shown department and examples."""
    vocabulary = corpus.vocabulary
    labels = {}
    for language in sorted({corpus.languages[m] for m in members}):
        named = _label(ranked, vocabulary, language)
        if len(named) >= 2:
            labels[language] = ", ".join(named)
    counts = np.zeros(len(data.nodes), dtype=np.int64)
    for m in members:
        for ancestor in data.ancestors[corpus.node[m]]:
            if ancestor >= 0:
                counts[ancestor] += 1
    shown = [i for i in range(len(data.nodes)) if not hidden[i] and counts[i]]
    # Examples: the comments that load on it most, whoever wrote them (all
    # are in the organisation's published comments; choosing by department
    # would tell which came from a hidden one).
    order = members[np.argsort(-corpus.loadings[members, t], kind="stable")]
    examples = list(dict.fromkeys(corpus.texts[m][:EXAMPLE_LENGTH] for m in order))
    return Theme(
        label=labels.get(source) or ", ".join(_label(ranked, vocabulary, None)),
        labels=labels,
        terms=tuple(w for w in (vocabulary.word(s) for s in ranked[:TERMS]) if w),
        count=len(members),
        departments=tuple(
            ThemeDepartment(data.nodes[i].code, int(counts[i]), data.nodes[i].name)
            for i in shown
        ),
        examples=tuple(examples[:EXAMPLES]),
        comments=tuple(int(m) for m in members),
    )


def theme_rows(report: Themes) -> tuple[list[str], list[list]]:
    """The themes as one table: a line per theme and department it counts
    in (the organisation first), its examples on the theme's first line."""
    header = [
        "theme",
        "label",
        "terms",
        "count",
        "department_code",
        "department_count",
        "examples",
    ]
    rows = []
    for number, theme in enumerate(report.themes, start=1):
        for i, department in enumerate(theme.departments or [None]):
            rows.append(
                [
                    cell(v)
                    for v in (
                        number,
                        theme.label,
                        ", ".join(theme.terms),
                        theme.count,
                        department.code if department else None,
                        department.count if department else None,
                        json.dumps(list(theme.examples), ensure_ascii=False)
                        if i == 0
                        else None,
                    )
                ]
            )
    return header, rows
