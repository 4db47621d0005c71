"""The survey page HR authors in Wagtail."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from ..questions import QuestionStreamBlock


class SurveyPage(Page):
    """A survey: intro, questions and a thank-you text.

    Respondents never see this page directly: each wave freezes a snapshot of it
    and serves that at ``/s/<token>/``. Serving the page itself (and previewing it
    in the editor) renders the respondent form from a snapshot built on the fly,
    so editors see exactly what employees will see: the page's template calls
    ``{% survey_preview page %}`` (``surveys.templatetags.survey_preview``),
    which runs ``surveys.snapshot.snapshot_build(page)`` and the form.
    """

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_(
            "Shown above the questions: why we ask, how long it takes, and the "
            "promise of anonymity."
        ),
    )
    thank_you = RichTextField(
        _("thank-you text"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown after a response has been stored."),
    )
    questions = StreamField(
        QuestionStreamBlock(),
        blank=True,
        verbose_name=_("questions"),
        help_text=_(
            "Likert items, one recommendation question, a 100-point allocation, the "
            "primary owner and an optional free-text question."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("questions"),
        FieldPanel("thank_you"),
    ]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    template = "surveys/survey_page.html"

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def clean(self) -> None:
        super().clean()
        bank_items = [
            block.value.get("bank_item")
            for block in self.questions
            if block.block_type == "likert" and block.value.get("bank_item")
        ]
        repeated = sorted(item for item, n in Counter(bank_items).items() if n > 1)
        if repeated:
            raise ValidationError(
                {
                    "questions": _(
                        "Each bank item may be asked once; repeated: %(ids)s."
                    )
                    % {"ids": ", ".join(repeated)}
                }
            )
