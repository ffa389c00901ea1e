"""
The audit log: publication changes, deletions, restores, permission changes and
refusals, each with who, when and from which address (newsroom.models.AuditEvent).

Stories are watched through their saves, not through the admin's views, so that
every path (the edit form, bulk actions, restores, management commands) is logged
by the same rule. The request in progress, if any, says who and from where.
"""

import contextvars

from axes.signals import user_locked_out
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from newsroom.accounts import client_ip
from newsroom.models import AuditEvent, User
from project.access_log import mask_path

Action = AuditEvent.Action

_request = contextvars.ContextVar("audit_request", default=None)


class AuditMiddleware:
    """Makes the request known to the signal handlers below, and logs the admin's 403s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        match = request.resolver_match
        if response.status_code == 403 and match is not None and "admin" in match.namespaces:
            record(
                Action.DENIED, request=request, detail=f"{request.method} {mask_path(request.path)}"
            )
        return response

    def process_view(self, request, view, args, kwargs):
        # django-reversion's restore pages: a save they make is a restore, not an edit.
        name = request.resolver_match.url_name or ""
        if request.method == "POST" and name.endswith(("_revision", "_recover")):
            request.audit_restoring = (
                Action.RECOVER if name.endswith("_recover") else (Action.RESTORE)
            )


def record(action, obj=None, *, request=None, detail="", actor=None, object_repr=None):
    request = request or _request.get()
    if actor is None:
        user = getattr(request, "user", None)
        actor = user.get_username() if user is not None and user.is_authenticated else ""
    fields = {}
    if obj is not None:
        fields = {
            "object_type": obj._meta.label_lower,
            "object_id": str(obj.pk or ""),
            "object_repr": str(obj)[:300],
        }
    if object_repr is not None:
        fields["object_repr"] = object_repr[:300]
    AuditEvent.objects.create(
        action=action,
        actor=actor[:150],
        ip_address=client_ip(request) if request is not None else None,
        detail=detail,
        **fields,
    )


# Stories: what readers can see, before and after each save.


def reader_state(status, published_at, now):
    from articles.models import Article

    if status != Article.Status.PUBLISHED or published_at is None:
        return None
    return "published" if published_at <= now else "scheduled"


def remember_story_state(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not {"status", "published_at"} & set(update_fields)):
        instance._audit_before = "unchanged"
        return
    before = None
    if instance.pk is not None:
        before = sender.objects.filter(pk=instance.pk).values_list("status", "published_at").first()
    instance._audit_before = before


def log_story_state(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    if before == "unchanged":
        return
    now = timezone.now()
    old_state = reader_state(*before, now) if before else None
    new_state = reader_state(instance.status, instance.published_at, now)
    request = _request.get()
    restoring = getattr(request, "audit_restoring", None)
    if restoring:
        # Once: django-reversion saves the old version, then the form saves it again.
        request.audit_restoring = None
        record(restoring, instance)
    if getattr(instance, "changes_published", False):
        instance.changes_published = False
        record(Action.PUBLISH, instance, detail=gettext("changes from the working copy"))
    elif new_state == "published" and (old_state != "published"):
        record(Action.PUBLISH, instance)
    elif new_state == "scheduled" and (
        old_state != "scheduled" or before[1] != instance.published_at
    ):
        when = date_format(timezone.localtime(instance.published_at), "SHORT_DATETIME_FORMAT")
        record(Action.SCHEDULE, instance, detail=when)
    elif new_state is None and old_state is not None:
        reason = getattr(instance, "takedown_reason", "")
        detail = instance.get_status_display() + (f": {reason}" if reason else "")
        record(Action.UNPUBLISH, instance, detail=detail)
    instance._audit_before = (instance.status, instance.published_at)


def log_story_deleted(sender, instance, **kwargs):
    # A working copy ends when it is published or discarded; readers never saw it.
    if getattr(instance, "copy_of_id", None) is None:
        record(Action.DELETE, instance)


# Permissions: a user's groups, permissions and flags; a group's permissions.

USER_FLAGS = ["is_active", "is_staff", "is_superuser"]


def remember_user_flags(sender, instance, raw=False, update_fields=None, **kwargs):
    # Signing in saves last_login alone: no query for that.
    if update_fields is not None and not set(USER_FLAGS) & set(update_fields):
        instance._audit_flags = None
        return
    if raw or instance.pk is None:
        instance._audit_flags = None
        return
    instance._audit_flags = sender.objects.filter(pk=instance.pk).values(*USER_FLAGS).first()


def log_user_flags(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_flags", None)
    if created and not raw:
        before = dict.fromkeys(USER_FLAGS, False)
    if before is None:
        return
    changes = [
        f"{flag} {'+' if getattr(instance, flag) else '−'}"
        for flag in USER_FLAGS
        if before[flag] != getattr(instance, flag)
    ]
    instance._audit_flags = {flag: getattr(instance, flag) for flag in USER_FLAGS}
    if changes and (instance.is_staff or "is_staff −" in changes):
        record(Action.PERMISSIONS, instance, detail=", ".join(changes))


def log_membership(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    forward_name, reverse_name = RELATIONS[sender]
    if action == "pre_clear":
        # What is about to go: code may clear (the admin's forms add and remove).
        pk_set = set(
            getattr(instance, reverse_name if reverse else forward_name).values_list(
                "pk", flat=True
            )
        )
    sign = "+" if action == "post_add" else "−"
    others = list(model.objects.filter(pk__in=pk_set or ()))
    if not others:
        return
    if reverse:
        # Group.user_set.add(user) and the like: logged on each user or group changed.
        for other in others:
            record(Action.PERMISSIONS, other, detail=f"{forward_name}: {sign}{instance}")
        return
    names = ", ".join(f"{sign}{other}" for other in sorted(others, key=str))
    record(Action.PERMISSIONS, instance, detail=f"{forward_name}: {names}")


# The relations that grant permissions: (forward name, reverse name) by their table.
RELATIONS = {
    User.groups.through: ("groups", "user_set"),
    User.user_permissions.through: ("user_permissions", "user_set"),
    Group.permissions.through: ("permissions", "group_set"),
}


# Sign-in: wrong passwords, and the lock-out that follows them.


def log_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    record(Action.LOGIN_FAILED, request=request, actor="", object_repr=username)


def log_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record(Action.LOCKED_OUT, request=request, actor="", object_repr=username or "")


def connect():
    from articles.models import Article

    pre_save.connect(remember_story_state, sender=Article, dispatch_uid="audit-story-before")
    post_save.connect(log_story_state, sender=Article, dispatch_uid="audit-story-after")
    post_delete.connect(log_story_deleted, sender=Article, dispatch_uid="audit-story-deleted")
    pre_save.connect(remember_user_flags, sender=User, dispatch_uid="audit-user-before")
    post_save.connect(log_user_flags, sender=User, dispatch_uid="audit-user-after")
    for through in RELATIONS:
        m2m_changed.connect(log_membership, sender=through, dispatch_uid=f"audit-{through}")
    user_login_failed.connect(log_login_failed, dispatch_uid="audit-login-failed")
    user_locked_out.connect(log_locked_out, dispatch_uid="audit-locked-out")
