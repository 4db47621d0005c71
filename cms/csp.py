"""Content-Security-Policy: strict on every page, relaxed for the admin.

The respondent's pages, the site and the API load scripts, styles, images and
fonts from this server only, with no inline script or style. The Wagtail admin
and the API's interactive documentation (Swagger UI, ReDoc) need inline
scripts and styles of their own (and the results pages draw inline SVG charts),
so under their paths the policy also allows inline code, and still nothing
from other hosts.
"""

from __future__ import annotations

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware

STRICT = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
ADMIN = {
    **STRICT,
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "worker-src": [SELF, "blob:"],
}
ADMIN_PATHS = ("/admin/", "/django-admin/", "/api/v1/docs/", "/api/v1/redoc/")


class PathPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with :data:`ADMIN` under :data:`ADMIN_PATHS`
    and the settings' policy (:data:`STRICT`) everywhere else."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if parts.config is None and not report_only:
            if request.path.startswith(ADMIN_PATHS):
                parts.config = ADMIN
        return parts
