"""ETag and Last-Modified for reports, so polling tools get 304s.

The ETag is a digest of everything a report's content depends on:
``analytics.report_version`` of the wave (and of the earlier waves of the same
survey, which heatmap changes and the before/after comparison read), the
organisation events (concentration, trends), the report kind, the format, the
language and the client's scope. It is computed without building the report.

Last-Modified is the time this API first saw that ETag, remembered in the
cache: if the cache forgets, the time moves later, which can only cost a
client an extra 200, never a wrong 304. Response times are not stored
anywhere, so there is no truer date to give.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from ownership import analytics
from ownership.models import OrganisationEvent
from ownership.permissions import ResultsScope, results_scope
from surveys.models import Wave

# Bump when the API's rendering of reports changes.
API_REPORT_FORMAT = 1
SEEN_SECONDS = 90 * 24 * 3600
VARY = ("Accept", "Accept-Language", "Authorization", "Cookie")


def _digest(parts: Iterable[object]) -> str:
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def events_version() -> str:
    rows = OrganisationEvent.objects.order_by("pk").values_list(
        "pk", "date", "kind", "title"
    )
    return _digest(rows)


def scope_key(viewer) -> str:
    scope = viewer if isinstance(viewer, ResultsScope) else results_scope(viewer)
    if scope is None:
        return "none"
    return "all" if scope.everything else ",".join(scope.paths)


def earlier_waves_version(wave: Wave) -> str:
    earlier = Wave.objects.frozen().filter(
        survey_id=wave.survey_id, opens_at__lt=wave.opens_at
    )
    return _digest(analytics.report_version(w) for w in earlier.order_by("pk"))


def wave_report_etag(kind: str, wave: Wave, *, viewer, fmt: str, language: str) -> str:
    parts: list[object] = [
        API_REPORT_FORMAT,
        kind,
        fmt,
        language,
        scope_key(viewer),
        analytics.report_version(wave),
        wave.label,
    ]
    if kind in ("heatmap", "reliability", "concentration"):
        parts.append(earlier_waves_version(wave))
    if kind == "concentration":
        parts.append(events_version())
    return f'"{_digest(parts)}"'


def trends_etag(survey, *, construct, viewer, fmt: str, language: str) -> str:
    waves = Wave.objects.frozen().filter(survey=survey).order_by("pk")
    parts: list[object] = [
        API_REPORT_FORMAT,
        "trends",
        fmt,
        language,
        scope_key(viewer),
        survey.pk,
        survey.title,
        construct,
        events_version(),
        *(f"{analytics.report_version(w)}:{w.label}" for w in waves),
    ]
    return f'"{_digest(parts)}"'


def last_modified(etag: str) -> dt.datetime:
    key = f"api:first-seen:{etag.strip(chr(34))}"
    now = int(timezone.now().timestamp())
    cache.add(key, now, SEEN_SECONDS)
    seen = cache.get(key, now)
    return dt.datetime.fromtimestamp(seen, tz=dt.UTC)


def not_modified(request, etag: str, modified: dt.datetime) -> bool:
    """RFC 9110: If-None-Match wins; else If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tags = parse_etags(if_none_match)
        return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return since is not None and int(modified.timestamp()) <= since


def set_validators(response, etag: str, modified: dt.datetime) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    # Results are private to the client, and must be revalidated every time.
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, VARY)
