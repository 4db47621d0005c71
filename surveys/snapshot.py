"""Freezing a survey page into the plain JSON a wave asks.

A snapshot holds every question in every locale, with the constructs, loci and
answer labels it needs, so that nothing a wave asked depends on the page, the
item bank or the loci as they are edited later.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from wagtail.models import Locale
from wagtail.rich_text import expand_db_html

from ownership.models import Locus

from .models import BankItem, Construct, SurveyPage

SNAPSHOT_VERSION = 1
ITEM_BANK_FILE = Path(__file__).parent / "data" / "item_bank.json"


@cache
def item_bank() -> dict[str, Any]:
    """The seeded item bank, scale labels and default question texts."""
    return json.loads(ITEM_BANK_FILE.read_text(encoding="utf-8"))


def default_labels(points: int, language: str) -> list[str]:
    scales = item_bank()["scales"][f"agree{points}"]
    return scales.get(language) or scales["en"]


def content_languages() -> list[str]:
    return [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES]


def snapshot_build(
    page: SurveyPage, *, locales: list[str] | None = None
) -> dict[str, Any]:
    """Build the snapshot of ``page`` as it is in memory.

    The structure (which questions, their ids, scales and loci) comes from
    ``page``; texts come from its live translation in each locale, falling back
    to ``page``'s own wording where a translation or a block is missing.
    """
    languages = locales or content_languages()
    source_language = page.locale.language_code
    pages = {source_language: page}
    for language in languages:
        if language in pages:
            continue
        translation = (
            SurveyPage.objects.live()
            .filter(
                translation_key=page.translation_key, locale__language_code=language
            )
            .first()
        )
        if translation is not None:
            pages[language] = translation
    blocks_by_language = {
        language: {block.id: block for block in translated.questions}
        for language, translated in pages.items()
    }

    bank = _bank(languages)
    constructs = _constructs(languages)
    loci = _loci(languages)

    def texts(block_id: str, getter) -> dict[str, Any]:
        """One text per language: ``getter(block, language)`` on the translated
        block, or else on the source page's block."""
        source_block = blocks_by_language[source_language][block_id]
        result = {}
        for language in languages:
            block = blocks_by_language.get(language, {}).get(block_id)
            value = getter(block, language) if block is not None else None
            result[language] = value or getter(source_block, language)
        return result

    questions = []
    for block in page.questions:
        value = block.value
        question: dict[str, Any] = {
            "id": block.id,
            "type": block.block_type,
            "required": bool(value.get("required")),
        }
        if block.block_type == "likert":
            question.update(_likert(block, bank, texts))
        else:
            question["text"] = texts(block.id, lambda b, _: b.value.get("text"))
        if block.block_type == "recommendation":
            question["low"] = texts(block.id, lambda b, _: b.value.get("low_label"))
            question["high"] = texts(block.id, lambda b, _: b.value.get("high_label"))
        elif block.block_type == "choice":
            count = len(value["choices"])
            question["choices"] = texts(
                block.id,
                lambda b, _, count=count: (
                    [str(c) for c in b.value["choices"]]
                    if len(b.value["choices"]) == count
                    else None
                ),
            )
        elif block.block_type == "allocation":
            question["loci"] = list(value["loci"])
            question["total"] = 100
            question["help"] = texts(block.id, lambda b, _: b.value.get("help") or "")
        elif block.block_type == "primary_owner":
            question["loci"] = list(value["loci"])
        elif block.block_type == "free_text":
            question["warning"] = texts(block.id, lambda b, _: b.value.get("warning"))
            question["max_length"] = int(value["max_length"])
        questions.append(question)

    used_constructs = {q["construct"] for q in questions if q["type"] == "likert"}
    used_loci = {slug for q in questions for slug in q.get("loci", [])}
    return {
        "version": SNAPSHOT_VERSION,
        "survey": {"page_id": page.pk, "translation_key": str(page.translation_key)},
        "languages": languages,
        "source_language": source_language,
        "title": {lang: pages.get(lang, page).title for lang in languages},
        "intro": {
            lang: expand_db_html(pages.get(lang, page).intro or page.intro)
            for lang in languages
        },
        "thank_you": {
            lang: expand_db_html(pages.get(lang, page).thank_you or page.thank_you)
            for lang in languages
        },
        "questions": questions,
        "constructs": {
            slug: constructs[slug]
            for slug in sorted(used_constructs)
            if slug in constructs
        },
        "loci": {slug: loci[slug] for slug in loci if slug in used_loci},
    }


def _likert(block, bank, texts) -> dict[str, Any]:
    value = block.value
    points = int(value.get("points") or 5)
    bank_id = value.get("bank_item")
    if bank_id:
        entry = next(b[bank_id] for b in bank.values() if bank_id in b)
        construct, reverse_keyed = entry["construct"], entry["reverse_keyed"]
        # The page's own wording overrides the bank; else the bank's translation.
        statement = texts(
            block.id,
            lambda b, language: (
                b.value.get("text")
                or bank.get(language, {}).get(bank_id, entry)["text"]
            ),
        )
    else:
        construct = value["construct"]
        reverse_keyed = bool(value.get("reverse_keyed"))
        statement = texts(block.id, lambda b, _: b.value.get("text"))

    def labels_of(b, language):
        lines = [ln.strip() for ln in (b.value.get("labels") or "").splitlines()]
        lines = [ln for ln in lines if ln]
        return lines if len(lines) == points else default_labels(points, language)

    return {
        "item": bank_id or block.id,
        "construct": construct,
        "reverse_keyed": reverse_keyed,
        "points": points,
        "text": statement,
        "labels": texts(block.id, labels_of),
    }


def _bank(languages: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    bank: dict[str, dict[str, dict[str, Any]]] = {lang: {} for lang in languages}
    items = BankItem.objects.select_related("construct__locale")
    for item in items:
        language = item.construct.locale.language_code
        bank.setdefault(language, {})[item.item_id] = {
            "text": item.text,
            "construct": item.construct.slug,
            "reverse_keyed": item.reverse_keyed,
        }
    return bank


def _constructs(languages: list[str]) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    default = Locale.get_default().language_code
    rows = Construct.objects.select_related("locale").order_by("slug")
    for construct in rows:
        entry = result.setdefault(construct.slug, {"name": {}, "description": {}})
        language = construct.locale.language_code
        entry["name"][language] = construct.name
        entry["description"][language] = construct.description
        if language == default or "favourable_when" not in entry:
            entry["favourable_when"] = construct.favourable_when
            entry["citation"] = construct.citation
    for entry in result.values():
        for key in ("name", "description"):
            fallback = entry[key].get(default) or next(iter(entry[key].values()))
            entry[key] = {lang: entry[key].get(lang, fallback) for lang in languages}
    return result


def _loci(languages: list[str]) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    default = Locale.get_default().language_code
    for locus in Locus.objects.select_related("locale").order_by("sort_order", "slug"):
        entry = result.setdefault(
            locus.slug, {"kind": locus.kind, "order": locus.sort_order, "name": {}}
        )
        entry["name"][locus.locale.language_code] = locus.name
        if locus.locale.language_code == default:
            entry["kind"] = locus.kind
    for entry in result.values():
        fallback = entry["name"].get(default) or next(iter(entry["name"].values()))
        entry["name"] = {lang: entry["name"].get(lang, fallback) for lang in languages}
    return result
