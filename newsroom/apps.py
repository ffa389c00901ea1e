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
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    # Their own names are English («Task Result») or capitalised mid-sentence
    # («Добавить Запись о попытке доступа»); ours have the desk's cases (project/admin_words.py).
    models = {
        TOTPDevice: (_("authenticator"), _("authenticators")),
        AccessAttempt: (_("sign-in attempt"), _("sign-in attempts")),
        AccessLog: (_("sign-in"), _("sign-ins")),
        AccessFailureLog: (_("failed sign-in"), _("failed sign-ins")),
        DBTaskResult: (_("background task"), _("background tasks")),
    }
    for model, (name, plural) in models.items():
        model._meta.verbose_name = name
        model._meta.verbose_name_plural = plural
