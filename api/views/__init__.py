"""The API's views: parse, call one report or service, render.

Reports come from ``ownership.analytics`` (which applies disclosure control
and the client's scope) and are rendered with ``analytics.to_data`` (JSON) or
``exports.report_rows`` (CSV); responses go through
``surveys.services.response_submit``. Nothing here computes a number.
"""

from .base import ApiMixin
from .commitments import CommitmentViewSet
from .organisation import (
    ConstructViewSet,
    DepartmentViewSet,
    LocusViewSet,
    SurveyViewSet,
)
from .responses import ResponseViewSet
from .trends import TrendsViewSet
from .waves import WaveViewSet

__all__ = [
    "ApiMixin",
    "CommitmentViewSet",
    "ConstructViewSet",
    "DepartmentViewSet",
    "LocusViewSet",
    "ResponseViewSet",
    "SurveyViewSet",
    "TrendsViewSet",
    "WaveViewSet",
]
