from .constructs import BankItem, Construct, FavourableWhen
from .pages import SurveyPage
from .waves import Wave, WavePhase

__all__ = [
    "BankItem",
    "Construct",
    "FavourableWhen",
    "SurveyPage",
    "Wave",
    "WavePhase",
]
