"""Formatting filters for the results pages (display only, no statistics)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import translation

from ownership.charts import construct_label
from ownership.presentation import number, percent, pvalue
from surveys.models import CommitmentStatus

register = template.Library()


@register.filter
def pct(value):
    return percent(value)


@register.filter
def num(value, digits=2):
    return number(value, int(digits))


register.filter("pvalue", pvalue)


@register.filter
def tree_indent(depth):
    """Non-breaking spaces that indent a department in a drop-down list."""
    return "\u00a0\u00a0" * int(depth or 0)


@register.filter
def commitment_status(value):
    """A commitment's status as the admin names it ("done" → "Done")."""
    return CommitmentStatus(value).label if value in CommitmentStatus.values else value


@register.filter
def iso_date(value):
    """A date a report stores as ISO 8601 text, as a date (for ``|date``)."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


@register.filter
def localised(texts, fallback=""):
    """The text of ``texts`` (by language) in the active language."""
    return (texts or {}).get(translation.get_language()) or fallback


@register.filter
def theme_label(key, report):
    """A trends column's name as the survey calls it."""
    return construct_label(key, report.construct_labels)
