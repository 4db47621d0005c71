"""Request rates, counted in Django's cache (Redis in production).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (set from the
environment in ``cms/settings/base.py``) and are read on every request, so a
changed setting applies at once.
"""

from __future__ import annotations

import hashlib

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .permissions import token_of

#: A rate that turns a limit off (for a trusted server that submits for many
#: people from one address, behind its own limits).
OFF = ("", "none", "off")


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None or rate.strip().lower() in OFF else rate


def _hashed(value: str | None) -> str:
    # Client addresses end up in cache keys only as a short hash, never in clear.
    return hashlib.sha256((value or "").encode()).hexdigest()[:32]


class TokenRateThrottle(_SettingsRateThrottle):
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


class AnonymousRateThrottle(_SettingsRateThrottle):
    """Requests without credentials (the schema, the docs), per client address."""

    scope = "anonymous"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        ident = _hashed(self.get_ident(request))
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ResponseSubmitThrottle(_SettingsRateThrottle):
    """``POST responses/`` per client address, whatever the token: it slows
    down anyone guessing invitation tokens."""

    scope = "responses"

    def get_cache_key(self, request, view) -> str | None:
        if request.method != "POST":
            return None
        ident = _hashed(self.get_ident(request))
        return self.cache_format % {"scope": self.scope, "ident": ident}
