"""Freezing a survey page into the plain JSON a wave asks.

A snapshot holds every question in every locale, with the constructs, loci and
answer labels it needs, so that nothing a wave asked depends on the page, the
item bank or the loci as they are edited later.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from wagtail.models import Locale
from wagtail.rich_text import expand_db_html

from ownership.models import Locus

from .constructs import BankItem, Construct
from .questions import Freezing, question_type

SNAPSHOT_VERSION = 1


def content_languages() -> list[str]:
    return [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES]


def _translations(page, languages: list[str]) -> dict:
    """``page`` and its live translation in each of ``languages`` that has one."""
    pages = {page.locale.language_code: page}
    for language in languages:
        if language in pages:
            continue
        translation = (
            page.get_translations()
            .live()
            .filter(locale__language_code=language)
            .first()
        )
        if translation is not None:
            pages[language] = translation
    return pages


def _texts(blocks_by_language, source_language: str, languages, block_id: str):
    """``texts(getter)``: one value per language of ``getter(block, language)``
    on the block as translated, or else on the source page's block."""
    source_block = blocks_by_language[source_language][block_id]

    def of(getter) -> dict[str, Any]:
        result = {}
        for language in languages:
            block = blocks_by_language.get(language, {}).get(block_id)
            value = getter(block, language) if block is not None else None
            result[language] = value or getter(source_block, language)
        return result

    return of


def snapshot_build(page, *, locales: list[str] | None = None) -> dict[str, Any]:
    """Build the snapshot of ``page`` as it is in memory.

    The structure (which questions, their ids, scales and loci) comes from
    ``page``; texts come from its live translation in each locale, falling back
    to ``page``'s own wording where a translation or a block is missing.
    """
    languages = locales or content_languages()
    source_language = page.locale.language_code
    pages = _translations(page, languages)
    blocks_by_language = {
        language: {block.id: block for block in translated.questions}
        for language, translated in pages.items()
    }

    bank = _bank(languages)
    constructs = _constructs(languages)
    loci = _loci(languages)

    questions = []
    for block in page.questions:
        texts = _texts(blocks_by_language, source_language, languages, block.id)
        freezing = Freezing(block=block, texts=texts, bank=bank)
        questions.append(
            {
                "id": block.id,
                "type": block.block_type,
                "required": bool(block.value.get("required")),
                **question_type(block.block_type).freeze(freezing),
            }
        )

    used_constructs = {q["construct"] for q in questions if "construct" in q}
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
