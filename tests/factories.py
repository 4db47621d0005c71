from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from ownership.models import Department, Employee

PASSWORD = "correct horse battery staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    """Inserts through treebeard: ``parent=None`` makes a root."""

    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"Department {n}")
    is_customer_facing = False

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        node = model_class(*args, **kwargs)
        if parent is None:
            return model_class.add_root(instance=node)
        return Department.objects.get(pk=parent.pk).add_child(instance=node)


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    external_id = factory.Sequence(lambda n: f"E{n:05d}")
    email = factory.LazyAttribute(lambda e: f"{e.external_id.lower()}@example.com")
    display_name = factory.Sequence(lambda n: f"Employee {n}")
    department = factory.SubFactory(DepartmentFactory)
    language = "en"


def likert(item=None, text="", construct="", reverse_keyed=False, points="5"):
    """Raw StreamField data for one Likert block."""
    return {
        "type": "likert",
        "value": {
            "bank_item": item or "",
            "text": text,
            "construct": construct,
            "reverse_keyed": reverse_keyed,
            "points": points,
            "labels": "",
            "required": False,
        },
    }


def make_survey(questions=None, *, title="Pulse", slug="pulse", publish=True):
    """A published survey page under the home page, with raw StreamField data."""
    from wagtail.models import Locale, Page

    from surveys.models import SurveyPage

    if questions is None:
        questions = [
            likert("FR-1"),
            likert("FR-4"),
            likert("DL-1"),
            {
                "type": "allocation",
                "value": {
                    "text": "Who is responsible?",
                    "help": "",
                    "loci": ["me", "team", "cco", "customer-service"],
                },
            },
        ]
    home = Page.objects.get(depth=2, locale=Locale.get_default())
    page = SurveyPage(title=title, slug=slug, questions=questions, live=publish)
    home.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def publish(wave):
    """Make the wave's next release, as the schedule or closing would: an
    interim release of an open wave with interim results, else (once closed)
    its final release."""
    from ownership.analytics import release_make

    return release_make(wave=wave)


def open_wave(page, audience, *, label="Pulse", days=None, invite=True):
    """A wave of ``page`` for ``audience`` (a department), frozen when it
    opened: an hour ago and closing in a week, or ``days`` = (opened, closed)
    days ago for a past wave; with ``invite``, its invitations issued."""
    import datetime as dt

    from django.utils import timezone

    from surveys.models import Wave
    from surveys.services import invitations_issue, wave_open

    now = timezone.now()
    opens, closes = (
        (now - dt.timedelta(hours=1), now + dt.timedelta(days=7))
        if days is None
        else (now - dt.timedelta(days=days[0]), now - dt.timedelta(days=days[1]))
    )
    wave = Wave.objects.create(
        survey=page, label=label, opens_at=opens, closes_at=closes
    )
    wave.audience.set([audience])
    wave = wave_open(wave=wave, now=opens if days else None)
    if invite:
        invitations_issue(wave=wave, send=False)
    return wave


def close_and_publish(wave):
    """Close an open wave now and make its final release."""
    import datetime as dt

    from django.utils import timezone

    from surveys.models import Wave

    Wave.objects.filter(pk=wave.pk).update(
        closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    wave.refresh_from_db()
    return publish(wave)


def prefer_language(user, language: str) -> None:
    """The admin language ``user`` chose in their Wagtail profile."""
    from wagtail.users.models import UserProfile  # noqa: PLC0415

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
