from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from newsroom import audit, tasks
        from project import sqlite

        name_borrowed_apps()
        sqlite.connect()
        tasks.connect()
        audit.connect()


def name_borrowed_apps():
    """
    The apps we use as they come, named in the desk's words: their own names are
    English, or no name at all («OTP_TOTP», «Tasks Database Backend»).
    """
    from django.apps import apps
    from django_otp.plugins.otp_totp.models import TOTPDevice

    names = {
        "axes": _("Sign-in attempts"),
        "otp_totp": _("Two-step sign-in"),
        "django_tasks_database": _("Background tasks"),
    }
    for label, name in names.items():
        apps.get_app_config(label).verbose_name = name
    TOTPDevice._meta.verbose_name = _("authenticator")
    TOTPDevice._meta.verbose_name_plural = _("authenticators")
