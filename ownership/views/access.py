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
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found
from wagtail.admin.auth import require_admin_access

from .organisation import forbidden


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
