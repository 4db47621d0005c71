"""A Likert item: a statement answered on a 5- or 7-point agreement scale."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..blocks import bank_item_choices, construct_choices, fail
from ..item_bank import default_labels
from .base import (
    RADIO_TEMPLATE,
    CleanAnswers,
    Freezing,
    Item,
    LoadedAnswers,
    Option,
    QuestionType,
    QuestionView,
    Rendering,
    scale_answer,
)


def _labels(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines()]
    return [line for line in lines if line]


class LikertBlock(blocks.StructBlock):
    bank_item = blocks.ChoiceBlock(
        choices=bank_item_choices,
        required=False,
        label=_("From the item bank"),
        help_text=_(
            "Pick a validated statement. Its construct, keying and id come from the "
            "bank, so trends survive rewording and translation."
        ),
    )
    text = blocks.CharBlock(
        label=_("Statement"),
        required=False,
        max_length=300,
        help_text=_(
            "Leave empty to use the bank item's wording; write one to ask an item "
            "of your own."
        ),
    )
    construct = blocks.ChoiceBlock(
        choices=construct_choices,
        required=False,
        label=_("Construct"),
        help_text=_("What an item of your own measures (bank items bring theirs)."),
    )
    reverse_keyed = blocks.BooleanBlock(
        required=False,
        label=_("Reverse-keyed"),
        help_text=_(
            "For an item of your own: tick if agreeing means less of the construct."
        ),
    )
    points = blocks.ChoiceBlock(
        choices=[("5", _("5 points")), ("7", _("7 points"))],
        default="5",
        label=_("Scale"),
    )
    labels = blocks.TextBlock(
        required=False,
        label=_("Answer labels"),
        help_text=_(
            "One label per line, from 'disagree' to 'agree'. Leave empty for the "
            "standard agreement labels in each language."
        ),
    )
    required = blocks.BooleanBlock(label=_("Answer required"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Likert item")
        form_classname = "struct-block likert-block"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        bank_item = value.get("bank_item")
        if bank_item:
            if bank_item not in dict(bank_item_choices()):
                errors["bank_item"] = _("This item is no longer in the item bank.")
        else:
            if not value.get("text"):
                errors["text"] = _(
                    "Write the statement, or choose one from the item bank."
                )
            if not value.get("construct"):
                errors["construct"] = _("Choose the construct this item measures.")
        labels = _labels(value.get("labels"))
        if labels and len(labels) != int(value.get("points") or 5):
            errors["labels"] = _(
                "Give exactly %(points)s labels, one per line, or none for the "
                "standard ones (you gave %(n)d)."
            ) % {"points": value.get("points"), "n": len(labels)}
        if errors:
            fail(**errors)
        return value


class Likert(QuestionType):
    name = "likert"
    block = LikertBlock
    seconds = 10
    template_source = RADIO_TEMPLATE

    def freeze(self, freezing: Freezing) -> dict[str, Any]:
        value, bank = freezing.value, freezing.bank
        points = int(value.get("points") or 5)
        bank_id = value.get("bank_item")
        if bank_id:
            entry = next(b[bank_id] for b in bank.values() if bank_id in b)
            construct, reverse_keyed = entry["construct"], entry["reverse_keyed"]
            # The page's own wording overrides the bank; else the bank's
            # translation.
            statement = freezing.texts(
                lambda b, language: (
                    b.value.get("text")
                    or bank.get(language, {}).get(bank_id, entry)["text"]
                )
            )
        else:
            construct = value["construct"]
            reverse_keyed = bool(value.get("reverse_keyed"))
            statement = freezing.text_of("text")

        def labels_of(b, language):
            lines = _labels(b.value.get("labels"))
            return lines if len(lines) == points else default_labels(points, language)

        return {
            "item": bank_id or freezing.block.id,
            "construct": construct,
            "reverse_keyed": reverse_keyed,
            "points": points,
            "text": statement,
            "labels": freezing.texts(labels_of),
        }

    def view(self, q, rendering: Rendering, **common) -> QuestionView:
        submitted = rendering.posted(common["name"])
        options = [
            Option(str(i), label, submitted == str(i))
            for i, label in enumerate(rendering.text(q["labels"]), start=1)
        ]
        return QuestionView(**common, template=self.template, options=options)

    def clean(self, q, raw, clean: CleanAnswers) -> str | None:
        return scale_answer(q, raw, clean, 1, q["points"])

    def load(self, q, column, loaded: LoadedAnswers) -> None:
        item = Item(q["id"], q["item"], q["construct"], q["points"], q["reverse_keyed"])
        keyed = column(None)
        loaded.items.append(item)
        loaded.likert.append(item.points + 1 - keyed if item.reverse_keyed else keyed)
