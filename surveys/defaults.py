"""The default survey, "Customer Ownership Pulse", in English, German and Dutch."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from wagtail.models import Locale, Page

from ownership.models import Locus

from .item_bank import item_bank
from .models import SurveyPage
from .snapshot import content_languages

DEFAULT_TITLE = {
    "en": "Customer Ownership Pulse",
    "de": "Puls: Wem gehört der Kunde?",
    "nl": "Pulse: van wie is de klant?",
}
DEFAULT_SLUG = "customer-ownership-pulse"

# The bank items of the default pulse (20), construct by construct. Each
# construct with three items has one reverse-keyed statement among them, which
# counters agreeing with whatever is asked (acquiescence; Paulhus 1991) and
# shows in the reliability report whether the keying works. Items that name
# the Chief Customer Officer are left out: a pulse that runs before and after
# an appointment must ask the same thing in both.
DEFAULT_ITEMS = (
    "CO-1", "CO-2", "CO-4",
    "PO-1", "PO-3", "PO-4",
    "FR-1", "FR-2", "FR-4",
    "DL-2", "DL-3", "DL-4",
    "CK-1", "CK-2",
    "ER-1", "ER-3",
    "FL-1", "FL-3",
    "OP-1", "OP-2",
)  # fmt: skip
# What the pulse exists to measure: felt responsibility, psychological
# ownership and where responsibility sits. The rest may be skipped.
REQUIRED_ITEMS = {"FR-1", "FR-2", "FR-4", "PO-1", "PO-3", "PO-4"}


def _stream(language: str, ids: list[str]) -> list[dict[str, Any]]:
    """Raw StreamField data; the same block ids in every language."""
    q = {key: texts[language] for key, texts in item_bank()["questions"].items()}
    loci = list(
        Locus.objects.filter(locale=Locale.get_default()).values_list("slug", flat=True)
    )
    blocks: list[tuple[str, dict[str, Any]]] = [
        (
            "likert",
            {
                "bank_item": item,
                "text": "",
                "points": "5",
                "labels": "",
                "required": item in REQUIRED_ITEMS,
            },
        )
        for item in DEFAULT_ITEMS
    ]
    blocks += [
        (
            "recommendation",
            {
                "text": q["recommendation"],
                "low_label": q["recommendation_low"],
                "high_label": q["recommendation_high"],
            },
        ),
        (
            "allocation",
            {
                "text": q["allocation"],
                "help": q["allocation_help"],
                "loci": loci,
                "required": True,
            },
        ),
        ("primary_owner", {"text": q["primary_owner"], "loci": loci}),
        (
            "free_text",
            {
                "text": q["free_text"],
                "warning": q["free_text_warning"],
                "max_length": 1000,
            },
        ),
    ]
    return [
        {"type": kind, "value": value, "id": block_id}
        for (kind, value), block_id in zip(blocks, ids, strict=True)
    ]


@transaction.atomic
def survey_create_default(*, parent: Page | None = None) -> SurveyPage:
    """Create and publish the default pulse with its translations, once.

    Returns the English page; if it already exists it is returned unchanged.
    """
    existing = SurveyPage.objects.filter(
        slug=DEFAULT_SLUG, locale=Locale.get_default()
    ).first()
    if existing is not None:
        return existing
    if parent is None:
        parent = Page.objects.get(depth=2, locale=Locale.get_default()).specific
    intro = item_bank()["questions"]["intro"]
    thank_you = item_bank()["questions"]["thank_you"]
    ids = [str(uuid.uuid4()) for _ in range(len(DEFAULT_ITEMS) + 4)]

    source_language = Locale.get_default().language_code
    page = SurveyPage(
        title=DEFAULT_TITLE[source_language],
        slug=DEFAULT_SLUG,
        intro=f"<p>{intro[source_language]}</p>",
        thank_you=f"<p>{thank_you[source_language]}</p>",
        questions=_stream(source_language, ids),
    )
    parent.add_child(instance=page)
    page.save_revision().publish()

    for language in content_languages():
        if language == source_language:
            continue
        locale = Locale.objects.get(language_code=language)
        translation = page.copy_for_translation(locale, copy_parents=True)
        translation.title = DEFAULT_TITLE[language]
        translation.intro = f"<p>{intro[language]}</p>"
        translation.thank_you = f"<p>{thank_you[language]}</p>"
        translation.questions = _stream(language, ids)
        translation.save_revision().publish()
    return page
