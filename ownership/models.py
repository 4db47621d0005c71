"""Who is in the organisation, and where responsibility for customers can sit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet
from wagtail.models import TranslatableMixin
from wagtail.search import index


class DepartmentQuerySet(MP_NodeQuerySet):
    def subtree_of(self, department: Department) -> DepartmentQuerySet:
        """The department and everything below it."""
        return self.within([department.path])

    def within(self, paths) -> DepartmentQuerySet:
        """The departments at or below any of ``paths`` (tree paths); none
        for no paths."""
        condition = models.Q(pk__in=[])
        for path in paths:
            condition |= models.Q(path__startswith=path)
        return self.filter(condition)

    def frozen_tree(self) -> list[dict]:
        """The tree as plain data, parents before children (path order): what a
        wave keeps so that a later reorganisation cannot regroup its results."""
        rows = list(
            self.order_by("path").values_list(
                "pk", "code", "name", "path", "is_customer_facing"
            )
        )
        code_of = {path: code for _pk, code, _name, path, _cf in rows}
        step = Department.steplen
        return [
            {
                "id": pk,
                "code": code,
                "name": name,
                "parent": code_of.get(path[:-step]),
                "customer_facing": customer_facing,
            }
            for pk, code, name, path, customer_facing in rows
        ]


class DepartmentManager(MP_NodeManager.from_queryset(DepartmentQuerySet)):
    def get_queryset(self) -> DepartmentQuerySet:
        return DepartmentQuerySet(self.model, using=self._db).order_by("path")


class Department(index.Indexed, MP_Node):
    """A unit of the organisation, in a tree mirrored from the HRIS.

    ``code`` is the HRIS key: imports match on it, so it never changes.
    """

    code = models.CharField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_("The department's stable key in the HR system, e.g. 'CLM-MOT'."),
    )
    name = models.CharField(_("name"), max_length=200)
    is_customer_facing = models.BooleanField(
        _("customer-facing"),
        default=False,
        help_text=_("Tick if people here talk to customers as a regular part of work."),
    )

    node_order_by = ["name"]
    objects = DepartmentManager()

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("code"),
    ]

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    @property
    def parent_code(self) -> str | None:
        parent = self.get_parent()
        return parent.code if parent else None


class Language(models.TextChoices):
    EN = "en", _("English")
    DE = "de", _("German")
    NL = "nl", _("Dutch")


class EmployeeQuerySet(models.QuerySet):
    def active(self) -> EmployeeQuerySet:
        return self.filter(is_active=True)


class Employee(index.Indexed, models.Model):
    """A person who can be invited to surveys. Never linked to answers."""

    external_id = models.CharField(
        _("external id"),
        max_length=64,
        unique=True,
        help_text=_("The person's key in the HR system; imports match on it."),
    )
    email = models.EmailField(_("e-mail"))
    display_name = models.CharField(_("display name"), max_length=200)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="employees",
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive employees are not invited to new waves."),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.EN,
        help_text=_("Invitations and the survey form use this language."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
        help_text=_(
            "Link a login to make this person a department head who sees results "
            "for their own department and everything below it."
        ),
    )

    objects = EmployeeQuerySet.as_manager()

    search_fields = [
        index.SearchField("display_name"),
        index.AutocompleteField("display_name"),
        index.SearchField("email"),
        index.FilterField("is_active"),
    ]

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.external_id})"


class LocusKind(models.TextChoices):
    DESIGNATED = "designated", _("Designated owner")
    DISTRIBUTED = "distributed", _("Distributed")
    OTHER = "other", _("Other")


class Locus(TranslatableMixin, models.Model):
    """A place where responsibility for customers can sit.

    *Designated owners* (the CCO, customer service) are roles an organisation
    appoints to look after customers; *distributed* loci (me, my team) mean
    everyone owns the customer. Concentration is measured between the two.
    """

    slug = models.SlugField(
        _("slug"),
        max_length=50,
        help_text=_("A stable key used in reports and the API, e.g. 'cco'."),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=LocusKind.choices,
        default=LocusKind.OTHER,
        help_text=_(
            "Designated owner: a role appointed to look after customers (CCO, "
            "customer service). Distributed: responsibility stays with the "
            "respondent and their team. Other: anything else."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Loci are listed in this order.")
    )

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("locus of responsibility")
        verbose_name_plural = _("loci of responsibility")
        ordering = ["sort_order", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_locus_slug_per_locale"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    CCO_APPOINTED = "cco_appointed", _("Chief Customer Officer appointed")
    REORGANISATION = "reorganisation", _("Reorganisation")
    PROGRAMME = "programme", _("Customer programme launched")
    OTHER = "other", _("Other")


class OrganisationEventQuerySet(models.QuerySet):
    def latest_cco_appointment(self) -> OrganisationEvent | None:
        return (
            self.filter(kind=EventKind.CCO_APPOINTED).order_by("-date", "-pk").first()
        )


class OrganisationEvent(models.Model):
    """A dated event that trends and before/after comparisons refer to."""

    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=EventKind.choices,
        default=EventKind.OTHER,
        help_text=_(
            "Before/after comparisons use the latest 'Chief Customer Officer "
            "appointed' event."
        ),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("Shown on the time axis of trend charts."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = OrganisationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation event")
        verbose_name_plural = _("organisation events")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def clean(self) -> None:
        if not self.title.strip():
            raise ValidationError({"title": _("Give the event a title.")})


class AuditEntry(models.Model):
    """Who looked at, exported or changed what, and when.

    Written for every results view, export and API request, and by every
    service that changes a wave (open, close, invite, remind), a department
    or an API token; HR analysts read it in the admin. It records the person
    acting (none for a management command), never a respondent.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=[("admin", _("Admin")), ("api", _("API")), ("command", _("Command"))],
    )
    action = models.CharField(_("action"), max_length=40)
    report = models.CharField(_("report"), max_length=40, blank=True)
    wave_id = models.PositiveIntegerField(_("wave"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        who = self.user or _("unknown")
        return f"{self.created_at:%Y-%m-%d %H:%M} {who} {self.action} {self.report}"
