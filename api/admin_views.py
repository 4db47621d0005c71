"""The Wagtail admin pages for API tokens: list, create (key shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import ApiTokenForm
from .models import ApiToken
from .permissions import can_manage_api_tokens
from .services import api_token_create, api_token_revoke, expiry_from_date


def forbidden(request) -> TemplateResponse:
    """A real 403 inside the admin furniture (as the results pages answer)."""
    return TemplateResponse(
        request,
        "ownership/admin/forbidden.html",
        {"page_title": _("Not allowed")},
        status=403,
    )


class TokenAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_api_tokens(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class TokenIndexView(TokenAdminMixin, TemplateView):
    template_name = "api/admin/token_index.html"
    page_title = _("Survey API tokens")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = ApiToken.objects.select_related("user").prefetch_related(
            "departments"
        )
        return context


class TokenCreateView(TokenAdminMixin, FormView):
    form_class = ApiTokenForm
    template_name = "api/admin/token_form.html"
    page_title = _("New API token")

    def form_valid(self, form):
        data = form.cleaned_data
        expires_on = data.get("expires_on")
        try:
            token, key = api_token_create(
                user=self.request.user,
                name=data["name"],
                scopes=data["scopes"],
                departments=list(data["departments"]),
                expires_at=expiry_from_date(expires_on) if expires_on else None,
                channel="admin",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        response = TemplateResponse(
            self.request,
            "api/admin/token_created.html",
            self.get_context_data(
                token=token, key=key, page_title=_("API token created")
            ),
        )
        # The key is in this page only: keep it out of every cache.
        response["Cache-Control"] = "no-store"
        return response


class TokenRevokeView(TokenAdminMixin, TemplateView):
    template_name = "api/admin/token_revoke.html"
    page_title = _("Revoke API token")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["token"] = get_object_or_404(ApiToken, pk=self.kwargs["pk"])
        return context

    def post(self, request, *args, **kwargs):
        token = get_object_or_404(ApiToken, pk=kwargs["pk"])
        api_token_revoke(token=token, actor=request.user, channel="admin")
        messages.success(
            request, _("API token '%(name)s' revoked.") % {"name": token.name}
        )
        return redirect("api_tokens_index")
