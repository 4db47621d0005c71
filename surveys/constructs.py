"""Constructs and their item bank: what the Likert questions measure."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index


class FavourableWhen(models.TextChoices):
    AGREE = "agree", _("Agreement is favourable (top-2-box)")
    DISAGREE = "disagree", _("Disagreement is favourable (bottom-2-box)")


class Construct(TranslatableMixin, index.Indexed, ClusterableModel):
    """A quality a survey measures, such as felt responsibility for customers.

    Its bank items are the questions that measure it. Items keep their
    ``item_id`` across rewording and translation, so trends survive edits.
    """

    slug = models.SlugField(
        _("slug"),
        max_length=60,
        help_text=_("A stable key used in reports, exports and the API."),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(
        _("description for HR"),
        help_text=_("What this measures and how to read a low score, in plain words."),
    )
    citation = models.TextField(
        _("citation"),
        help_text=_("The validated instrument(s) the items are adapted from."),
    )
    favourable_when = models.CharField(
        _("favourable answers"),
        max_length=8,
        choices=FavourableWhen.choices,
        default=FavourableWhen.AGREE,
        help_text=_(
            "Which end of the keyed scale counts as favourable. Choose "
            "'disagreement' for constructs where agreeing is bad news, such as "
            "delegating customers to the designated owner."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("citation"),
        FieldPanel("favourable_when"),
        MultiFieldPanel(
            [InlinePanel("items", label=_("Item"), min_num=0)],
            heading=_("Item bank"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("construct")
        verbose_name_plural = _("constructs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_construct_slug_per_locale"
            )
        ]

    def __str__(self) -> str:
        return self.name


class BankItem(Orderable):
    """One Likert statement of the item bank, in the construct's language."""

    construct = ParentalKey(Construct, on_delete=models.CASCADE, related_name="items")
    item_id = models.CharField(
        _("item id"),
        max_length=20,
        help_text=_(
            "A stable id such as 'FR-2'. Keep it when you reword or translate the "
            "item, and give a new id when the meaning changes."
        ),
    )
    text = models.CharField(_("statement"), max_length=300)
    reverse_keyed = models.BooleanField(
        _("reverse-keyed"),
        default=False,
        help_text=_("Tick if agreeing means less of the construct."),
    )

    panels = [FieldPanel("item_id"), FieldPanel("text"), FieldPanel("reverse_keyed")]

    class Meta(Orderable.Meta):
        verbose_name = _("bank item")
        constraints = [
            models.UniqueConstraint(
                fields=["construct", "item_id"], name="unique_item_id_per_construct"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.text}"
