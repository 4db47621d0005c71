"""Admin actions on waves: open now, close now."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _
from wagtail.admin import messages

from ownership.permissions import forbidden

from .models import Wave
from .services import invitations_issue, invitations_remind, wave_close, wave_open_now

# action -> (service, confirmation question, success message for a count);
# messages are functions so they are translated per request, not at import.
ACTIONS = {
    "open": (
        wave_open_now,
        lambda: _("Open '%(wave)s' now?"),
        lambda n: _("'%(wave)s' is open."),
    ),
    "close": (
        wave_close,
        lambda: _("Close '%(wave)s' now?"),
        lambda n: _("'%(wave)s' is closed."),
    ),
    "invite": (
        invitations_issue,
        lambda: _("Invite the audience of '%(wave)s'?"),
        lambda n: ngettext(
            "%(n)s new invitation for '%(wave)s' is being sent.",
            "%(n)s new invitations for '%(wave)s' are being sent.",
            n,
        ),
    ),
    "remind": (
        invitations_remind,
        lambda: _("Remind everyone who has not answered '%(wave)s'?"),
        # No count: how many have not answered would tell, between two
        # reminders, who just did.
        lambda n: _(
            "Reminders for '%(wave)s' are being sent to everyone who has not "
            "answered yet."
        ),
    ),
}


WAVE_LIST = "wagtailsnippets_surveys_wave:list"


def _messages(exc: ValidationError) -> list[str]:
    """Each error prefixed with the name of the field at fault."""
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [
        f"{Wave._meta.get_field(name).verbose_name.capitalize()}: {message}"
        if name != "__all__"
        else message
        for name, messages_ in exc.message_dict.items()
        for message in messages_
    ]


def wave_action(request, pk: int, action: str):
    """Confirm on GET, act on POST; errors come back as messages naming the field."""
    if not request.user.has_perm("surveys.change_wave"):
        return forbidden(request)
    wave = get_object_or_404(Wave, pk=pk)
    service, question, done = ACTIONS[action]
    if request.method == "POST":
        try:
            result = service(wave=wave, actor=request.user)
        except ValidationError as exc:
            for error in _messages(exc):
                messages.error(request, error)
        else:
            count = result if isinstance(result, int) else 1
            messages.success(request, done(count) % {"wave": wave.label, "n": result})
            missing = _untranslated(wave) if action == "open" else ""
            if missing:
                messages.warning(request, _missing_message(wave, missing))
        return redirect(WAVE_LIST)
    missing = _untranslated(wave) if action == "open" else ""
    return TemplateResponse(
        request,
        "surveys/admin/wave_confirm.html",
        {
            "wave": wave,
            "action": action,
            "question": question() % {"wave": wave.label},
            "page_title": question() % {"wave": wave.label},
            "missing_languages": _missing_message(wave, missing) if missing else "",
        },
    )


def _untranslated(wave: Wave) -> str:
    """The audience's languages the survey is not translated into, by name."""
    return ", ".join(
        str(get_language_info(code)["name_translated"])
        if code in dict(settings.LANGUAGES)
        else code
        for code in wave.untranslated_languages()
    )


def _missing_message(wave: Wave, missing: str) -> str:
    return _(
        "The survey of '%(wave)s' has no published translation into %(languages)s: "
        "people who read those languages will get it in %(source)s. Translate and "
        "publish the survey page before they are invited."
    ) % {
        "wave": wave.label,
        "languages": missing,
        "source": get_language_info(wave.survey.locale.language_code)[
            "name_translated"
        ],
    }
