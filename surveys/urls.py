from django.urls import path

from . import respond

urlpatterns = [
    path("s/<str:token>/", respond.respond, name="survey_respond"),
    path("s/<str:token>/thanks/", respond.thanks, name="survey_thanks"),
]
