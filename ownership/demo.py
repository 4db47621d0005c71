"""Demo organisation: "Beispiel Versicherung AG", a mid-sized insurer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import Employee, EventKind, OrganisationEvent
from .org_csv import COLUMNS
from .roles import DEPARTMENT_HEADS, HR_ANALYSTS
from .services import org_import


@dataclass
class DemoContext:
    """What every step of the demo data set shares (see ``cms.demo``)."""

    seed: int
    employees: int
    reset_passwords: bool
    write: Callable[[str], None]
    passwords: dict[str, str] = field(default_factory=dict)

    def rng(self, step: str) -> random.Random:
        """A generator per step, so adding a step never changes another's data."""
        return random.Random(f"{self.seed}:{step}")  # noqa: S311 - demo data only


COMPANY = "Beispiel Versicherung AG"
EMAIL_DOMAIN = "beispiel-versicherung.example"

# code, name, parent code, customer-facing, weight (share of the remaining
# headcount) or a fixed headcount (negative weight), kept small on purpose for
# the departments that must stay below the reporting threshold.
DEPARTMENTS: list[tuple[str, str, str, bool, float]] = [
    ("BOARD", "Board of Management", "", False, -4),
    ("CCO", "Office of the Chief Customer Officer", "BOARD", True, -3),
    ("LEG", "Legal & Compliance", "BOARD", False, -4),
    ("CLM", "Claims", "BOARD", True, 2),
    ("CLM-MOT", "Motor Claims", "CLM", True, 14),
    ("CLM-PRP", "Property Claims", "CLM", True, 11),
    ("CLM-LIA", "Liability Claims", "CLM", False, 7),
    ("CLM-FRD", "Fraud Investigation", "CLM", False, -4),
    ("UWR", "Underwriting", "BOARD", False, 1),
    ("UWR-PRV", "Private Lines Underwriting", "UWR", False, 7),
    ("UWR-COM", "Commercial Lines Underwriting", "UWR", False, 6),
    ("SAL", "Sales", "BOARD", True, 1),
    ("SAL-FLD", "Field Sales", "SAL", True, 9),
    ("SAL-BRK", "Broker Management", "SAL", True, 6),
    ("SAL-DIG", "Digital Sales", "SAL", True, 4),
    ("CS", "Customer Service", "BOARD", True, 1),
    ("CS-CC", "Contact Centre", "CS", True, 12),
    ("CS-CMP", "Complaints Management", "CS", True, 4),
    ("IT", "IT", "BOARD", False, 1),
    ("IT-DEV", "Application Development", "IT", False, 7),
    ("IT-OPS", "IT Operations", "IT", False, 5),
    ("FIN", "Finance", "BOARD", False, 1),
    ("FIN-ACC", "Accounting", "FIN", False, 5),
    ("FIN-ACT", "Actuarial", "FIN", False, 3),
    ("HR", "Human Resources", "BOARD", False, 3),
]
MIN_EMPLOYEES = 60

FIRST_NAMES = (
    "Anna Lukas Sophie Jonas Marie Felix Laura Paul Lea Maximilian Emma Leon Hannah "
    "Tim Julia Finn Lena Noah Sarah Elias Daan Sanne Bram Femke Lotte Jeroen Eva "
    "Thijs Anouk Ruben Ingrid Kemal Aylin Marek Zofia Oliver Grace Ravi Priya Tobias"
).split()
LAST_NAMES = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch "
    "Richter Klein Wolf Schröder Neumann Braun Zimmermann de Jong Jansen de Vries "
    "van den Berg Bakker Visser Smit Meijer Mulder Bos Yılmaz Kowalski Novak Brown "
    "Patel Okafor Lindqvist Rossi Dubois Hansen"
).split(" ")


def headcounts(total: int) -> dict[str, int]:
    """Split ``total`` over the departments: fixed sizes first, then by weight."""
    fixed = {code: int(-w) for code, _, _, _, w in DEPARTMENTS if w < 0}
    weights = {code: w for code, _, _, _, w in DEPARTMENTS if w > 0}
    # Everyone gets one person first, so no department is empty.
    remaining = total - sum(fixed.values()) - len(weights)
    scale = remaining / sum(weights.values())
    counts = {code: 1 + int(w * scale) for code, w in weights.items()}
    # Largest remainders get the leftover people, deterministically.
    leftovers = total - sum(fixed.values()) - sum(counts.values())
    by_remainder = sorted(weights, key=lambda c: (-(weights[c] * scale % 1), c))
    for code in by_remainder[:leftovers]:
        counts[code] += 1
    return fixed | counts


def organisation_csv(ctx: DemoContext) -> bytes:
    """The demo organisation as an HRIS export, ready for :func:`org_import`."""
    rng = ctx.rng("organisation")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    number = 0
    for code, name, parent, facing, _ in DEPARTMENTS:
        for _ in range(headcounts(ctx.employees)[code]):
            number += 1
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            local = _ascii(f"{first}.{last}".lower().replace(" ", ""))
            language = rng.choices(["de", "nl", "en"], weights=[70, 20, 10])[0]
            writer.writerow(
                [
                    f"BV{number:05d}",
                    f"{local}.{number}@{EMAIL_DOMAIN}",
                    f"{first} {last}",
                    code,
                    name,
                    parent,
                    "yes" if facing else "no",
                    language,
                ]
            )
    return out.getvalue().encode("utf-8")


def _ascii(text: str) -> str:
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def seed_organisation(ctx: DemoContext) -> None:
    if ctx.employees < MIN_EMPLOYEES:
        raise ValueError(
            f"--employees must be at least {MIN_EMPLOYEES} to fill every department"
        )
    report = org_import(data=organisation_csv(ctx), allow_mass_deactivation=True)
    ctx.write(f"Organisation '{COMPANY}': {report.summary()}")


def cco_appointment_date(today: dt.date | None = None) -> dt.date:
    """Three weeks into the first of the four demo months before this one."""
    today = today or timezone.localdate()
    first_of_month = today.replace(day=1)
    year, month = first_of_month.year, first_of_month.month - 4
    if month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, 22)


def seed_events(ctx: DemoContext) -> None:
    event, created = OrganisationEvent.objects.update_or_create(
        kind=EventKind.CCO_APPOINTED,
        title="Chief Customer Officer appointed",
        defaults={
            "date": cco_appointment_date(),
            "description": (
                "The board appoints a Chief Customer Officer who reports to the CEO "
                "and leads a small office."
            ),
        },
    )
    ctx.write(f"Event: {event} ({'created' if created else 'kept'})")


@transaction.atomic
def seed_accounts(ctx: DemoContext) -> None:
    """Demo logins: a superuser, an HR analyst and the head of Claims."""
    head = (
        Employee.objects.filter(department__code="CLM").order_by("external_id").first()
    )
    accounts = [
        ("admin", "Demo Administrator", {"is_superuser": True, "is_staff": True}, None),
        ("hr", "Demo HR Analyst", {}, HR_ANALYSTS),
        ("head.claims", head.display_name if head else "", {}, DEPARTMENT_HEADS),
    ]
    User = get_user_model()
    for username, full_name, flags, group in accounts:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{EMAIL_DOMAIN}",
                **flags,
            },
        )
        if created or ctx.reset_passwords:
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save()
            ctx.passwords[username] = password
        if group:
            user.groups.add(Group.objects.get(name=group))
        if username == "head.claims" and head is not None:
            Employee.objects.filter(user=user).exclude(pk=head.pk).update(user=None)
            head.user = user
            head.save(update_fields=["user"])
