from ..constructs import BankItem, Construct, FavourableWhen
from .commitments import Commitment, CommitmentNote, CommitmentStatus
from .pages import SurveyPage
from .releases import Immutable, Release, ReleaseReport
from .responses import (
    Comment,
    Invitation,
    Response,
    SpentToken,
    hash_token,
    spent_hash,
    unanswered,
)
from .waves import Wave, WavePhase

__all__ = [
    "Commitment",
    "CommitmentNote",
    "CommitmentStatus",
    "Comment",
    "Invitation",
    "Response",
    "hash_token",
    "SpentToken",
    "spent_hash",
    "unanswered",
    "Immutable",
    "Release",
    "ReleaseReport",
    "BankItem",
    "Construct",
    "FavourableWhen",
    "SurveyPage",
    "Wave",
    "WavePhase",
]
