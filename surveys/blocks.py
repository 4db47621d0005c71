"""What every question block shares: wording, "required" and the choices the
editor picks from.

The choice lists are callables, read when the editor opens, so new bank items
and loci appear without a deploy; migrations refer to them by these names.
Each question type's own block lives with the rest of its behaviour in
:mod:`surveys.questions`.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Locale

from ownership.models import Locus

from .constructs import BankItem, Construct


def bank_item_choices() -> list[tuple[str, str]]:
    items = (
        BankItem.objects.filter(construct__locale=Locale.get_default())
        .select_related("construct")
        .order_by("construct__name", "sort_order")
    )
    return [
        (item.item_id, f"{item.item_id} · {item.construct.name} · {item.text[:70]}")
        for item in items
    ]


def construct_choices() -> list[tuple[str, str]]:
    constructs = Construct.objects.filter(locale=Locale.get_default())
    return [(c.slug, c.name) for c in constructs]


def locus_choices() -> list[tuple[str, str]]:
    loci = Locus.objects.filter(locale=Locale.get_default())
    return [(lo.slug, lo.name) for lo in loci]


def fail(**errors: str) -> None:
    """Refuse a block's value with one message per sub-block at fault."""
    raise StructBlockValidationError(
        block_errors={name: ValidationError(msg) for name, msg in errors.items()}
    )


class QuestionBlock(blocks.StructBlock):
    """Common to every question: the wording and whether an answer is needed."""

    text = blocks.CharBlock(label=_("Question"), max_length=400)
    required = blocks.BooleanBlock(
        label=_("Answer required"),
        required=False,
        help_text=_("Leave unticked so people may skip it (recommended)."),
    )


class LocusBlock(blocks.MultipleChoiceBlock):
    """The loci a question offers, as tick boxes."""

    @cached_property
    def field(self):
        field = super().field
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        return field
