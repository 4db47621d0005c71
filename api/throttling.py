"""Request rates, counted in Django's cache (Redis in production).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (set from the
environment in ``cms/settings/base.py``) and are read on every request, so a
changed setting applies at once.
"""

from __future__ import annotations

from ownership.throttling import OFF, SettingsRateThrottle, hashed

from .permissions import token_of

__all__ = [
    "OFF",
    "AnonymousRateThrottle",
    "ResponseSubmitThrottle",
    "TokenRateThrottle",
]


class TokenRateThrottle(SettingsRateThrottle):
    """Authenticated requests, per token (or per session user)."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        token = token_of(request)
        if token is not None:
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(SettingsRateThrottle):
    """Requests without credentials (the schema, the docs), per client address."""

    scope = "anonymous"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        ident = hashed(self.get_ident(request))
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ResponseSubmitThrottle(SettingsRateThrottle):
    """``POST responses/`` per client address, whatever the token: it slows
    down anyone guessing invitation tokens."""

    scope = "responses"

    def get_cache_key(self, request, view) -> str | None:
        if request.method != "POST":
            return None
        ident = hashed(self.get_ident(request))
        return self.cache_format % {"scope": self.scope, "ident": ident}
