"""Demo surveys: the default pulse, four closed monthly waves and an open one,
filled with simulated answers that tell a story.

The story HR demo users can find
--------------------------------
The Chief Customer Officer (CCO) was appointed three weeks into the month of
the first wave, after it had closed. In that first wave ownership of the
customer is spread: asked who is responsible when a customer has a problem,
people split their 100 points over themselves, their team, their manager,
customer service and others, and felt responsibility and psychological
ownership are fairly high everywhere.

From the second wave on, the back office (Claims, Underwriting, IT, Finance,
HR, Legal) hands the customer to the new owner: the CCO's share of the points
grows wave by wave (in Claims from a few points to about half), agreement with
"looking after customers is the CCO's job" (delegation to the owner) rises,
and felt responsibility and psychological ownership fall. Claims shows it most
clearly. Customer Service stays high on ownership and keeps its points with
"me", "my team" and "customer service"; Sales stays roughly where it was. The
Board (4 people), the CCO's office (3), Legal (4) and Fraud Investigation (4)
stay below the reporting threshold of 5 respondents.

The answers come from a small latent-variable model, so the statistics look
real: each department has a mean per construct (:data:`STORIES`), each
respondent a latent level per construct around it, and each item that level
plus noise, which makes items of a construct correlate (Cronbach's alpha about
.7–.9). Everything is drawn from ``ctx.rng("responses")``, so a ``--seed``
always gives the same answers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from ownership.demo import DemoContext, cco_appointment_date
from ownership.models import Department, OrganisationEvent

from .commitments import questions_for
from .defaults import survey_create_default
from .models import (
    Comment,
    Commitment,
    CommitmentStatus,
    Invitation,
    Response,
    SpentToken,
    Wave,
    WavePhase,
    spent_hash,
)
from .packing import Layout, layout_of
from .services import invitations_issue, response_submit, wave_open
from .validation import CleanAnswers, validate_answers


def demo_wave_plan(
    today: dt.date | None = None,
) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """(label, opens, closes) of the demo waves: the first two weeks of each of
    the four months before this one, then one open now."""
    today = today or timezone.localdate()
    first = cco_appointment_date(today).replace(day=1)
    plan = []
    for offset in range(4):
        month = (first.month - 1 + offset) % 12 + 1
        year = first.year + (first.month - 1 + offset) // 12
        opens = dt.date(year, month, 1)
        plan.append(
            (
                f"Pulse {opens:%B %Y}",
                _aware(opens),
                _aware(opens + dt.timedelta(days=14)),
            )
        )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    plan.append(
        (
            f"Pulse {today:%B %Y}",
            now - dt.timedelta(days=3),
            now + dt.timedelta(days=11),
        )
    )
    return plan


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))


def seed_surveys(ctx: DemoContext) -> None:
    survey = survey_create_default()
    board = Department.objects.get(code="BOARD")
    for label, opens, closes in demo_wave_plan():
        wave, created = Wave.objects.get_or_create(
            survey=survey,
            label=label,
            defaults={"opens_at": opens, "closes_at": closes},
        )
        if created:
            wave.audience.set([board])
        if not wave.is_frozen:
            # Freeze as of the opening day, so past waves can be recreated.
            wave_open(wave=wave, now=wave.opens_at)
        if wave.label == demo_wave_plan()[1][0]:
            _commit_after(wave)
    ctx.write(
        f"Survey '{survey.title}' with {survey.waves.count()} waves "
        f"({survey.waves.filter(closes_at__lte=timezone.now()).count()} closed)."
    )


# What the departments committed to after the second wave: Claims kept its
# promise, Underwriting dropped its own (so only Claims' shows in the next wave).
DEMO_COMMITMENTS = (
    (
        "CLM",
        "Every complaint gets a personal call-back within one working day.",
        {
            "de": "Jede Beschwerde bekommt innerhalb eines Arbeitstags einen "
            "persönlichen Rückruf.",
            "nl": "Elke klacht krijgt binnen één werkdag een persoonlijk "
            "telefoontje terug.",
        },
        "commitment-keeping",
        CommitmentStatus.DONE,
    ),
    (
        "UWR",
        "Brokers hear back on every referral within two days.",
        {
            "de": "Makler erhalten auf jede Anfrage binnen zwei Tagen Antwort.",
            "nl": "Makelaars horen binnen twee dagen iets op elke aanvraag.",
        },
        "customer-feedback-loop",
        CommitmentStatus.DROPPED,
    ),
)


def _commit_after(wave: Wave) -> None:
    """Record the demo's commitments a few days after ``wave`` closed, once."""
    recorded = wave.closes_at + dt.timedelta(days=3)
    for code, statement, translations, construct, status in DEMO_COMMITMENTS:
        commitment, created = Commitment.objects.get_or_create(
            department=Department.objects.get(code=code),
            statement=statement,
            defaults={
                "wave": wave,
                "translations": translations,
                "construct": construct,
                "due_on": (recorded + dt.timedelta(days=14)).date(),
                "status": status,
            },
        )
        if created:
            Commitment.objects.filter(pk=commitment.pk).update(created_at=recorded)


# Simulated responses ----------------------------------------------------------

CONSTRUCTS = {
    "co": "customer-orientation",
    "po": "psychological-ownership",
    "fr": "felt-responsibility",
    "dl": "delegation-to-owner",
    "ck": "commitment-keeping",
    "er": "empowerment-to-recover",
    "fl": "customer-feedback-loop",
    "op": "openness",
}
LOCI = (
    "me",
    "team",
    "manager",
    "cco",
    "customer-service",
    "other-departments",
    "top-management",
    "nobody",
)


def _c(**means: float) -> dict[str, float]:
    """Construct values by short key: ``_c(po=-0.7)``."""
    return {CONSTRUCTS[key]: value for key, value in means.items()}


def _points(*points: int) -> dict[str, int]:
    """An allocation in the order of :data:`LOCI`."""
    return dict(zip(LOCI, points, strict=True))


# Company-wide mean agreement (1 = strongly disagree ... 5 = strongly agree)
# before the CCO was appointed. For delegation to the owner, agreeing is bad news.
BASELINE = _c(co=3.9, po=3.8, fr=4.0, dl=2.2, ck=3.6, er=3.2, fl=3.1, op=3.4)


@dataclass(frozen=True)
class Story:
    """How a group of departments answers.

    ``offset`` is added to :data:`BASELINE` in every wave, ``shift`` once the
    CCO is in place (at full effect, see :data:`PROGRESS`). ``before`` and
    ``after`` are the mean 100-point allocations before and at full effect.
    """

    offset: dict[str, float]
    shift: dict[str, float]
    before: dict[str, int]
    after: dict[str, int]

    @property
    def hands_over(self) -> bool:
        """Whether this group hands the customer to the CCO."""
        return self.shift.get(CONSTRUCTS["dl"], 0.0) >= 1.0


BACK_OFFICE = Story(
    offset=_c(co=-0.2, er=-0.3, fl=-0.3),
    shift=_c(co=-0.2, po=-0.7, fr=-0.7, dl=+1.1, er=-0.1),
    #              me team mgr cco  cs other top nobody
    before=_points(18, 22, 14, 3, 22, 11, 8, 2),
    after=_points(8, 10, 9, 42, 18, 6, 5, 2),
)
NEUTRAL = Story(
    offset={},
    shift={},
    before=_points(24, 22, 12, 3, 22, 8, 7, 2),
    after=_points(24, 22, 12, 3, 22, 8, 7, 2),
)
# Department code, or the part before its first "-", to its story.
STORIES: dict[str, Story] = {
    # Back-office casework: the clearest shift towards the CCO.
    "CLM": Story(
        offset=_c(co=-0.1, er=-0.2, fl=-0.2),
        shift=_c(co=-0.3, po=-0.9, fr=-1.0, dl=+1.4, ck=-0.2, er=-0.3, fl=-0.1),
        before=_points(22, 24, 12, 3, 20, 9, 8, 2),
        after=_points(8, 10, 8, 48, 16, 5, 4, 1),
    ),
    "UWR": BACK_OFFICE,
    "IT": BACK_OFFICE,
    "FIN": BACK_OFFICE,
    "HR": BACK_OFFICE,
    "LEG": BACK_OFFICE,
    # Customer Service keeps owning the customer.
    "CS": Story(
        offset=_c(co=+0.4, po=+0.4, fr=+0.4, dl=-0.4, ck=+0.2, er=+0.3, fl=+0.5),
        shift=_c(po=+0.1, fr=+0.05, dl=-0.05, fl=+0.2),
        before=_points(30, 26, 8, 2, 28, 3, 2, 1),
        after=_points(29, 25, 7, 6, 29, 2, 1, 1),
    ),
    # Sales: roughly stable.
    "SAL": Story(
        offset=_c(co=+0.3, po=+0.2, fr=+0.1, dl=-0.1, er=+0.1),
        shift=_c(po=-0.1, dl=+0.2),
        before=_points(32, 20, 10, 2, 18, 9, 7, 2),
        after=_points(30, 19, 9, 9, 18, 8, 6, 1),
    ),
    "CCO": Story(
        offset=_c(co=+0.6, po=+0.5, fr=+0.5, fl=+0.3),
        shift=_c(dl=+0.6, fl=+0.4),
        before=_points(25, 25, 10, 20, 12, 3, 4, 1),
        after=_points(20, 25, 5, 35, 10, 2, 2, 1),
    ),
    "BOARD": Story(
        offset=_c(co=+0.2, er=+0.5, op=+0.2),
        shift=_c(po=-0.2, dl=+0.4),
        before=_points(20, 10, 5, 2, 20, 13, 28, 2),
        after=_points(15, 8, 4, 30, 15, 7, 20, 1),
    ),
}
# How far the story has got in the wave before the appointment (0) and in the
# 1st, 2nd, 3rd, ... wave after it.
PROGRESS = (0.0, 0.35, 0.65, 0.9, 1.0)

# Response rates: per closed wave, per open wave so far, and how much a
# department differs from its wave (standard deviation).
CLOSED_RATE = (0.75, 0.80)
OPEN_RATE = (0.28, 0.36)
DEPARTMENT_RATE_SD = 0.04

# The latent-variable model, on the 1-5 agreement scale.
DEPARTMENT_SD = 0.12  # a department's own character, the same in every wave
PERSON_SD = 0.8  # people around their department's mean
ITEM_SD = 0.55  # an item around the person's level
ITEM_DIFFICULTY_SD = 0.15  # some statements are easier to agree with
GENERAL_LOADING = 0.6  # how much of a person's level is shared by all constructs
CONCENTRATION = 10.0  # Dirichlet: the higher, the closer to the mean allocation
TILT = 0.5  # people who delegate more give the CCO more points

ROUND_TO_FIVE = 0.6  # share of people who allocate in steps of 5 points
PRIMARY_IS_LARGEST = 0.85  # primary owner = the locus with the most points
COMMENT_RATE = 0.12
SKIP_RATE = 0.03  # any single optional answer

# (general comments, comments about the CCO) per language; no names.
COMMENTS: dict[str, tuple[list[str], list[str]]] = {
    "en": (
        [
            "Our systems never show the whole customer case; I only see my part.",
            "We promise call-backs we cannot keep because nobody plans the "
            "capacity for them.",
            "Good that we are asked. Please share the results with the teams, "
            "not just with management.",
            "Complaints about our letters reach us months later, if at all.",
            "I would like to be allowed to decide small goodwill payments myself.",
        ],
        [
            "Since the CCO started, customer complaints are simply forwarded to "
            "the CCO office.",
            "It is no longer clear to me what my own department is still "
            "responsible for towards customers.",
            "A CCO is a good idea, but it must not mean that the rest of us stop "
            "caring.",
        ],
    ),
    "de": (
        [
            "Unsere Systeme zeigen nie den ganzen Kundenfall; ich sehe immer nur "
            "meinen Teil.",
            "Wir versprechen Rückrufe, die wir nicht halten können, weil niemand "
            "die Kapazität dafür einplant.",
            "Gut, dass wir gefragt werden. Bitte teilt die Ergebnisse mit den "
            "Teams, nicht nur mit der Führung.",
            "Beschwerden über unsere Schreiben erreichen uns erst Monate später, "
            "wenn überhaupt.",
            "Ich würde kleine Kulanzzahlungen gern selbst entscheiden dürfen.",
        ],
        [
            "Seit es den CCO gibt, werden Kundenbeschwerden einfach an das "
            "CCO-Büro weitergeleitet.",
            "Mir ist nicht mehr klar, wofür unsere Abteilung gegenüber Kunden "
            "eigentlich noch zuständig ist.",
            "Ein CCO ist eine gute Idee, aber das darf nicht heißen, dass sich "
            "alle anderen nicht mehr kümmern.",
        ],
    ),
    "nl": (
        [
            "Onze systemen laten nooit het hele klantdossier zien; ik zie alleen "
            "mijn eigen deel.",
            "We beloven klanten terugbelafspraken die we niet kunnen nakomen, "
            "omdat niemand daar capaciteit voor inplant.",
            "Fijn dat we gevraagd worden. Deel de uitkomsten graag met de teams, "
            "niet alleen met het management.",
            "Klachten over onze brieven bereiken ons pas maanden later, als ze "
            "ons al bereiken.",
            "Ik zou kleine coulancebetalingen graag zelf mogen beslissen.",
        ],
        [
            "Sinds er een CCO is, worden klachten van klanten gewoon doorgestuurd "
            "naar het CCO-bureau.",
            "Het is mij niet meer duidelijk waar mijn eigen afdeling nog "
            "verantwoordelijk voor is richting klanten.",
            "Een CCO is een goed idee, maar dat mag niet betekenen dat de rest van "
            "ons niet meer om de klant geeft.",
        ],
    ),
}

BATCH_SIZE = 500


def story_for(code: str) -> Story:
    """The story of a department: by its code, else by the part before '-'."""
    return STORIES.get(code) or STORIES.get(code.split("-")[0], NEUTRAL)


@dataclass
class Setting:
    """How one department answers in one wave."""

    means: dict[str, float]  # construct slug -> mean on the 1-5 scale
    composition: dict[str, float]  # locus slug -> mean share of the points
    hands_over: bool
    after_appointment: bool


def seed_responses(ctx: DemoContext) -> None:
    """Fill the demo waves with simulated answers; waves with answers are kept."""
    seed = ctx.rng("responses").getrandbits(64)
    appointment = _appointment_date()
    step = 0  # waves since the CCO's appointment
    for number, wave in enumerate(_demo_waves(), start=1):
        if timezone.localtime(wave.opens_at).date() >= appointment:
            step += 1
        existing = wave.responses.count()
        if existing:
            ctx.write(f"Responses: {wave.label}: kept the {existing} it has.")
            continue
        phase = wave.phase()
        if phase not in (WavePhase.OPEN, WavePhase.CLOSED):
            continue
        rng = np.random.default_rng([seed, number])
        with transaction.atomic():
            if phase == WavePhase.CLOSED:
                answered, invited = _fill_closed_wave(wave, rng, seed, step)
            else:
                answered, invited = _fill_open_wave(wave, rng, seed, step)
        share = round(100 * answered / invited) if invited else 0
        ctx.write(f"Responses: {wave.label}: {answered} of {invited} ({share} %)")


def _demo_waves() -> list[Wave]:
    labels = [label for label, _, _ in demo_wave_plan()]
    waves = Wave.objects.frozen().filter(
        survey=survey_create_default(), label__in=labels
    )
    return sorted(waves, key=lambda wave: (wave.opens_at, wave.pk))


def _appointment_date() -> dt.date:
    event = OrganisationEvent.objects.latest_cco_appointment()
    return event.date if event else cco_appointment_date()


def _stable_rng(seed: int, key: str) -> np.random.Generator:
    """A generator for things that keep across waves, such as a department's
    character; ``key`` picks it, whatever else is drawn first."""
    return np.random.default_rng([seed, *key.encode()])


def _setting(seed: int, department: Department, step: int) -> Setting:
    story = story_for(department.code)
    progress = PROGRESS[min(step, len(PROGRESS) - 1)]
    character = _stable_rng(seed, f"department:{department.code}")
    means = {}
    for slug in sorted(BASELINE):
        means[slug] = (
            BASELINE[slug]
            + story.offset.get(slug, 0.0)
            + progress * story.shift.get(slug, 0.0)
            + character.normal(0, DEPARTMENT_SD)
        )
    composition = {
        locus: (1 - progress) * story.before[locus] + progress * story.after[locus]
        for locus in LOCI
    }
    return Setting(means, composition, story.hands_over, step > 0)


# Who answers, and when


def _fill_closed_wave(
    wave: Wave, rng: np.random.Generator, seed: int, step: int
) -> tuple[int, int]:
    """Invite the audience and store the answers directly, in the very rows
    :func:`surveys.services.response_submit` writes (it takes open waves only)."""
    invited = Invitation.objects.filter(wave=wave).values("employee_id")
    Invitation.objects.bulk_create(
        [
            Invitation.new(wave=wave, employee=employee)
            for employee in wave.audience_employees()
            .exclude(pk__in=invited)
            .order_by("external_id")
        ],
        batch_size=BATCH_SIZE,
    )
    first = timezone.localtime(wave.opens_at).date()
    days = max((timezone.localtime(wave.closes_at).date() - first).days, 1)
    rows = _Rows()
    answered = []
    invitations = _invitations(wave)
    for invitation, setting in _respondents(invitations, rng, CLOSED_RATE, seed, step):
        language = _language(wave.snapshot, invitation.employee.language)
        department = invitation.department_id
        answers = _simulate(rng, wave.snapshot, setting, language, department)
        clean = validate_answers(wave.snapshot, answers, department)
        day = first + dt.timedelta(days=min(int(rng.exponential(3.5)), days - 1))
        rows.add(wave, invitation.department_id, day, language, clean)
        answered.append(invitation)
    rows.save()
    spent = [SpentToken(digest=spent_hash(i.token), wave=wave) for i in answered]
    rng.shuffle(spent)  # stored in no meaningful order
    SpentToken.objects.bulk_create(spent, batch_size=BATCH_SIZE)
    return len(answered), len(invitations)


def _fill_open_wave(
    wave: Wave, rng: np.random.Generator, seed: int, step: int
) -> tuple[int, int]:
    """Invite the audience and submit the answers so far through the service."""
    invitations_issue(wave=wave, send=False)
    invitations = _invitations(wave)
    answered = 0
    for invitation, setting in _respondents(invitations, rng, OPEN_RATE, seed, step):
        language = _language(wave.snapshot, invitation.employee.language)
        department = invitation.department_id
        answers = _simulate(rng, wave.snapshot, setting, language, department)
        validate_answers(wave.snapshot, answers, department)
        response_submit(token=invitation.token, answers=answers, language=language)
        answered += 1
    return answered, len(invitations)


def _invitations(wave: Wave) -> list[Invitation]:
    return list(
        Invitation.objects.filter(wave=wave)
        .select_related("employee", "department")
        .order_by("employee__external_id")
    )


def _respondents(
    invitations: list[Invitation],
    rng: np.random.Generator,
    rate_range: tuple[float, float],
    seed: int,
    step: int,
) -> Iterator[tuple[Invitation, Setting]]:
    """Yield (invitation, setting) for those who answer, in a stable order: a
    response rate per wave, a little higher or lower in each department."""
    wave_rate = rng.uniform(*rate_range)
    departments = sorted({i.department for i in invitations}, key=lambda d: d.code)
    rates = {
        d.pk: float(np.clip(wave_rate + rng.normal(0, DEPARTMENT_RATE_SD), 0.05, 0.97))
        for d in departments
    }
    settings = {d.pk: _setting(seed, d, step) for d in departments}
    for invitation in invitations:
        if rng.random() < rates[invitation.department_id]:
            yield invitation, settings[invitation.department_id]


def _language(snapshot: dict[str, Any], preferred: str) -> str:
    """The response's language, chosen as :func:`response_submit` chooses it."""
    if preferred in snapshot["languages"]:
        return preferred
    return snapshot["source_language"]


class _Rows:
    """Rows of many responses, written in batches."""

    def __init__(self) -> None:
        self.responses: list[Response] = []
        self.comments: list[Comment] = []
        self.layouts: dict[int, Layout] = {}

    def add(self, wave, department_id, day, language, clean: CleanAnswers) -> None:
        if wave.pk not in self.layouts:
            self.layouts[wave.pk] = layout_of(wave.snapshot)
        self.responses.append(
            Response(
                wave=wave,
                department_id=department_id,
                submitted_on=day,
                language=language,
                answers=self.layouts[wave.pk].pack(clean.numeric, clean.allocations),
            )
        )
        common = {"wave": wave, "department_id": department_id}
        self.comments += [
            Comment(question=q, text=text, **common) for q, text in clean.comments
        ]

    def save(self) -> None:
        for model, rows in ((Response, self.responses), (Comment, self.comments)):
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)


# What they answer


def _simulate(
    rng: np.random.Generator,
    snapshot: dict[str, Any],
    setting: Setting,
    language: str,
    department_id: int,
) -> dict[str, Any]:
    """One respondent's raw answers, as the form would post them."""
    levels = _levels(rng, snapshot, setting)
    answers: dict[str, Any] = {}
    shares: dict[str, float] = {}  # of the allocation, for the primary owner
    for q in questions_for(snapshot, department_id):
        kind = q["type"]
        if kind == "free_text":
            if rng.random() < COMMENT_RATE:
                answers[q["id"]] = _comment(rng, setting, language, q["max_length"])
            continue
        if not q["required"] and rng.random() < SKIP_RATE:
            continue
        if kind == "likert":
            answers[q["id"]] = _likert(rng, q, levels)
        elif kind == "recommendation":
            # Those who keep the customer in mind recommend us more readily.
            co = CONSTRUCTS["co"]
            orientation = levels.get(co, BASELINE[co]) - BASELINE[co]
            score = 7.0 + 1.6 * orientation + rng.normal(0, 1.6)
            answers[q["id"]] = int(np.clip(round(score), 0, 10))
        elif kind == "choice":
            count = len(next(iter(q["choices"].values())))
            answers[q["id"]] = int(rng.integers(count))
        elif kind == "allocation":
            drawn = _shares(rng, q["loci"], setting, levels)
            shares = dict(zip(q["loci"], drawn.tolist(), strict=True))
            answers[q["id"]] = _allocate(rng, q["loci"], drawn, q["total"])
        elif kind == "primary_owner":
            answers[q["id"]] = _primary_owner(rng, q["loci"], setting, shares)
        elif kind == "commitment_kept":
            answers[q["id"]] = _kept(rng, snapshot, q["commitment"])
    return answers


# How employees saw a commitment kept, by the status its department reports:
# the chances of "don't know", then of 1 (not kept at all) .. 5 (fully kept).
KEPT_ANSWERS = {
    CommitmentStatus.DONE: (0.10, (0.02, 0.05, 0.13, 0.40, 0.40)),
    CommitmentStatus.DROPPED: (0.15, (0.38, 0.34, 0.17, 0.08, 0.03)),
}
KEPT_UNDECIDED = (0.30, (0.10, 0.20, 0.40, 0.20, 0.10))


def _kept(rng: np.random.Generator, snapshot: dict[str, Any], commitment: int) -> int:
    """One answer to "Has this commitment been kept?" (0: don't know)."""
    status = snapshot["commitments"]["items"][str(commitment)]["status"]
    dont_know, points = KEPT_ANSWERS.get(status, KEPT_UNDECIDED)
    if rng.random() < dont_know:
        return 0
    return int(rng.choice(5, p=points)) + 1


def _levels(
    rng: np.random.Generator, snapshot: dict[str, Any], setting: Setting
) -> dict[str, float]:
    """A person's latent level per construct: the department's mean, a general
    factor shared by all constructs (against it for constructs where agreeing
    is bad news) and a part of its own."""
    general = rng.normal()
    unique = math.sqrt(1 - GENERAL_LOADING**2)
    constructs = snapshot.get("constructs", {})
    against = {CONSTRUCTS["dl"]} | {
        slug
        for slug, construct in constructs.items()
        if construct.get("favourable_when") == "disagree"
    }
    levels = {}
    for slug in sorted(set(setting.means) | set(constructs)):
        sign = -1 if slug in against else 1
        z = sign * GENERAL_LOADING * general + unique * rng.normal()
        levels[slug] = setting.means.get(slug, 3.5) + PERSON_SD * z
    return levels


def _likert(
    rng: np.random.Generator, q: dict[str, Any], levels: dict[str, float]
) -> int:
    points = q["points"]
    agreement = (
        levels.get(q["construct"], 3.5)
        + _item_difficulty(q["item"])
        + rng.normal(0, ITEM_SD)
    )
    # The level is agreement with a statement that means more of the construct;
    # a reverse-keyed statement is answered the other way round.
    scaled = 1 + (agreement - 1) * (points - 1) / 4
    value = int(np.clip(round(scaled), 1, points))
    return points + 1 - value if q["reverse_keyed"] else value


@cache
def _item_difficulty(item: str) -> float:
    """How much easier (or harder) a statement is to agree with than its
    construct's level: a property of its wording, the same for every seed."""
    return float(_stable_rng(0, f"item:{item}").normal(0, ITEM_DIFFICULTY_SD))


def _shares(
    rng: np.random.Generator,
    loci: list[str],
    setting: Setting,
    levels: dict[str, float],
) -> np.ndarray:
    """A person's shares of the points: a Dirichlet draw around the department's
    mean composition, tilted towards the CCO for those who delegate more."""
    dl = CONSTRUCTS["dl"]
    z = (levels.get(dl, 0.0) - setting.means.get(dl, 0.0)) / PERSON_SD
    tilt = {"cco": TILT * z, "me": -TILT * z / 2}
    weights = np.array(
        [
            max(setting.composition.get(locus, 1.0), 0.5) * math.exp(tilt.get(locus, 0))
            for locus in loci
        ]
    )
    mean = weights / weights.sum()
    shares = rng.dirichlet(CONCENTRATION * mean)
    return shares if np.all(np.isfinite(shares)) else mean


def _allocate(
    rng: np.random.Generator, loci: list[str], shares: np.ndarray, total: int
) -> dict[str, int]:
    """Whole points that add up to ``total``: rounded (in steps of five for many
    people), the rounding error going to the largest share."""
    largest = int(np.argmax(shares))
    for step in (5, 1) if rng.random() < ROUND_TO_FIVE else (1,):
        points = np.round(shares * total / step).astype(int) * step
        points[largest] += total - points.sum()
        if points[largest] >= 0:
            break
    return {locus: int(p) for locus, p in zip(loci, points, strict=True)}


def _primary_owner(
    rng: np.random.Generator,
    loci: list[str],
    setting: Setting,
    shares: dict[str, float],
) -> str:
    """Mostly the locus given the most points; otherwise one drawn by weight
    (by the department's mean composition if the allocation was skipped)."""
    weights = np.array([shares.get(locus, 0.0) for locus in loci])
    if weights.sum() > 0 and rng.random() < PRIMARY_IS_LARGEST:
        return loci[int(np.argmax(weights))]
    if weights.sum() <= 0:
        weights = np.array([setting.composition.get(locus, 1.0) for locus in loci])
    return loci[int(rng.choice(len(loci), p=weights / weights.sum()))]


def _comment(
    rng: np.random.Generator, setting: Setting, language: str, max_length: int
) -> str:
    general, about_cco = COMMENTS.get(language, COMMENTS["en"])
    themed = setting.after_appointment and setting.hands_over and rng.random() < 0.6
    pool = about_cco if themed else general
    return pool[int(rng.integers(len(pool)))][:max_length]
