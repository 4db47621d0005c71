"""How the results pages answer people who may not see them.

The results pages live under ``/admin/results/`` and use Wagtail's admin
furniture, but they are mounted ahead of Wagtail's admin URLconf so that a
signed-in person without admin access (an employee who followed a shared
link) gets a plain 403 that says so, instead of Wagtail's login page. Everyone
else goes through Wagtail's own admin check, as the rest of the admin does:
anonymous visitors to the login page, admins on to the view, which applies the
results roles itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.home import HomeView
from wagtail.permission_policies.pages import PagePermissionPolicy

from ownership.permissions import forbidden, results_scope


def results_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a results view: a 403 for non-admins, Wagtail's admin check otherwise.

    Like the views in Wagtail's admin URLconf, the page is never cached and a
    missing object gives the admin's 404 page.
    """
    admin_view = require_admin_access(view)

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.has_perm("wagtailadmin.access_admin"):
            # Not the admin's furniture: this person has no admin at all.
            return forbidden(request, "ownership/no_access.html")
        try:
            return admin_view(request, *args, **kwargs)
        except Http404 as exc:
            return page_not_found(request, exc, template_name="wagtailadmin/404.html")

    return never_cache(wrapped)


def _edits_pages(user) -> bool:
    return PagePermissionPolicy().user_has_any_permission(
        user, ["add", "change", "publish"]
    )


def dashboard(request: HttpRequest) -> HttpResponse:
    """``/admin/``: people who read results and edit no pages (HR, department
    heads) land on the results home; everyone else on Wagtail's dashboard,
    which shows the same summary on top for those who also read results."""
    user = request.user
    if (
        user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
        and results_scope(user) is not None
        and not _edits_pages(user)
    ):
        return redirect("ownership_results_home")
    return never_cache(require_admin_access(HomeView.as_view()))(request)
