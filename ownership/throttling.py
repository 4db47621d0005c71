"""Rate limits: one mechanism for the API and the survey links.

Every limit is a DRF :class:`~rest_framework.throttling.SimpleRateThrottle`
counted in Django's cache (Redis in production), keyed by a short hash of the
client address (:func:`client_address`) or of a token, never the address in
clear. The API's throttles (``api.throttling``) and the survey link's guess
limit (:class:`LinkGuessThrottle`) build on the classes here.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

#: A rate that turns a limit off (for a trusted server that submits for many
#: people from one address, behind its own limits).
OFF = ("", "none", "off")


def client_address(request) -> str:
    """The client's address as every limiter sees it: ``REMOTE_ADDR``, or
    behind ``TRUSTED_PROXY_COUNT`` proxies the address they forwarded (DRF's
    rule, so all limits agree)."""
    return BaseThrottle().get_ident(request) or ""


def hashed(value: str | None) -> str:
    """What a cache key holds of an address: a short hash, never the address."""
    return hashlib.sha256((value or "").encode()).hexdigest()[:32]


class SettingsRateThrottle(SimpleRateThrottle):
    """A limit whose rate is read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``
    on every request, so a changed setting applies at once."""

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None or rate.strip().lower() in OFF else rate


class LinkGuessThrottle(SimpleRateThrottle):
    """Unknown survey links per client address: ``SURVEY_LINK_RATE_LIMIT``
    misses per ``SURVEY_LINK_RATE_WINDOW`` seconds. Only misses are counted
    (the caller asks only for them), so a valid link always opens, however
    many wrong ones came from the same address."""

    scope = "survey-link-misses"

    def __init__(self):
        # The rate is read per request (tests and operators change it).
        self.rate = "custom"
        self.num_requests = settings.SURVEY_LINK_RATE_LIMIT
        self.duration = settings.SURVEY_LINK_RATE_WINDOW

    def get_cache_key(self, request, view) -> str:
        ident = hashed(client_address(request))
        return self.cache_format % {"scope": self.scope, "ident": ident}
