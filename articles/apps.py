from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Stories")

    def ready(self):
        from django.conf import settings

        from articles import caching

        caching.connect()
        if settings.NEWSROOM_FRONT_CACHE_DIR:
            # nginx on this machine may answer every request from its cache, so
            # that no request reaches this process to start its watch: start it
            # now, or a change made elsewhere would never purge this machine.
            caching.watching()
