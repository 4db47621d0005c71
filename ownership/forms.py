"""Admin forms for the organisation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Department
from .services import department_save


class DepartmentForm(WagtailAdminModelForm):
    """Edits a department and its place in the tree.

    Saving goes through :func:`ownership.services.department_save`, which
    places it in the tree and writes the audit log.
    """

    parent = forms.ModelChoiceField(
        queryset=Department.objects.all(),
        required=False,
        label=_("Parent department"),
        help_text=_("Leave empty for a top-level department (usually the board)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].label_from_instance = lambda d: (
            f"{'— ' * (d.depth - 1)}{d.name} ({d.code})"
        )
        if self.instance.pk:
            self.fields["parent"].initial = self.instance.get_parent()

    def clean_parent(self) -> Department | None:
        parent = self.cleaned_data["parent"]
        if parent is not None and self.instance.pk:
            if parent.path.startswith(self.instance.path):
                raise forms.ValidationError(
                    _(
                        "A department cannot sit under itself or one of its own "
                        "sub-departments."
                    )
                )
        return parent

    def save(self, commit: bool = True) -> Department:
        node: Department = super().save(commit=False)
        return department_save(
            department=node,
            parent=self.cleaned_data.get("parent"),
            actor=getattr(self, "for_user", None),
        )


class OrgImportForm(forms.Form):
    file = forms.FileField(
        label=_("Organisation file (CSV)"),
        help_text=_(
            "UTF-8 CSV with the columns external_id, email, name, department_code, "
            "department_name, parent_department_code, customer_facing, language. "
            "Commas or semicolons both work."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        initial=True,
        help_text=_("Check the file and show what would change, without changing it."),
    )
    allow_mass_deactivation = forms.BooleanField(
        label=_("Allow mass deactivation"),
        required=False,
        help_text=_(
            "Only tick this if you really mean to deactivate more than a fifth of "
            "the active employees (for example after a large reorganisation)."
        ),
    )
