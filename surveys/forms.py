"""Admin forms for waves and commitments."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ownership.models import Department
from ownership.permissions import results_scope

from .blocks import construct_choices
from .models import Commitment, Wave
from .services import commitment_save


class WaveForm(WagtailAdminModelForm):
    """Once a wave is open, what it asks and whom it asks are fixed."""

    FROZEN_FIELDS = ("survey", "audience", "opens_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "audience" in self.fields:
            self.fields["audience"].queryset = Department.objects.all()
            self.fields["audience"].label_from_instance = lambda d: (
                f"{'— ' * (d.depth - 1)}{d.name} ({d.code})"
            )
        if self.instance.pk and self.instance.is_frozen:
            for name in self.FROZEN_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Fixed since the wave was opened.")

    def clean_min_group_size(self):
        value = self.cleaned_data["min_group_size"]
        if (
            self.instance.pk
            and self.instance.is_frozen
            and value < self.instance.min_group_size
        ):
            raise forms.ValidationError(
                _(
                    "Once a wave is open its minimum group size can only go up "
                    "(it is %(k)d)."
                )
                % {"k": self.instance.min_group_size}
            )
        return value


def _translation_fields() -> dict[str, forms.Field]:
    return {
        f"translation_{code}": forms.CharField(
            label=name,
            max_length=300,
            required=False,
            help_text=_("Leave empty in the language it is written in."),
        )
        for code, name in settings.WAGTAIL_CONTENT_LANGUAGES
    }


class CommitmentForm(WagtailAdminModelForm):
    """A commitment of a department the user may read results of; saving goes
    through :func:`surveys.services.commitment_save`, which writes the audit
    log."""

    construct = forms.ChoiceField(
        label=_("Theme"),
        required=False,
        choices=(),
        help_text=_("The theme of the survey it answers (optional)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = results_scope(getattr(self, "for_user", None))
        departments = (
            Department.objects.none() if scope is None else scope.departments()
        )
        # Drop-down lists rather than Wagtail's snippet choosers, which list
        # every department and wave whoever asks.
        if "department" in self.fields:
            self.fields["department"].widget = forms.Select()
            self.fields["department"].queryset = departments
            self.fields["department"].label_from_instance = lambda d: (
                f"{'— ' * (d.depth - 1)}{d.name} ({d.code})"
            )
        if "wave" in self.fields:
            released = Wave.objects.filter(releases__final=True).distinct()
            self.fields["wave"].widget = forms.Select()
            self.fields["wave"].queryset = released.order_by("-opens_at")
        self.fields["construct"].choices = [("", "—"), *construct_choices()]
        for code, name in settings.WAGTAIL_CONTENT_LANGUAGES:
            # Named in the language of the request, not of the import.
            label = _("In %(language)s") % {"language": name}
            self.fields[f"translation_{code}"].label = label
        for code, text in (self.instance.translations or {}).items():
            if f"translation_{code}" in self.fields:
                self.initial.setdefault(f"translation_{code}", text)

    def save(self, commit: bool = True) -> Commitment:
        commitment: Commitment = super().save(commit=False)
        language = self.cleaned_data.get("language") or commitment.language
        commitment.translations = {
            code: text.strip()
            for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
            if code != language
            and (text := self.cleaned_data.get(f"translation_{code}") or "").strip()
        }
        if not commit:
            return commitment
        return commitment_save(
            commitment=commitment, actor=getattr(self, "for_user", None)
        )


# One optional field per content language, declared like the fields above.
CommitmentForm.declared_fields.update(_translation_fields())
CommitmentForm.base_fields.update(CommitmentForm.declared_fields)
