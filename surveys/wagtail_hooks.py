"""Surveys in the Wagtail admin: constructs with their item bank, and waves."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .forms import WaveForm
from .models import Construct, Wave, WavePhase
from .views import wave_action


class ConstructViewSet(SnippetViewSet):
    model = Construct
    icon = "tag"
    menu_label = _("Constructs and item bank")
    list_display = ["name", "slug", "favourable_when"]
    search_fields = ["name"]
    copy_view_enabled = False


class PhaseColumn(Column):
    def get_value(self, instance):
        return instance.phase().label


class WaveViewSet(SnippetViewSet):
    model = Wave
    icon = "date"
    menu_label = _("Waves")
    ordering = ["-opens_at"]
    list_display = [
        "label",
        "survey",
        PhaseColumn("phase", label=_("Phase")),
        "opens_at",
        "closes_at",
        "min_group_size",
    ]
    list_filter = ["survey"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("label"),
            PageChooserPanel("survey", "surveys.SurveyPage"),
            MultiFieldPanel(
                [FieldPanel("opens_at"), FieldPanel("closes_at")],
                heading=_("When"),
            ),
            FieldPanel("audience"),
            FieldPanel("min_group_size"),
            FieldPanel("repeat_every_weeks"),
        ],
        base_form_class=WaveForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("open/<int:pk>/", wave_action, {"action": "open"}, name="open"),
            path("close/<int:pk>/", wave_action, {"action": "close"}, name="close"),
            path("invite/<int:pk>/", wave_action, {"action": "invite"}, name="invite"),
            path("remind/<int:pk>/", wave_action, {"action": "remind"}, name="remind"),
        ]


class SurveysGroup(SnippetViewSetGroup):
    items = (WaveViewSet, ConstructViewSet)
    menu_label = _("Surveys")
    menu_icon = "form"
    menu_order = 200


register_snippet(SurveysGroup)


@hooks.register("register_snippet_listing_buttons")
def wave_listing_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Wave) or not user.has_perm("surveys.change_wave"):
        return []
    phase = snippet.phase()
    buttons = []
    if phase in (WavePhase.DRAFT, WavePhase.SCHEDULED):
        buttons.append(
            Button(
                _("Open now"),
                reverse("wagtailsnippets_surveys_wave:open", args=[snippet.pk]),
                icon_name="play",
                priority=5,
            )
        )
    if phase in (WavePhase.SCHEDULED, WavePhase.OPEN):
        buttons.append(
            Button(
                _("Close now"),
                reverse("wagtailsnippets_surveys_wave:close", args=[snippet.pk]),
                icon_name="cross",
                priority=6,
            )
        )
        buttons.append(
            Button(
                _("Invite audience"),
                reverse("wagtailsnippets_surveys_wave:invite", args=[snippet.pk]),
                icon_name="mail",
                priority=7,
            )
        )
    if phase == WavePhase.OPEN:
        buttons.append(
            Button(
                _("Send reminders"),
                reverse("wagtailsnippets_surveys_wave:remind", args=[snippet.pk]),
                icon_name="mail",
                priority=8,
            )
        )
    return buttons
