from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OwnershipConfig(AppConfig):
    name = "ownership"
    verbose_name = _("Customer ownership")

    def ready(self) -> None:
        from surveys.signals import wave_closed

        from .analytics.signals import release_made
        from .roles import sync_roles
        from .tasks import on_release_made, on_wave_closed

        wave_closed.connect(on_wave_closed, dispatch_uid="ownership.release_on_close")
        release_made.connect(on_release_made, dispatch_uid="ownership.tell_heads")

        # Sent once per app; permissions exist once the last app has migrated.
        post_migrate.connect(sync_roles, dispatch_uid="ownership.sync_roles")
