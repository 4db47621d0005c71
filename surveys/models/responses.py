"""Invitations and the answers they lead to, kept apart on purpose.

An :class:`Invitation` knows who was asked, and nothing about whether they
answered. A :class:`Response` knows the wave, the department copied from the
invitation, the day and the language, and nothing else: no link to a person, a
login, an address, a browser or a moment finer than a day. A
:class:`SpentToken` records that a link was used, under a keyed hash that only
code holding the server key can match to an invitation. Nothing joins the
three without that key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ownership.models import Department, Employee

from ..packing import layout_of


def _token_key() -> bytes:
    return (settings.INVITATION_TOKEN_KEY or settings.SECRET_KEY).encode()


def hash_token(token: str) -> str:
    """What the database keeps of a token: its SHA-256, for look-ups."""
    return hashlib.sha256(token.encode()).hexdigest()


def spent_hash(token: str) -> str:
    """What the database keeps of a used token: an HMAC under the server key,
    unlike :func:`hash_token` not computable from the database alone."""
    message = b"spent:" + token.encode()
    return hmac.new(_token_key(), message, hashlib.sha256).hexdigest()


class Invitation(models.Model):
    """A single-use invitation of one employee to one wave.

    The token itself is never stored. It is an HMAC of a random nonce under a
    server key, so the server can rebuild a link for reminders or a link export,
    while the database alone holds only the nonce and the token's hash.
    """

    wave = models.ForeignKey(
        "surveys.Wave", on_delete=models.CASCADE, related_name="invitations"
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="invitations"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The employee's department when the invitation was issued."),
    )
    nonce = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("invitation")
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "employee"], name="one_invitation_per_wave_and_employee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} → {self.wave}"

    @classmethod
    def new(cls, *, wave, employee) -> Invitation:
        invitation = cls(
            wave=wave,
            employee=employee,
            department_id=employee.department_id,
            nonce=secrets.token_hex(16),
        )
        invitation.token_hash = hash_token(invitation.token)
        return invitation

    @property
    def token(self) -> str:
        digest = hmac.new(_token_key(), self.nonce.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def link(self) -> str:
        return f"{settings.WAGTAILADMIN_BASE_URL}/s/{self.token}/"

    @property
    def answered(self) -> bool:
        """Whether this link was used (needs the server key; stored nowhere
        beside the invitation). Read with the invitation when it was found by
        its link (``link_used``)."""
        if hasattr(self, "link_used"):
            return self.link_used
        return SpentToken.objects.filter(digest=spent_hash(self.token)).exists()


class SpentToken(models.Model):
    """A used survey link, as :func:`spent_hash` of its token.

    Written in the same transaction as the response; the unique digest keeps
    every link to one response under any concurrency. It names no person and
    no invitation: without the server key it cannot be matched to either.
    """

    digest = models.CharField(max_length=64, primary_key=True, editable=False)
    wave = models.ForeignKey("surveys.Wave", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("used survey link")

    def __str__(self) -> str:
        return self.digest[:12]


class Response(models.Model):
    """One employee's answers, stored without identity.

    The numeric answers sit in one packed array per response (see
    :mod:`surveys.packing`), so a wave of 100,000 responses reads in one query.
    The key is random, so rows tell nothing of submission order.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(
        "surveys.Wave", on_delete=models.CASCADE, related_name="responses"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("submitted on"))
    language = models.CharField(_("language"), max_length=2)
    released_in = models.PositiveSmallIntegerField(
        _("first release"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The first release of the wave whose figures include this response; "
            "empty until one does."
        ),
    )
    answers = models.BinaryField(
        _("answers"),
        default=b"",
        editable=False,
        help_text=_(
            "The numeric answers, packed in the layout the wave's questions fix "
            "(see surveys.packing); free text is kept apart, as comments."
        ),
    )

    class Meta:
        verbose_name = _("response")
        indexes = [models.Index(fields=["wave", "department"])]

    def __str__(self) -> str:
        return f"Response {self.pk}"

    def numeric_answers(self) -> dict:
        """The numeric answers by question id: a number, or points by option
        for an allocation; skipped questions are absent."""
        return layout_of(self.wave.snapshot).answers(self.answers)


class Comment(models.Model):
    """A free-text answer. Deliberately not linked to its response, so a comment
    can never be read beside the same person's numeric answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey("surveys.Wave", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+"
    )
    question = models.CharField(max_length=40)
    text = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["wave", "department"])]

    def __str__(self) -> str:
        return self.text[:60]


def unanswered(invitations) -> list[Invitation]:
    """Those of ``invitations`` whose link has not been used (server key)."""
    invitations = list(invitations)
    waves = {i.wave_id for i in invitations}
    spent = set(
        SpentToken.objects.filter(wave_id__in=waves).values_list("digest", flat=True)
    )
    return [i for i in invitations if spent_hash(i.token) not in spent]
