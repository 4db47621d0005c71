"""What an API client may do: token scopes, department scope, token admin.

Tokens carry their scopes. A logged-in admin user (session) gets the scopes
their role implies: ``results:read`` when :func:`results_scope` lets them see
results, ``organisation:read`` when they may view departments; never
``responses:write``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from ownership.permissions import EVERYTHING, ResultsScope, results_scope
from ownership.roles import HR_ANALYSTS

from .models import ApiToken, Scope


def token_of(request) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def request_scopes(request) -> frozenset[str]:
    token = token_of(request)
    if token is not None:
        return frozenset(token.scopes or ())
    user = request.user
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    scopes = set()
    if results_scope(user) is not None:
        scopes.add(Scope.RESULTS_READ.value)
    if user.is_superuser or user.has_perm("ownership.view_department"):
        scopes.add(Scope.ORGANISATION_READ.value)
    return frozenset(scopes)


def viewer_of(request) -> Any:
    """Who asks, as ``ownership.analytics`` understands it: a token's
    :class:`ResultsScope`, or the session user (analytics applies their role)."""
    token = token_of(request)
    return token.results_scope() if token is not None else request.user


def department_scope(request) -> ResultsScope:
    """The departments a client may list: its token's, or the session user's
    results scope (everything for those who may view the organisation)."""
    token = token_of(request)
    if token is not None:
        return token.results_scope()
    return results_scope(request.user) or EVERYTHING


class ScopeRequired(BasePermission):
    """Allows a request whose client holds any of ``scopes``."""

    scopes: tuple[str, ...] = ()
    code = "missing_scope"

    @property
    def message(self) -> str:
        return _("This endpoint needs a token with the scope %(scopes)s.") % {
            "scopes": _(" or ").join(f"'{s}'" for s in self.scopes)
        }

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return bool(request_scopes(request) & set(self.scopes))


def scope_required(*scopes: str) -> type[ScopeRequired]:
    values = tuple(str(s) for s in scopes)
    name = "ScopeRequired_" + "_or_".join(s.replace(":", "_") for s in values)
    return type(name, (ScopeRequired,), {"scopes": values})


ResultsRead = scope_required(Scope.RESULTS_READ)
OrganisationRead = scope_required(Scope.ORGANISATION_READ, Scope.RESULTS_READ)
ResponsesWrite = scope_required(Scope.RESPONSES_WRITE)
CommitmentsWrite = scope_required(Scope.COMMITMENTS_WRITE)


def can_manage_api_tokens(user) -> bool:
    """HR analysts (and superusers) create and revoke API tokens."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=HR_ANALYSTS).exists())
    )
