"""The respondent's pages at ``/s/<token>/``.

Views parse the request, call :func:`surveys.services.response_submit` and render.
Guessing links is slowed down per client address (see
:class:`ownership.throttling.LinkGuessThrottle`); the address is kept only as a
hashed cache key for a few minutes, never in the database. A valid link is
never refused because of other people's guesses.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ownership.throttling import LinkGuessThrottle

from .commitments import commitments_shown, kept_questions
from .form import answers_from_post, form_questions
from .models import Invitation, WavePhase
from .services import (
    AlreadyAnswered,
    WaveNotOpen,
    frozen_questions,
    invitation_for_token,
    response_submit,
)
from .validation import AnswerErrors

__all__ = ["respond", "thanks"]


def _page_language(request) -> str:
    """The language of a page without a survey behind it (an unknown link):
    the link's ``?lang=``, else the browser's."""
    asked = request.GET.get("lang")
    if asked in dict(settings.LANGUAGES):
        return asked
    return translation.get_language() or settings.LANGUAGE_CODE


def _language(request, invitation: Invitation) -> str:
    snapshot = invitation.wave.snapshot
    for candidate in (
        request.POST.get("language"),
        request.GET.get("lang"),
        invitation.employee.language,
    ):
        if candidate in snapshot["languages"]:
            return candidate
    return snapshot["source_language"]


def _render(request, template, context, *, language, status=200):
    with translation.override(language):
        response = TemplateResponse(request, template, context, status=status)
        response.render()
    response["Content-Language"] = language
    return response


def _state_page(request, invitation, language, state, status=200):
    wave = invitation.wave
    return _render(
        request,
        "surveys/link_state.html",
        {
            "state": state,
            "wave": wave,
            "title": wave.snapshot["title"][language],
            "language": language,
        },
        language=language,
        status=status,
    )


@functools.lru_cache(maxsize=256)
def _blank_form(wave_id: int, frozen_at, language: str, department_id: int | None):
    """A wave's questions in ``language`` for a respondent of
    ``department_id`` (see :func:`_asking_department`), and their HTML before
    anything is answered: each process renders it once (a frozen wave's
    questions never change)."""
    snapshot, _layout = frozen_questions(wave_id, frozen_at)
    questions = form_questions(snapshot, language, department_id=department_id)
    with translation.override(language):
        html = render_to_string(
            "surveys/includes/questions.html",
            {"questions": questions, "disabled": False},
        )
    return questions, mark_safe(html)  # noqa: S308 - rendered by our template


@never_cache
@require_http_methods(["GET", "POST"])
def respond(request, token: str):
    # A submission learns whether the link was used only by being a valid one.
    invitation = invitation_for_token(token, link_state=request.method == "GET")
    if invitation is None or not invitation.wave.is_frozen:
        return _unknown_link(request)
    language = _language(request, invitation)
    wave = invitation.wave
    if request.method == "GET" and invitation.answered:
        # The link's holder may see that it was used; a submission learns it
        # only by being a valid one (below).
        return _state_page(request, invitation, language, "answered")
    phase = wave.phase()
    if phase != WavePhase.OPEN:
        state = "closed" if phase == WavePhase.CLOSED else "not_yet_open"
        return _state_page(request, invitation, language, state)

    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            # Messages about the answers speak the form's language.
            with translation.override(language):
                response_submit(
                    token=token,
                    answers=answers_from_post(
                        wave.snapshot, request.POST, invitation.department_id
                    ),
                    language=language,
                    invitation=invitation,
                )
        except AnswerErrors as exc:
            errors = exc.errors
        except AlreadyAnswered:
            return _state_page(request, invitation, language, "answered", status=409)
        except WaveNotOpen:
            return _state_page(request, invitation, language, "closed", status=409)
        else:
            return redirect(f"/s/{token}/thanks/?lang={language}")

    return _form_page(request, invitation, language, errors)


def _unknown_link(request):
    """A link that names no open invitation. Only guesses are limited: a
    valid link always opens, however many wrong ones came from the same
    address (a whole office behind one proxy or NAT shares it)."""
    throttled = not LinkGuessThrottle().allow_request(request, None)
    return _render(
        request,
        "surveys/link_state.html",
        {"state": "throttled" if throttled else "unknown"},
        language=_page_language(request),
        status=429 if throttled else 404,
    )


def _form_page(request, invitation, language: str, errors: dict[str, str]):
    """The commitments the respondent's department made since the last pulse,
    and the questions, blank or as posted with the errors beside them."""
    wave = invitation.wave
    snapshot = wave.snapshot
    if request.method == "POST":
        questions = form_questions(
            snapshot,
            language,
            data=request.POST,
            errors=errors,
            department_id=invitation.department_id,
        )
        questions_html = ""
    else:
        questions, questions_html = _blank_form(
            wave.pk,
            wave.frozen_at,
            language,
            _asking_department(snapshot, invitation.department_id),
        )
    return _render(
        request,
        "surveys/respond.html",
        {
            "title": snapshot["title"][language],
            "intro": snapshot["intro"][language],
            "questions": questions,
            "questions_html": questions_html,
            "error_count": len(errors),
            "form_error": errors.get("answers", ""),
            "min_group_size": wave.min_group_size,
            "language": language,
            "languages": [
                (code, name)
                for code, name in settings.LANGUAGES
                if code in snapshot["languages"]
            ],
            "closes_at": wave.closes_at,
            "commitments": commitments_shown(
                snapshot, invitation.department_id, language
            ),
        },
        language=language,
        status=400 if errors else 200,
    )


def _asking_department(snapshot, department_id: int) -> int | None:
    """``department_id`` where its respondents are asked about commitments,
    else ``None``: every department without kept questions shares one blank
    form."""
    return department_id if kept_questions(snapshot, department_id) else None


@never_cache
@require_http_methods(["GET"])
def thanks(request, token: str):
    invitation = invitation_for_token(token)
    if invitation is None or not invitation.answered:
        return redirect(f"/s/{token}/")
    language = _language(request, invitation)
    wave = invitation.wave
    return _render(
        request,
        "surveys/thanks.html",
        {
            "title": wave.snapshot["title"][language],
            "thank_you": wave.snapshot["thank_you"][language],
            "min_group_size": wave.min_group_size,
            "language": language,
        },
        language=language,
    )
