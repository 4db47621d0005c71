"""API tokens: how external tools prove who they are and what they may read.

A token's key is shown once when it is created and stored only as a SHA-256
hash; the first characters (``prefix``) are kept in clear so that people can
tell their tokens apart. Keys are 256-bit random strings, so a fast hash is as
good as a slow one here: there is nothing to brute-force.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownership.models import Department
from ownership.permissions import EVERYTHING, ResultsScope


class Scope(models.TextChoices):
    RESULTS_READ = "results:read", _("Read results (reports, trends, comments)")
    ORGANISATION_READ = (
        "organisation:read",
        _("Read the organisation and surveys (departments, loci, constructs, waves)"),
    )
    RESPONSES_WRITE = "responses:write", _("Submit responses with invitation tokens")
    COMMITMENTS_WRITE = (
        "commitments:write",
        _("Record and update the departments' commitments"),
    )


SCOPES = tuple(Scope.values)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None) -> ApiTokenQuerySet:
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A key for one external tool, with scopes and a scope of departments."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="survey_api_tokens",
        help_text=_(
            "Requests made with the token are logged under this user; the token "
            "stops working when the user is deactivated."
        ),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What uses the token, e.g. 'Power BI dashboard'."),
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=16,
        db_index=True,
        editable=False,
        help_text=_("The key's first characters, to recognise it; not a secret."),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    all_departments = models.BooleanField(
        _("all departments"),
        default=True,
        help_text=_(
            "Off: the token sees only the departments below (with everything "
            "beneath them). If those departments are deleted it sees none, "
            "never everything."
        ),
    )
    departments = models.ManyToManyField(
        Department,
        verbose_name=_("departments"),
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (
            now or timezone.now()
        )

    def is_active(self, now=None) -> bool:
        return not self.is_revoked and not self.is_expired(now)

    def results_scope(self) -> ResultsScope:
        """The departments whose results the token may see."""
        if self.all_departments:
            return EVERYTHING
        paths = tuple(
            sorted(
                Department.objects.filter(pk__in=self.departments.all()).values_list(
                    "path", flat=True
                )
            )
        )
        return ResultsScope(paths=paths)
