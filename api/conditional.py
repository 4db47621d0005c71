"""ETag and Last-Modified for reports, so polling tools get 304s.

A report is read from a stored release, so its ETag is the release's identity
(with the kind, format, language and the client's scope) and Last-Modified is
the day the release was made: polling tells a client that a new release
exists, and nothing finer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from ownership.models import OrganisationEvent
from ownership.permissions import ResultsScope, results_scope

# Bump when the API's rendering of reports changes.
API_REPORT_FORMAT = 2
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


def wave_report_etag(kind: str, release, *, viewer, fmt: str, language: str) -> str:
    parts: list[object] = [
        API_REPORT_FORMAT,
        kind,
        fmt,
        language,
        scope_key(viewer),
        release.uid,
    ]
    return f'"{_digest(parts)}"'


def trends_etag(survey, releases, *, construct, viewer, fmt: str, language: str) -> str:
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
        *(release.uid for release in releases),
    ]
    return f'"{_digest(parts)}"'


def released(releases) -> dt.datetime:
    """Last-Modified of what ``releases`` published: the latest release's day."""
    day = max((r.created_on for r in releases), default=dt.date(2000, 1, 1))
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


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
