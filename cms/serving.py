"""What the production server needs beyond Django: an access log that never
records a survey link (its token is the respondent's key)."""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

_LINK = re.compile(r"/s/[^/?\s\"]+")


def redact(text: str) -> str:
    """``text`` with every survey token replaced by an ellipsis.

    >>> redact("GET /s/AbC-12_x/thanks/?lang=de HTTP/1.1")
    'GET /s/…/thanks/?lang=de HTTP/1.1'
    """
    return _LINK.sub("/s/…", text)


class RedactingLogger(Logger):
    """Gunicorn's logger, with survey tokens taken out of every access-log
    field (request line, path, referrer)."""

    def atoms(self, resp, req, environ, request_time):
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }
