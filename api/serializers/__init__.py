"""Input and output serializers. None of them has side effects.

Reports are rendered with ``analytics.to_data`` (the same JSON as
``manage.py report``); :mod:`api.serializers.reports` only describes them.
"""

from .commitments import CommitmentSerializer
from .errors import ErrorItemSerializer, ErrorSerializer
from .inputs import (
    ReleaseQuerySerializer,
    ResponseSubmitSerializer,
    SubmissionSerializer,
    TrendsQuerySerializer,
    WaveFilterSerializer,
)
from .organisation import (
    BankItemSerializer,
    ConstructSerializer,
    DepartmentSerializer,
    LocusSerializer,
    QuestionSerializer,
    ReleaseSerializer,
    ReportLinksSerializer,
    SurveySerializer,
    WaveDetailSerializer,
    WaveSerializer,
)
from .reports import report_serializer, report_serializers

__all__ = [
    "CommitmentSerializer",
    "BankItemSerializer",
    "ConstructSerializer",
    "DepartmentSerializer",
    "ErrorItemSerializer",
    "ErrorSerializer",
    "LocusSerializer",
    "QuestionSerializer",
    "ReleaseQuerySerializer",
    "ReleaseSerializer",
    "ReportLinksSerializer",
    "ResponseSubmitSerializer",
    "SubmissionSerializer",
    "SurveySerializer",
    "TrendsQuerySerializer",
    "WaveDetailSerializer",
    "WaveFilterSerializer",
    "WaveSerializer",
    "report_serializer",
    "report_serializers",
]
