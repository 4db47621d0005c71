"""The platform's roles, kept as Django groups with the permissions they need.

``sync_roles`` runs after every ``migrate``, so a fresh database and an upgraded
one end up with the same groups.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page

HR_ANALYSTS = "HR analysts"
SURVEY_EDITORS = "Survey editors"
DEPARTMENT_HEADS = "Department heads"

_ORG_MODELS = ("department", "employee", "locus", "organisationevent")

# group name -> (app_label, codename) pairs
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    HR_ANALYSTS: [("wagtailadmin", "access_admin"), ("ownership", "view_auditentry")]
    + [
        ("ownership", f"{action}_{model}")
        for model in _ORG_MODELS
        for action in ("add", "change", "delete", "view")
    ],
    SURVEY_EDITORS: [("wagtailadmin", "access_admin")]
    + [("ownership", f"view_{model}") for model in ("locus", "organisationevent")]
    + [
        ("surveys", f"{action}_{model}")
        for model in ("construct", "wave")
        for action in ("add", "change", "delete", "view")
    ]
    + [("simple_translation", "submit_translation")],
    DEPARTMENT_HEADS: [("wagtailadmin", "access_admin")],
}


def sync_roles(**kwargs) -> None:
    """Create the role groups and grant their permissions (idempotent)."""
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for app_label, codename in perms:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.add(*wanted)
    _grant_page_editing(Group.objects.get(name=SURVEY_EDITORS))


def _grant_page_editing(group: Group) -> None:
    """Survey editors author pages below the site's home pages (every locale)."""
    homes = Page.objects.filter(depth=2)
    for page in homes:
        for codename in ("add_page", "change_page", "publish_page"):
            permission = Permission.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if permission is not None:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=page, permission=permission
                )


def can_import_org(user) -> bool:
    """HR analysts and superusers may replace the organisation from a file."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("ownership.add_employee"))
    )
