"""Surveys in the Wagtail admin: constructs with their item bank, and waves."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    DeleteView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from .forms import WaveForm
from .models import Construct, Response, Wave, WavePhase
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


def _has_responses(wave: Wave) -> bool:
    """From the listing's annotation when there is one, else one query."""
    annotated = getattr(wave, "has_responses", None)
    if annotated is not None:
        return annotated
    return wave.responses.exists()


class WaveIndexView(IndexView):
    """The row menu offers "Delete" only for waves nobody has answered yet; the
    others are deleted from their edit page, which asks for their label."""

    def get_delete_url(self, instance):
        if _has_responses(instance):
            return None
        return super().get_delete_url(instance)


class WaveDeleteForm(forms.Form):
    """Typing the wave's label is the confirmation."""

    label = forms.CharField(
        label=_("Wave label"),
        max_length=120,
        error_messages={"required": _("Type the wave's label to confirm.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, wave: Wave, **kwargs):
        super().__init__(*args, **kwargs)
        self.wave = wave
        self.fields["label"].help_text = _(
            "Type “%(label)s” exactly as shown to confirm. This cannot be undone."
        ) % {"label": wave.label}

    def clean_label(self) -> str:
        label = self.cleaned_data["label"]
        if label != self.wave.label.strip():
            raise forms.ValidationError(
                _("This is not the wave's label. Type “%(label)s” exactly as shown."),
                code="mismatch",
                params={"label": self.wave.label},
            )
        return label


class WaveDeleteView(DeleteView):
    """Wagtail's delete view, confirmed by typing the wave's label.

    Deleting a wave takes its responses, invitations and releases with it (the
    only way a release ever disappears), so the page says how many of each.
    """

    form_class = WaveDeleteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "wave": self.object}

    @cached_property
    def doomed(self) -> dict[str, int]:
        return {
            "responses": self.object.responses.count(),
            "invitations": self.object.invitations.count(),
            "releases": self.object.releases.count(),
        }

    @property
    def confirmation_message(self) -> str:
        n = self.doomed
        return _(
            "This will permanently delete %(responses)s, %(invitations)s "
            "and %(releases)s."
        ) % {
            "responses": ngettext(
                "%(count)d response", "%(count)d responses", n["responses"]
            )
            % {"count": n["responses"]},
            "invitations": ngettext(
                "%(count)d invitation", "%(count)d invitations", n["invitations"]
            )
            % {"count": n["invitations"]},
            "releases": ngettext(
                "%(count)d release", "%(count)d releases", n["releases"]
            )
            % {"count": n["releases"]},
        }

    def form_invalid(self, form):
        messages.error(
            self.request,
            _("The wave was not deleted: check the field “%(field)s”.")
            % {"field": form.fields["label"].label},
        )
        return super().form_invalid(form)


class WaveViewSet(SnippetViewSet):
    model = Wave
    icon = "date"
    menu_label = _("Waves")
    ordering = ["-opens_at"]
    list_display = [
        "label",
        # The id the results pages, exports, commands and API take (?wave=).
        Column("pk", label=_("ID"), sort_key="id"),
        "survey",
        PhaseColumn("phase", label=_("Phase")),
        "opens_at",
        "closes_at",
        "min_group_size",
    ]
    list_filter = ["survey"]
    copy_view_enabled = False
    index_view_class = WaveIndexView
    delete_view_class = WaveDeleteView
    delete_template_name = "surveys/admin/wave_confirm_delete.html"
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
            FieldPanel("interim_results"),
            FieldPanel("repeat_every_weeks"),
        ],
        base_form_class=WaveForm,
    )

    def get_queryset(self, request):
        return Wave.objects.select_related("survey").annotate(
            has_responses=Exists(Response.objects.filter(wave=OuterRef("pk")))
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


class WaveDeleteBulkAction(DeleteBulkAction):
    """Bulk deletion takes only waves without responses: the others go one at a
    time through :class:`WaveDeleteView`, which asks for their label."""

    models = [Wave]
    template_name = "surveys/admin/wave_confirm_bulk_delete.html"

    def check_perm(self, snippet):
        return super().check_perm(snippet) and not _has_responses(snippet)


# Registered after Wagtail's own snippet bulk delete (order 0), which it replaces
# for waves.
hooks.register("register_bulk_action", WaveDeleteBulkAction, order=1)


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
