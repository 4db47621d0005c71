"""Descriptions of the report JSON, derived from the report dataclasses.

Reports are not serialised here: their JSON is ``analytics.to_data(report)``,
the same as ``manage.py report`` prints. These serializers only *describe*
that JSON in the OpenAPI schema, built from the dataclasses' type hints, so
the documentation cannot drift from the objects.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ownership.analytics import KINDS
from ownership.analytics.trends import Trends

FIELD_HELP: dict[str, str] = {
    # shared
    "wave_id": "The wave's id.",
    "wave_label": "The wave's label.",
    "min_group_size": "k: groups of fewer respondents are suppressed.",
    "rows": "One row per department, the organisation (code null) first, then "
    "the tree in order. Only departments in the client's scope are listed.",
    "department": "The department the row describes.",
    "suppressed": "True when the figures are withheld by disclosure control; "
    "every figure of a suppressed row or cell is then null.",
    "n": "Respondents the figure is based on; null when suppressed.",
    "code": "Department code; null for the whole organisation.",
    "name": "Department name.",
    "parent_code": "The parent department's code; null for a root and for the "
    "organisation.",
    "depth": "Level in the tree: 0 for the organisation, 1 for roots.",
    "construct": "Column key: a construct slug, 'nps' or 'response_rate'.",
    "label": "Label in the survey's language.",
    "labels": "Labels by language code.",
    "kind": "Kind of column, locus or event.",
    "p_value": "p-value of the test (null when not tested or suppressed).",
    "q_value": "Benjamini-Hochberg adjusted p-value over the report's tests.",
    "significant": "Significant after FDR control and larger than the practical "
    "minimum.",
    "alpha": "Significance level (false discovery rate).",
    "level": "Tree depth of the departments compared.",
    "event": "The latest 'Chief Customer Officer appointed' event, if any.",
    # heatmap
    "previous_wave_id": "The wave 'change' compares with, or null.",
    "columns": "The heatmap's columns: constructs, then NPS and response rate.",
    "key": "Column key used in cells' 'construct'.",
    "favourable_when": "'agree' or 'disagree': which end counts as favourable.",
    "cells": "One cell per column.",
    "mean": "Mean score (construct scale, NPS points or response rate).",
    "favourable": "Share of favourable answers (0..1); null when suppressed or "
    "replaced by favourable_band.",
    "favourable_low": "Lower bound of the 95 % Wilson interval of 'favourable'.",
    "favourable_high": "Upper bound of the 95 % Wilson interval of 'favourable'.",
    "favourable_band": "[low, high] shown instead of an exact 0 % or 100 % in a "
    "small group.",
    "delta": "Difference of the mean to the organisation's.",
    "delta_low": "Lower bound of the difference's 95 % interval.",
    "delta_high": "Upper bound of the difference's 95 % interval.",
    "change": "Change of the mean since the previous wave.",
    "mean_low": "Lower bound of the 95 % interval of 'mean' (NPS only: Rocks' "
    "adjusted Wald); null otherwise.",
    "mean_high": "Upper bound of the 95 % interval of 'mean' (NPS only).",
    "change_favourable": "Change since the previous wave of the favourable share "
    "(constructs, -1..1) or of the NPS (NPS points); null when either wave did "
    "not publish the figure.",
    "change_low": "Lower bound of the change's 95 % interval (Newcombe for "
    "shares, Wald for the NPS).",
    "change_high": "Upper bound of the change's 95 % interval.",
    "change_q": "Benjamini-Hochberg adjusted p-value of the change, over the "
    "report's visible changes.",
    "change_significant": "The change is significant after FDR control and "
    "larger than the practical minimum.",
    "rwg_j": "rwg(j) within-group agreement (0..1).",
    "reliability": "Reliability of the department mean (ICC(2)-style).",
    "practical_minimum": "Smallest difference that counts as significant, per "
    "kind of column.",
    # concentration
    "loci": "Loci of the allocation question (the columns of 'shares').",
    "owner_loci": "Loci offered by the primary-owner question.",
    "slug": "Locus slug.",
    "n_allocation": "Respondents who answered the allocation question.",
    "allocation_suppressed": "True when the allocation figures are withheld.",
    "shares": "Mean share of the 100 points per locus.",
    "locus": "Locus slug.",
    "mean_share": "Mean share of the points (0..1).",
    "designated_share": "Mean share of points given to designated owners "
    "(CCO, customer service).",
    "designated_low": "Lower bound of the CI of designated_share.",
    "designated_high": "Upper bound of the CI of designated_share.",
    "distributed_share": "Mean share of points kept by 'me' and 'my team' (the "
    "ownership score).",
    "distributed_low": "Lower bound of the CI of distributed_share.",
    "distributed_high": "Upper bound of the CI of distributed_share.",
    "mean_hhi": "Mean Herfindahl-Hirschman index of respondents' allocations.",
    "hhi_of_mean": "HHI of the department's mean allocation, bias-corrected "
    "((n·H(mean) − mean HHI)/(n − 1), clipped to [1/K, 1]).",
    "hhi_of_mean_low": "Lower bound of the CI of hhi_of_mean.",
    "hhi_of_mean_high": "Upper bound of the CI of hhi_of_mean.",
    "effective_number": "Effective number of loci, 1 / hhi_of_mean.",
    "n_primary_owner": "Respondents who named a primary owner.",
    "primary_owner_suppressed": "True when the primary-owner figures are withheld.",
    "primary_owner": "Share of respondents naming each locus the primary owner.",
    "share": "Share (0..1).",
    "band": "[low, high] shown instead of an exact 0 or 1 in a small group.",
    "n_before": "Respondents in the baseline wave (before the CCO event).",
    "n_after": "Respondents in this wave.",
    "before_designated": "Designated share in the baseline wave.",
    "after_designated": "Designated share in this wave.",
    "method": "'hotelling' or 'permutation': the before/after test used.",
    "lorenz": "Lorenz curve of departments' ownership scores; null in a scoped "
    "view or with fewer than two departments.",
    "population": "Cumulative share of departments.",
    "gini": "Gini coefficient of the departments' ownership scores.",
    "baseline_wave_id": "The wave before the CCO event compared with, or null.",
    "baseline_wave_label": "Its label, or null.",
    "confidence": "Confidence level of the intervals.",
    "bootstrap_method": "Bootstrap interval method: 'none', the intervals are "
    "analytic (see share_interval_method).",
    "bootstrap_resamples": "Bootstrap resamples drawn (0).",
    "share_interval_method": "Method of the designated and distributed share "
    "intervals: 'beta' (Korn-Graubard).",
    "hhi_interval_method": "Method of the hhi_of_mean interval: 'jackknife-t'.",
    "verdict": "The report's conclusion, as numbers and as text.",
    "text": "Text in the request's language.",
    "departments": "Visible departments at that level.",
    "hidden": "Departments at that level too small to show.",
    "concentrated": "Departments whose responsibility sits with the designated owner.",
    "above_share": "Departments whose designated share is above the threshold.",
    "share_threshold": "Designated share above which a department counts as "
    "concentrated.",
    "lower_threshold": "Lower CI bound required as well.",
    "highest": "Department with the highest designated share.",
    "highest_share": "Its designated share.",
    "highest_low": "Lower CI bound.",
    "highest_high": "Upper CI bound.",
    "organisation_share": "The organisation's designated share.",
    "organisation_low": "Lower CI bound.",
    "organisation_high": "Upper CI bound.",
    "comparison": "'no_event', 'before_event', 'no_baseline' or 'compared'.",
    "compared": "Departments with a before/after test.",
    "significant_moves": "Significant before/after changes.",
    "move": "Department with the largest significant change.",
    "move_before": "Its designated share before.",
    "move_after": "Its designated share after.",
    "move_p": "p-value of that change.",
    "move_q": "Adjusted p-value of that change.",
    "allocation_asked": "False when the wave had no allocation question.",
    "title": "Title.",
    "date": "Date (ISO 8601).",
    # reliability
    "constructs": "Organisation-wide reliability per construct.",
    "n_items": "Items in the construct.",
    "standardized_alpha": "Standardised Cronbach's alpha.",
    "average_r": "Mean inter-item correlation.",
    "alpha_low": "Lower bound of alpha's 95 % interval (Feldt).",
    "alpha_high": "Upper bound of alpha's 95 % interval (Feldt).",
    "omega": "McDonald's omega total (three items or more).",
    "icc1": "ICC(1): share of variance between departments.",
    "icc2": "ICC(2): reliability of department means.",
    "items": "Item statistics.",
    "item": "Item id.",
    "reverse_keyed": "Whether agreeing means less of the construct.",
    "r_drop": "Corrected item-total correlation.",
    "alpha_if_dropped": "Alpha without this item.",
    "lowers_alpha": "True when alpha would rise without the item.",
    # response rates
    "is_open": "Whether the wave is still open.",
    "invited": "Invitations issued in the department's subtree.",
    "responded": "Responses received.",
    "rate": "responded / invited.",
    # comments
    "threshold": "Comments are shown only for groups at least this large.",
    "respondents": "Respondents in the group; null when suppressed.",
    "comments": "Free-text comments, in random order; empty when suppressed.",
    # trends
    "survey_id": "The survey's id.",
    "survey_title": "The survey's title.",
    "waves": "The survey's opened waves, oldest first.",
    "events": "Organisation events around the waves.",
    "points": "One point per wave, oldest first.",
    "opens_at": "When the wave opened.",
    "closes_at": "When the wave closes.",
}
FIELD_HELP_BY_CLASS: dict[str, str] = {
    "Heatmap.alpha": "False discovery rate used for 'significant'.",
    "Verdict.alpha": "False discovery rate of the before/after tests.",
    "Verdict.level": "Tree depth of the departments counted.",
    "Verdict.event": "The event compared around, if any.",
    "LorenzPoints.share": "Cumulative share of the ownership score.",
    "HeatmapColumn.kind": "'construct', 'nps' or 'response_rate'.",
    "LocusRef.kind": "'designated', 'distributed' or 'other'.",
    "LocusShare.kind": "'designated', 'distributed' or 'other'.",
    "TrendEvent.kind": "Event kind, e.g. 'cco_appointed'.",
    "ConstructReliability.construct": "Construct slug.",
    "ConstructReliability.n": "Respondents who answered the construct.",
    "ConstructReliability.label": "Construct name in the survey's language.",
    "ItemReliability.text": "The statement in the survey's language.",
    "AgreementCell.band": "Agreement band (LeBreton & Senter, 2008).",
    "AgreementRow.cells": "rwg(j) per construct.",
    "Reliability.n": "Respondents in the wave; null when below k.",
    "Reliability.suppressed": "True when the wave has fewer than k respondents.",
    "Reliability.rows": "rwg(j) per department and construct, from the heatmap.",
    "Trends.construct": "The column asked for, or null for all.",
    "Trends.rows": "One series per department and column.",
    "Trends.construct_labels": "Each column's name in the survey's language, "
    "from the latest release.",
    "TrendWave.label": "The wave's label.",
    "TrendWave.min_group_size": "The wave's k.",
    "Concentration.rows": "One row per department in scope, organisation first.",
}


def _help(owner: type, name: str) -> str:
    return FIELD_HELP_BY_CLASS.get(f"{owner.__name__}.{name}") or FIELD_HELP.get(
        name, ""
    )


def _field_for(hint: Any, *, help_text: str = "") -> serializers.Field:
    nullable = False
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(hint) if a is not type(None)]
        nullable = len(members) < len(typing.get_args(hint))
        (hint,) = members
        origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    common = {"help_text": help_text, "allow_null": nullable}
    if dataclasses.is_dataclass(hint):
        return report_serializer(hint)(**common)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return serializers.ListField(child=_field_for(args[0]), **common)
    if origin is tuple:
        return serializers.ListField(
            child=_field_for(args[0]),
            min_length=len(args),
            max_length=len(args),
            **common,
        )
    if origin is dict:
        return serializers.DictField(child=_field_for(args[1]), **common)
    if hint is bool:
        return serializers.BooleanField(**common)
    if hint is int:
        return serializers.IntegerField(**common)
    if hint is float:
        # NaN and infinities become null in the JSON, so any number may be null.
        return serializers.FloatField(help_text=help_text, allow_null=True)
    if hint is str:
        return serializers.CharField(**common)
    if hint is dt.datetime:
        return serializers.DateTimeField(**common)
    if hint is dt.date:
        return serializers.DateField(**common)
    return serializers.JSONField(**common)


@functools.cache
def report_serializer(cls: type) -> type[serializers.Serializer]:
    """A serializer describing ``to_data`` of the report dataclass ``cls``."""
    hints = typing.get_type_hints(cls)
    fields = {
        f.name: _field_for(hints[f.name], help_text=_help(cls, f.name))
        for f in dataclasses.fields(cls)
    }
    doc = (cls.__doc__ or "").strip()
    if doc.startswith(f"{cls.__name__}("):  # the dataclass default, not worth showing
        doc = ""
    serializer = type(
        f"{cls.__name__}Serializer",
        (serializers.Serializer,),
        {**fields, "__doc__": doc, "__module__": __name__},
    )
    # A report is one object, also where the view is a "list" (trends/).
    return extend_schema_serializer(many=False)(serializer)


def report_serializers() -> dict[str, type[serializers.Serializer]]:
    """Report kind → the serializer describing its JSON."""
    described = {name: report_serializer(kind.report) for name, kind in KINDS.items()}
    described["trends"] = report_serializer(Trends)
    return described
