"""Admin forms for waves."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ownership.models import Department


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
