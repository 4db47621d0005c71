"""Worked examples of the report responses, for the OpenAPI document.

Each example is a small organisation (the whole, Claims, and Motor claims
below it) as the API returns it; the schema tests check that every example
has the shape of a real report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from drf_spectacular.utils import OpenApiExample

DEPARTMENT_ORG = {"code": None, "name": "Organisation", "parent_code": None, "depth": 0}
DEPARTMENT_CLAIMS = {
    "code": "CLM",
    "name": "Claims",
    "parent_code": "BOARD",
    "depth": 2,
}
DEPARTMENT_MOTOR = {
    "code": "CLM-MOT",
    "name": "Motor Claims",
    "parent_code": "CLM",
    "depth": 3,
}


def _cell(construct: str, **values: Any) -> dict[str, Any]:
    cell = {
        "construct": construct,
        "n": None,
        "mean": None,
        "favourable": None,
        "favourable_low": None,
        "favourable_high": None,
        "delta": None,
        "significant": False,
        "suppressed": True,
        "favourable_band": None,
        "delta_low": None,
        "delta_high": None,
        "p_value": None,
        "q_value": None,
        "change": None,
        "rwg_j": None,
        "reliability": None,
        "mean_low": None,
        "mean_high": None,
        "change_favourable": None,
        "change_low": None,
        "change_high": None,
        "change_q": None,
        "change_significant": False,
    }
    cell.update(values)
    return cell


# Which release a report was read from (every report carries these).
PROVENANCE = {"release": 1, "provisional": False, "released_on": "2026-03-17"}
MARCH_WAVE = {"wave_id": 7, "wave_label": "March 2026 pulse", "min_group_size": 5}


def _report(title: str, value: dict[str, Any]) -> OpenApiExample:
    """A report's answer: its release's provenance, then ``value``."""
    return OpenApiExample(
        title,
        response_only=True,
        status_codes=["200"],
        value={**PROVENANCE, **value},
    )


HEATMAP_EXAMPLE = _report(
    "Heatmap (one construct, a suppressed department)",
    {
        **MARCH_WAVE,
        "previous_wave_id": 6,
        "columns": [
            {
                "key": "felt-responsibility",
                "label": "Felt responsibility for customer outcomes",
                "kind": "construct",
                "favourable_when": "agree",
                "labels": {
                    "en": "Felt responsibility for customer outcomes",
                    "de": "Empfundene Verantwortung für das Ergebnis beim Kunden",
                    "nl": "Ervaren verantwoordelijkheid voor de uitkomst voor de klant",
                },
            }
        ],
        "rows": [
            {
                "department": DEPARTMENT_ORG,
                "n": 15,
                "suppressed": False,
                "cells": [
                    _cell(
                        "felt-responsibility",
                        n=15,
                        mean=3.53,
                        favourable=0.53,
                        favourable_low=0.3,
                        favourable_high=0.75,
                        suppressed=False,
                        change=0.12,
                    )
                ],
            },
            {
                "department": DEPARTMENT_CLAIMS,
                "n": 9,
                "suppressed": False,
                "cells": [
                    _cell(
                        "felt-responsibility",
                        n=9,
                        mean=4.22,
                        favourable=0.89,
                        favourable_low=0.57,
                        favourable_high=0.98,
                        delta=0.69,
                        delta_low=0.36,
                        delta_high=1.02,
                        p_value=0.0004,
                        q_value=0.0012,
                        significant=True,
                        suppressed=False,
                        rwg_j=0.81,
                    )
                ],
            },
            {
                "department": DEPARTMENT_MOTOR,
                "n": None,
                "suppressed": True,
                "cells": [_cell("felt-responsibility")],
            },
        ],
        "practical_minimum": {"construct": 0.25, "nps": 10.0},
        "alpha": 0.05,
    },
)

CONCENTRATION_EXAMPLE = _report(
    "Concentration (the organisation, a suppressed and a small department)",
    # A real report of a small organisation, with some rows left out.
    {
        **json.loads(
            (Path(__file__).parent / "examples" / "concentration.json").read_text(
                "utf-8"
            )
        ),
    },
)

RESPONSE_RATES_EXAMPLE = _report(
    "Response rates",
    {
        **MARCH_WAVE,
        "is_open": True,
        "rows": [
            {
                "department": DEPARTMENT_ORG,
                "invited": 17,
                "responded": 15,
                "rate": 0.88,
                "suppressed": False,
            },
            {
                "department": DEPARTMENT_MOTOR,
                "invited": None,
                "responded": None,
                "rate": None,
                "suppressed": True,
            },
        ],
    },
)

COMMENTS_EXAMPLE = _report(
    "Comments",
    {
        **MARCH_WAVE,
        "threshold": 10,
        "rows": [
            {
                "department": DEPARTMENT_ORG,
                "respondents": 15,
                "suppressed": False,
                "comments": ["Call-backs at the promised time, please."],
            },
            {
                "department": DEPARTMENT_CLAIMS,
                "respondents": None,
                "suppressed": True,
                "comments": [],
            },
        ],
    },
)

_CALL_BACK = {
    "id": 12,
    "statement": "Every complaint gets a personal call-back within one working day.",
    "statements": {
        "en": "Every complaint gets a personal call-back within one working day.",
        "de": "Jede Beschwerde bekommt innerhalb eines Arbeitstags einen "
        "persönlichen Rückruf.",
    },
    "department_code": "CLM",
    "department_name": "Claims",
    "construct": "commitment-keeping",
    "due_on": "2026-04-02",
    "status_when_asked": "done",
    "status": "done",
}

COMMITMENTS_EXAMPLE = _report(
    "Commitments kept",
    {
        "wave_id": 8,
        "wave_label": "April 2026 pulse",
        "min_group_size": 5,
        "kept_from": 4,
        "rows": [
            {
                "department": DEPARTMENT_CLAIMS,
                "commitment": _CALL_BACK,
                "n": 41,
                "suppressed": False,
                "judged": 36,
                "kept": 0.806,
                "kept_low": 0.650,
                "kept_high": 0.902,
                "mean": 4.08,
                "dont_know": 0.122,
                "withheld": False,
            },
            {
                "department": DEPARTMENT_MOTOR,
                "commitment": _CALL_BACK,
                "n": 7,
                "suppressed": False,
                "judged": None,
                "kept": None,
                "kept_low": None,
                "kept_high": None,
                "mean": None,
                "dont_know": None,
                "withheld": True,
            },
        ],
    },
)

DRIVERS_EXAMPLE = _report(
    "Key drivers",
    {
        **MARCH_WAVE,
        "min_respondents": 30,
        "resamples": 2000,
        "confidence": 0.95,
        "outcomes": [
            {
                "key": "felt-responsibility",
                "label": "Felt responsibility for customer outcomes",
                "labels": {"en": "Felt responsibility for customer outcomes"},
            }
        ],
        "construct_names": {
            "customer-orientation": "Customer orientation",
            "psychological-ownership": "Psychological ownership of the customer",
        },
        "rows": [
            {
                "department": DEPARTMENT_CLAIMS,
                "outcome": "felt-responsibility",
                "n": 143,
                "r_squared": 0.30,
                "weights": [
                    {
                        "construct": "customer-orientation",
                        "weight": 0.19,
                        "low": 0.11,
                        "high": 0.27,
                    },
                    {
                        "construct": "psychological-ownership",
                        "weight": 0.11,
                        "low": 0.05,
                        "high": 0.18,
                    },
                ],
                "lead_low": 0.01,
                "lead_high": 0.16,
                "resamples": 1000,
            }
        ],
        "departments": True,
        "department_resamples": 1000,
    },
)

THEMES_EXAMPLE = _report(
    "Comment themes",
    {
        **MARCH_WAVE,
        "comment_threshold": 10,
        "analysed": 61,
        "method": "TF-IDF + NMF (scikit-learn), Snowball stems, py3langid",
        "themes": [
            {
                "label": "call, backs, customers",
                "labels": {"en": "call, backs, customers"},
                "terms": ["call", "backs", "customers", "wait", "promised", "late"],
                "count": 24,
                "departments": [
                    {"code": None, "count": 24, "name": "Organisation"},
                    {"code": "CLM", "count": 24, "name": "Claims"},
                ],
                "examples": ["Call-backs to customers are always late."],
                "comments": [0, 3, 4],
            }
        ],
    },
)

RELIABILITY_EXAMPLE = _report(
    "Reliability",
    {
        **MARCH_WAVE,
        "n": 15,
        "suppressed": False,
        "constructs": [
            {
                "construct": "felt-responsibility",
                "label": "Felt responsibility for customer outcomes",
                "n": 15,
                "n_items": 2,
                "alpha": 0.84,
                "standardized_alpha": 0.85,
                "average_r": 0.73,
                "alpha_low": 0.55,
                "alpha_high": 0.95,
                "omega": None,
                "icc1": 0.41,
                "icc2": 0.8,
                "items": [
                    {
                        "item": "FR-1",
                        "text": "I feel personally responsible for our customers.",
                        "reverse_keyed": False,
                        "r_drop": 0.73,
                        "alpha_if_dropped": None,
                        "lowers_alpha": False,
                    }
                ],
            }
        ],
        "rows": [
            {
                "department": DEPARTMENT_CLAIMS,
                "cells": [
                    {
                        "construct": "felt-responsibility",
                        "rwg_j": 0.81,
                        "band": "strong agreement",
                        "suppressed": False,
                    }
                ],
            }
        ],
    },
)

TRENDS_EXAMPLE = OpenApiExample(
    "Trends of one construct",
    response_only=True,
    status_codes=["200"],
    value={
        "survey_id": 3,
        "survey_title": "Customer ownership pulse",
        "construct": "felt-responsibility",
        "waves": [
            {
                "wave_id": 7,
                "label": "March 2026 pulse",
                "opens_at": "2026-03-02T08:00:00+01:00",
                "closes_at": "2026-03-16T18:00:00+01:00",
                "min_group_size": 5,
                "release": 1,
                "provisional": False,
            }
        ],
        "events": [
            {
                "date": "2026-01-15",
                "kind": "cco_appointed",
                "title": "Chief Customer Officer appointed",
            }
        ],
        "rows": [
            {
                "department": DEPARTMENT_CLAIMS,
                "construct": "felt-responsibility",
                "points": [
                    {
                        "wave_id": 7,
                        "wave_label": "March 2026 pulse",
                        "opens_at": "2026-03-02T08:00:00+01:00",
                        "n": 9,
                        "mean": 4.22,
                        "favourable": 0.89,
                        "favourable_low": 0.57,
                        "favourable_high": 0.98,
                        "suppressed": False,
                        "release": 1,
                        "provisional": False,
                    }
                ],
            }
        ],
        "construct_labels": {
            "felt-responsibility": "Felt responsibility for customer outcomes"
        },
    },
)
