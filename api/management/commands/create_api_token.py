from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from api.models import SCOPES
from api.services import api_token_create, expiry_from_date
from ownership.models import Department


class Command(BaseCommand):
    help = (
        "Create an API token and print its key, alone on the last line. The key "
        "is not stored and cannot be shown again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user", required=True, help="Username of the token's owner."
        )
        parser.add_argument(
            "--scope",
            action="append",
            required=True,
            dest="scopes",
            metavar="SCOPE",
            help=f"One of {', '.join(SCOPES)}; repeat for several.",
        )
        parser.add_argument(
            "--department",
            action="append",
            default=[],
            dest="departments",
            metavar="CODE",
            help=(
                "Limit the token to this department and everything below it; "
                "repeat for several. Default: the whole organisation."
            ),
        )
        parser.add_argument(
            "--expires",
            metavar="YYYY-MM-DD",
            help="Last day the token works (default: no expiry).",
        )
        parser.add_argument("--name", help="What uses the token.")

    def handle(self, *args, user, scopes, departments, expires, name, **options):
        User = get_user_model()
        try:
            owner = User.objects.get(**{User.USERNAME_FIELD: user})
        except User.DoesNotExist:
            raise CommandError(f"There is no user '{user}'.") from None
        unknown = [s for s in scopes if s not in SCOPES]
        if unknown:
            raise CommandError(
                f"Unknown scope {', '.join(repr(s) for s in unknown)}; "
                f"choose from {', '.join(SCOPES)}."
            )
        found = {d.code: d for d in Department.objects.filter(code__in=departments)}
        missing = [code for code in departments if code not in found]
        if missing:
            raise CommandError(
                f"Unknown department code {', '.join(repr(c) for c in missing)}."
            )
        expires_at = None
        if expires:
            try:
                day = dt.date.fromisoformat(expires)
            except ValueError:
                raise CommandError(
                    f"--expires must be a date as YYYY-MM-DD, got {expires!r}."
                ) from None
            expires_at = expiry_from_date(day)
        name = name or f"{owner.get_username()} ({timezone.localdate():%Y-%m-%d})"
        try:
            token, key = api_token_create(
                user=owner,
                name=name,
                scopes=scopes,
                departments=[found[code] for code in dict.fromkeys(departments)],
                expires_at=expires_at,
                channel="command",
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        where = ", ".join(d.code for d in found.values()) or "all departments"
        until = f"until {expires}" if expires else "with no expiry"
        self.stdout.write(
            f"Created token '{token.name}' ({token.prefix}…) for "
            f"{owner.get_username()}: {', '.join(token.scopes)}; {where}; {until}. "
            "Copy the key now, it "
            "will not be shown again:"
        )
        self.stdout.write(key)
