"""API tokens in the Wagtail admin, under Settings, for HR analysts."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import TokenCreateView, TokenIndexView, TokenRevokeView
from .permissions import can_manage_api_tokens


@hooks.register("register_admin_urls")
def register_api_token_urls():
    return [
        path("api-tokens/", TokenIndexView.as_view(), name="api_tokens_index"),
        path("api-tokens/new/", TokenCreateView.as_view(), name="api_tokens_create"),
        path(
            "api-tokens/<int:pk>/revoke/",
            TokenRevokeView.as_view(),
            name="api_tokens_revoke",
        ),
    ]


class ApiTokenMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_api_tokens(request.user)


@hooks.register("register_settings_menu_item")
def register_api_token_menu_item():
    return ApiTokenMenuItem(
        _("Survey API tokens"),
        reverse("api_tokens_index"),
        icon_name="key",
        order=610,
    )
