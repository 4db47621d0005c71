"""Creating and revoking API tokens (the admin pages and the command call these)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ownership.models import Department
from ownership.services import audit_record

from .models import SCOPES, ApiToken, hash_key

KEY_PREFIX = "co_"  # "customer ownership": lets secret scanners recognise our keys
PREFIX_LENGTH = 10  # "co_" and seven random characters


def new_key() -> str:
    """A fresh key: 43 URL-safe characters (256 random bits) after ``co_``."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def expiry_from_date(day: dt.date) -> dt.datetime:
    """A token whose last valid day is ``day`` works until that day ends
    (in the site's time zone)."""
    return timezone.make_aware(
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    )


@transaction.atomic
def api_token_create(
    *,
    user,
    name: str,
    scopes: Iterable[str],
    departments: Iterable[Department] = (),
    expires_at: dt.datetime | None = None,
    actor=None,
    channel: str = "admin",
) -> tuple[ApiToken, str]:
    """Create a token and return it with its key, which is never stored.

    ``departments`` limits what the token sees to those subtrees; none means
    the whole organisation. Raises ``ValidationError`` naming the field at fault.
    The creation is written to the audit log (by ``actor``, default ``user``).
    """
    scopes = list(dict.fromkeys(scopes))
    departments = list(departments)
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the token a name.")
    elif len(name) > ApiToken._meta.get_field("name").max_length:
        errors["name"] = _("Keep the name to 100 characters.")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        errors["scopes"] = _("Unknown scope(s): %(scopes)s. Choose from %(known)s.") % {
            "scopes": ", ".join(unknown),
            "known": ", ".join(SCOPES),
        }
    elif not scopes:
        errors["scopes"] = _("Choose at least one scope.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry lies in the past.")
    if user is None or not user.is_active:
        errors["user"] = _("The token's owner must be an active user.")
    if errors:
        raise ValidationError(errors)

    key = new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        scopes=[s for s in SCOPES if s in scopes],
        all_departments=not departments,
        expires_at=expires_at,
    )
    token.departments.set(departments)
    audit_record(
        actor=actor or user,
        channel=channel,
        action="api-token-create",
        detail=_describe(token, departments),
    )
    return token, key


@transaction.atomic
def api_token_revoke(
    *, token: ApiToken, actor=None, channel: str = "admin"
) -> ApiToken:
    """Revoke a token at once. Revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            channel=channel,
            action="api-token-revoke",
            detail=f"{token.name} ({token.prefix})",
        )
    return token


def _describe(token: ApiToken, departments: list[Department]) -> str:
    where = ", ".join(d.code for d in departments) or "all departments"
    expires = token.expires_at.date().isoformat() if token.expires_at else "never"
    return (
        f"{token.name} ({token.prefix}) for {token.user}: {' '.join(token.scopes)}; "
        f"{where}; expires {expires}"
    )
