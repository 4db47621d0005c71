"""Formatting filters for the results pages (display only, no statistics)."""

from __future__ import annotations

from django import template

from ownership.charts import construct_label
from ownership.presentation import number, percent, pvalue

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
def theme_label(key, report):
    """A trends column's name as the survey calls it."""
    return construct_label(key, report.construct_labels)
