# The borrowed apps' admin modules are read here, before the admin would read them,
# so that their admins can be registered again (speak_desk_words); the admin's own
# autodiscover does not read a module twice.
import axes.admin  # noqa: F401
import django_otp.plugins.otp_totp.admin  # noqa: F401
import django_tasks_db.admin  # noqa: F401
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from newsroom.accounts import LoginForm
from newsroom.models import AuditEvent, Author, User
from newsroom.slugs import SlugInput
from project.admin import DeskWordsAdmin, ModelAdmin

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Editorial office")
# The password, then the authenticator's code for those who set one up.
admin.site.login_form = LoginForm

admin.site.register(User, type("UserAdmin", (DeskWordsAdmin, UserAdmin), {}))


def speak_desk_words(*models):
    """
    The borrowed apps' admins, registered again with the desk's words mixed in:
    «Добавить группу», «Изменить пользователя», a list titled «Группы».
    """
    for model in models:
        borrowed = type(admin.site.get_model_admin(model))
        admin.site.unregister(model)
        admin.site.register(model, type(borrowed.__name__, (DeskWordsAdmin, borrowed), {}))


speak_desk_words(Group, AccessAttempt, AccessLog, AccessFailureLog, TOTPDevice, DBTaskResult)


@admin.register(Author)
class AuthorAdmin(ModelAdmin):
    # The portrait is a library photo: media/admin.py adds its fields to this page.
    list_display = ["name", "job_title", "user"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    formfield_overrides = {models.SlugField: {"widget": SlugInput}}
    fields = ["name", "slug", "job_title", "bio", "user"]


def view_on_site(request, content_type_id, object_id):
    """
    The admin's «view on site» link, for what the person may open in the admin.

    Django's own follows any object's address for anyone on staff, and a
    story's address carries its headline: a colleague's draft would show its
    title in the redirect. This one asks the object's admin first.
    """
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except (ValueError, ContentType.DoesNotExist):
        raise Http404 from None
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        raise Http404
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    if model_admin.get_object(request, object_id) is None:
        raise Http404
    return shortcut(request, content_type_id, object_id)


@admin.register(AuditEvent)
class AuditEventAdmin(DeskWordsAdmin, admin.ModelAdmin):
    """Read by editors (the view permission, newsroom/migrations); changed by nobody."""

    list_display = ["moment", "action", "object_repr", "actor", "ip_address", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["object_repr", "actor", "ip_address", "detail"]
    # The log only grows: no date drill-down (it reads every row's day) and one count, not two.
    show_full_result_count = False
    fields = ["at", "action", "object_type", "object_id", "object_repr", "detail", "actor"]
    fields += ["ip_address"]
    readonly_fields = fields

    @admin.display(description=_("when"), ordering="at")
    def moment(self, event):
        # A log is read by the minute: «06.03.2026 14:00», not «6 марта 2026 г. 14:00».
        return date_format(timezone.localtime(event.at), "SHORT_DATETIME_FORMAT")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
