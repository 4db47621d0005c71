"""``Authorization: Token <key>`` (DRF's convention) or ``Bearer <key>``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import ApiToken, hash_key

KEYWORDS = ("token", "bearer")
# ``last_used_at`` is written at most this often per token: enough to see
# whether a token is still in use, without a write on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=5)
MAX_KEY_LENGTH = 200


class TokenFailed(exceptions.AuthenticationFailed):
    def __init__(self, message, code: str):
        super().__init__(message, code=code)


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticates with an :class:`~api.models.ApiToken`.

    ``request.user`` becomes the token's owner and ``request.auth`` the token.
    A missing header leaves the request anonymous (401 where a scope is
    needed); an unknown, expired or revoked key is refused with 401.
    """

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower().decode("latin-1") not in KEYWORDS:
            return None
        if len(header) != 2:
            raise TokenFailed(
                _("Send the key as 'Authorization: Token <key>' (no spaces in it)."),
                code="malformed_token",
            )
        raw = header[1]
        if len(raw) > MAX_KEY_LENGTH:
            raise TokenFailed(_("Invalid token."), code="invalid_token")
        return self.authenticate_credentials(raw.decode("latin-1"))

    def authenticate_credentials(self, key: str):
        # The hash is unique: no ordering needed (``first()`` would add one).
        found = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key))
        token = next(iter(found[:1]), None)
        if token is None:
            raise TokenFailed(_("Invalid token."), code="invalid_token")
        now = timezone.now()
        if token.is_revoked:
            raise TokenFailed(_("This token has been revoked."), code="token_revoked")
        if token.is_expired(now):
            raise TokenFailed(_("This token has expired."), code="token_expired")
        if not token.user.is_active:
            raise TokenFailed(
                _("The token's owner has been deactivated."), code="user_inactive"
            )
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to requests without credentials.
        return 'Token realm="api"'
