from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordPressConfig(AppConfig):
    name = "wordpress"
    verbose_name = _("Moving in from WordPress")

    def ready(self):
        from wordpress import models

        models.connect()
