"""
Every role against every admin page: the URLconf is walked, each page is filled
with something that belongs to someone else, and the answer each role gets is
the one ACCESS declares. A page ACCESS does not know fails the test.

Answers: «login» is the sign-in page (a redirect to it), «home» a redirect
inside the admin, «site» a redirect out of it, otherwise the status code. A
story someone may not open answers 404, as one that does not exist; a page of
a kind the role has no access to at all answers 403.

Beyond the status: no page a reporter reaches shows a colleague's story, and
no page a photographer reaches shows a colleague's login name.
"""

from datetime import timedelta

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from reversion.models import Version

from api.models import PartnerKey
from articles.models import Article, Tag
from newsroom.models import AuditEvent
from tests.factories import (
    make_article,
    make_author,
    make_editor,
    make_photo,
    make_section,
    make_staff,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "reporter", "photographer", "editor", "superuser"]

# (page, what fills it): one answer per role, in the order of ROLES.
# «—» in «what» means the page takes nothing.
ACCESS = {
    ("index", "—"): "login login 200 200 200 200",
    ("login", "—"): "200 200 home home home home",
    ("logout", "—"): "home home 405 405 405 405",
    ("password_change", "—"): "login login 200 200 200 200",
    ("password_change_done", "—"): "login login 200 200 200 200",
    ("jsi18n", "—"): "login login 200 200 200 200",
    ("app_list", "articles"): "login login 200 404 200 200",
    ("app_list", "auth"): "login login 404 404 404 200",
    ("app_list", "media"): "login login 200 200 200 200",
    ("app_list", "newsroom"): "login login 200 404 200 200",
    ("app_list", "django_tasks_database"): "login login 404 404 200 200",
    ("catch-all", "—"): "login login 404 404 404 404",
    ("view_on_site", "colleague's draft"): "login login 404 403 site site",
    ("view_on_site", "embargoed story"): "login login 404 403 site site",
    ("view_on_site", "author"): "login login site 403 site site",
    # Autocomplete: every field that has one, looked up with an empty term.
    ("autocomplete", "articles.article.section"): "login login 200 403 200 200",
    ("autocomplete", "articles.article.lead_photo"): "login login 200 200 200 200",
    ("autocomplete", "articles.article.related_stories"): "login login 200 403 200 200",
    ("autocomplete", "articles.article.translation_of"): "login login 200 403 200 200",
    ("autocomplete", "articles.byline.author"): "login login 200 403 200 200",
    ("autocomplete", "media.photo.creator_author"): "login login 200 403 200 200",
    # The author's portrait, chosen from the library: the photos anyone on staff sees.
    ("autocomplete", "media.rendition.photo"): "login login 200 200 200 200",
    ("autocomplete", "newsroom.author.user"): "login login 403 403 403 200",
    # Stories
    ("articles_article_changelist", "—"): "login login 200 403 200 200",
    ("articles_article_add", "—"): "login login 200 403 200 200",
    ("articles_article_change", "colleague's draft"): "login login 404 403 200 200",
    ("articles_article_change", "embargoed story"): "login login 404 403 200 200",
    ("articles_article_change", "colleague's working copy"): "login login 404 403 200 200",
    ("articles_article_change", "colleague's live story"): "login login 404 403 200 200",
    ("articles_article_working_copy", "colleague's live story"): "login login 404 403 405 405",
    ("articles_article_changes", "colleague's live story"): "login login 404 403 200 200",
    ("articles_article_take_down", "colleague's live story"): "login login 404 403 200 200",
    ("articles_article_history", "colleague's draft"): "login login 404 403 200 200",
    ("articles_article_delete", "colleague's draft"): "login login 404 403 200 200",
    ("articles_article_redirect", "colleague's draft"): "login login home home home home",
    ("articles_article_preview", "colleague's draft"): "login login 404 403 200 200",
    ("articles_article_preview", "embargoed story"): "login login 404 403 200 200",
    ("articles_article_revision_preview", "colleague's draft"): "login login 404 403 200 200",
    ("articles_article_compare", "colleague's draft"): "login login 404 403 200 200",
    ("articles_article_revision", "colleague's draft"): "login login 404 403 200 200",
    ("articles_article_recoverlist", "—"): "login login 200 403 200 200",
    ("articles_article_recover", "deleted story"): "login login 404 403 200 200",
    ("articles_section_changelist", "—"): "login login 200 403 200 200",
    ("articles_section_add", "—"): "login login 403 403 200 200",
    ("articles_section_change", "section"): "login login 200 403 200 200",
    ("articles_section_history", "section"): "login login 200 403 200 200",
    ("articles_section_delete", "section"): "login login 403 403 200 200",
    ("articles_section_redirect", "section"): "login login home home home home",
    ("articles_tag_changelist", "—"): "login login 200 403 200 200",
    ("articles_tag_add", "—"): "login login 403 403 200 200",
    ("articles_tag_change", "tag"): "login login 200 403 200 200",
    ("articles_tag_history", "tag"): "login login 200 403 200 200",
    ("articles_tag_delete", "tag"): "login login 403 403 200 200",
    ("articles_tag_redirect", "tag"): "login login home home home home",
    # Photos
    ("media_photo_changelist", "—"): "login login 200 200 200 200",
    ("media_photo_add", "—"): "login login 403 home home home",
    ("media_photo_upload", "—"): "login login 403 200 200 200",
    ("media_photo_describe", "colleague's photo"): "login login home home 200 200",
    ("media_photo_embed", "colleague's photo"): "login login 200 200 200 200",
    # The photo lookups' own address, with thumbnails: every field that looks up photos.
    ("media_photo_autocomplete", "articles.article.lead_photo"): "login login 200 200 200 200",
    ("media_photo_autocomplete", "media.rendition.photo"): "login login 200 200 200 200",
    ("media_photo_change", "colleague's photo"): "login login 200 200 200 200",
    ("media_photo_history", "colleague's photo"): "login login 200 200 200 200",
    ("media_photo_delete", "colleague's photo"): "login login 403 403 200 200",
    ("media_photo_redirect", "colleague's photo"): "login login home home home home",
    # People
    ("newsroom_author_changelist", "—"): "login login 200 403 200 200",
    ("newsroom_author_add", "—"): "login login 403 403 200 200",
    ("newsroom_author_change", "author"): "login login 200 403 200 200",
    ("newsroom_author_history", "author"): "login login 200 403 200 200",
    ("newsroom_author_delete", "author"): "login login 403 403 200 200",
    ("newsroom_author_redirect", "author"): "login login home home home home",
    ("newsroom_user_changelist", "—"): "login login 403 403 403 200",
    ("newsroom_user_add", "—"): "login login 403 403 403 200",
    ("newsroom_user_change", "user"): "login login 403 403 403 200",
    ("newsroom_user_history", "user"): "login login 403 403 403 200",
    ("newsroom_user_delete", "user"): "login login 403 403 403 200",
    ("newsroom_user_redirect", "user"): "login login home home home home",
    ("auth_user_password_change", "user"): "login login 403 403 403 200",
    ("auth_group_changelist", "—"): "login login 403 403 403 200",
    ("auth_group_add", "—"): "login login 403 403 403 200",
    ("auth_group_change", "group"): "login login 403 403 403 200",
    ("auth_group_history", "group"): "login login 403 403 403 200",
    ("auth_group_delete", "group"): "login login 403 403 403 200",
    ("auth_group_redirect", "group"): "login login home home home home",
    # Background tasks
    ("django_tasks_database_dbtaskresult_changelist", "—"): "login login 403 403 200 200",
    ("django_tasks_database_dbtaskresult_add", "—"): "login login 403 403 403 403",
    ("django_tasks_database_dbtaskresult_change", "task"): "login login 403 403 200 200",
    ("django_tasks_database_dbtaskresult_history", "task"): "login login 403 403 200 200",
    ("django_tasks_database_dbtaskresult_delete", "task"): "login login 403 403 403 403",
    ("django_tasks_database_dbtaskresult_redirect", "task"): "login login home home home home",
    # Partners' keys to the read API: the editors' alone.
    ("app_list", "api"): "login login 404 404 200 200",
    ("api_partnerkey_changelist", "—"): "login login 403 403 200 200",
    ("api_partnerkey_add", "—"): "login login 403 403 200 200",
    ("api_partnerkey_change", "partner key"): "login login 403 403 200 200",
    ("api_partnerkey_history", "partner key"): "login login 403 403 200 200",
    ("api_partnerkey_delete", "partner key"): "login login 403 403 200 200",
    ("api_partnerkey_redirect", "partner key"): "login login home home home home",
    # The audit log: read by editors, changed by nobody, superusers included.
    ("app_list", "axes"): "login login 404 404 404 200",
    ("app_list", "otp_totp"): "login login 404 404 404 200",
    ("newsroom_auditevent_changelist", "—"): "login login 403 403 200 200",
    ("newsroom_auditevent_add", "—"): "login login 403 403 403 403",
    ("newsroom_auditevent_change", "audit event"): "login login 403 403 200 200",
    ("newsroom_auditevent_history", "audit event"): "login login 403 403 200 200",
    ("newsroom_auditevent_delete", "audit event"): "login login 403 403 403 403",
    ("newsroom_auditevent_redirect", "audit event"): "login login home home home home",
    # Sign-in records and authenticators: superusers only (unlocking, a lost phone).
    ("axes_accessattempt_changelist", "—"): "login login 403 403 403 200",
    ("axes_accessattempt_add", "—"): "login login 403 403 403 403",
    ("axes_accessattempt_change", "sign-in attempt"): "login login 403 403 403 200",
    ("axes_accessattempt_history", "sign-in attempt"): "login login 403 403 403 200",
    ("axes_accessattempt_delete", "sign-in attempt"): "login login 403 403 403 200",
    ("axes_accessattempt_redirect", "sign-in attempt"): "login login home home home home",
    ("axes_accesslog_changelist", "—"): "login login 403 403 403 200",
    ("axes_accesslog_add", "—"): "login login 403 403 403 403",
    ("axes_accesslog_change", "sign-in log"): "login login 403 403 403 200",
    ("axes_accesslog_history", "sign-in log"): "login login 403 403 403 200",
    ("axes_accesslog_delete", "sign-in log"): "login login 403 403 403 200",
    ("axes_accesslog_redirect", "sign-in log"): "login login home home home home",
    ("axes_accessfailurelog_changelist", "—"): "login login 403 403 403 200",
    ("axes_accessfailurelog_add", "—"): "login login 403 403 403 403",
    ("axes_accessfailurelog_change", "sign-in failure"): "login login 403 403 403 200",
    ("axes_accessfailurelog_history", "sign-in failure"): "login login 403 403 403 200",
    ("axes_accessfailurelog_delete", "sign-in failure"): "login login 403 403 403 200",
    ("axes_accessfailurelog_redirect", "sign-in failure"): "login login home home home home",
    ("otp_totp_totpdevice_changelist", "—"): "login login 403 403 403 200",
    ("otp_totp_totpdevice_add", "—"): "login login 403 403 403 200",
    ("otp_totp_totpdevice_change", "colleague's phone"): "login login 403 403 403 200",
    ("otp_totp_totpdevice_history", "colleague's phone"): "login login 403 403 403 200",
    ("otp_totp_totpdevice_delete", "colleague's phone"): "login login 403 403 403 200",
    ("otp_totp_totpdevice_config", "colleague's phone"): "login login 403 403 403 200",
    ("otp_totp_totpdevice_qrcode", "colleague's phone"): "login login 403 403 403 200",
    (
        "otp_totp_totpdevice_redirect",
        "colleague's phone",
    ): "login login home home home home",
}


def admin_pages():
    """(name, route) of every page the admin serves, its models' own pages included."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                assert isinstance(pattern, URLPattern)
                yield _page_name(pattern, prefix), prefix + str(pattern.pattern)

    return list(walk(admin.site.get_urls(), ""))


def _page_name(pattern, prefix):
    if pattern.name:
        return pattern.name
    if str(pattern.pattern) == "(?P<url>.*)$":
        return "catch-all"
    # A model's «<id>/» address, which redirects to its change page.
    app_label, model_name = prefix.strip("/").split("/")[:2]
    return f"{app_label}_{model_name}_redirect"


class Newsroom:
    """The people of every role, and things that belong to someone else than the one looking."""

    def __init__(self):
        User = get_user_model()
        self.people = {
            "anonymous": None,
            "reader": User.objects.create_user("reader", password="x"),
            "reporter": make_staff("irina", "Reporters", "Ирина Капитанова"),
            "photographer": make_staff("zhanna", "Photographers", "Жанна Омарова"),
            "editor": make_staff("aigerim", "Editors", "Айгерим Нұрланқызы"),
            "superuser": make_editor("superadmin"),
        }
        self.colleague = make_staff("daniyar", "Reporters", "Данияр Сейітқали")
        colleague_photographer = make_staff("aigul", "Photographers", "Айгүл Қасымова")
        section = make_section("Расследования")
        # The colleague's photo leads the colleague's draft: the photo's page lists its uses.
        self.photo = make_photo(uploaded_by=colleague_photographer)
        with reversion.create_revision():
            self.draft = self._story(
                "Секретное расследование коллеги", section, published=False, lead_photo=self.photo
            )
        with reversion.create_revision():
            self.draft.title = "Секретное расследование коллеги, правка"
            self.draft.save()
        self.embargoed = self._story(
            "Материал под эмбарго коллеги",
            section,
            published_at=timezone.now() + timedelta(days=1),
        )
        with reversion.create_revision():
            deleted = self._story("Удалённый материал коллеги", section, published=False)
        deleted.delete()
        self.deleted_version = Version.objects.get_deleted(Article).get()
        self.tag = Tag.objects.create(name="выборы")
        self.task = DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="media.tasks.make_renditions",
            backend_name="default",
            status=TaskResultStatus.FAILED,
            worker_ids=["a"],
        )
        self.audit_event = AuditEvent.objects.create(
            action=AuditEvent.Action.PUBLISH, actor="aigerim", object_repr="Открытый материал"
        )
        self.attempt = AccessAttempt.objects.create(
            username="daniyar", ip_address="203.0.113.7", failures_since_start=1
        )
        self.access_log = AccessLog.objects.create(username="daniyar", ip_address="203.0.113.7")
        self.failure = AccessFailureLog.objects.create(
            username="daniyar", ip_address="203.0.113.7", locked_out=False
        )
        self.device = TOTPDevice.objects.create(user=self.colleague, name="Телефон")
        self.live = self._story("Опубликованный материал коллеги", section)
        self.working_copy = self.live.start_working_copy(self.colleague)
        self.partner_key = PartnerKey(name="Приложение партнёра")
        self.partner_key.new_key()
        self.partner_key.save()
        self.section = section
        self.author = make_author("Внештатный автор", portrait=False)
        # What no reporter may read, and no photographer.
        self.stories = [self.draft, self.embargoed]
        self.secret_titles = [
            "Секретное расследование коллеги",
            "Материал под эмбарго коллеги",
            "Удалённый материал коллеги",
        ]
        self.login_names = ["daniyar", "aigul", "aigerim", "irina", "superadmin"]

    def _story(self, title, section, **fields):
        story = make_article(title, section=section, authors=[self.colleague.author], **fields)
        story.created_by = self.colleague
        story.save()
        return story

    def fillings(self, name, route):
        """Each way of filling a page's arguments: (what, path)."""
        from django.urls import reverse

        def url(*args, query=""):
            return reverse(f"admin:{name}", args=args) + query

        objects = {
            "colleague's draft": self.draft,
            "colleague's photo": self.photo,
            "section": self.section,
            "tag": self.tag,
            "author": self.colleague.author,
            "user": self.colleague,
            "group": Group.objects.get(name="Editors"),
            "task": self.task,
            "audit event": self.audit_event,
            "sign-in attempt": self.attempt,
            "sign-in log": self.access_log,
            "sign-in failure": self.failure,
            "colleague's phone": self.device,
            "partner key": self.partner_key,
        }
        if name == "catch-all":
            return [("—", "/admin/no-such-page/")]
        if name.endswith("_redirect"):
            what = _owner_of(name, objects)
            return [(what, "/admin/" + route.replace("<path:object_id>", str(objects[what].pk)))]
        if name == "app_list":
            return [
                (label, reverse("admin:app_list", args=[label]))
                for label in [
                    "articles",
                    "auth",
                    "media",
                    "newsroom",
                    "django_tasks_database",
                    "axes",
                    "otp_totp",
                    "api",
                ]  # fmt: skip
            ]
        if name == "view_on_site":
            return [
                (what, url(ContentType.objects.get_for_model(obj).pk, obj.pk))
                for what, obj in [
                    ("colleague's draft", self.draft),
                    ("embargoed story", self.embargoed),
                    ("author", self.colleague.author),
                ]
            ]
        if name == "autocomplete":
            return [
                (field, url(query="?" + _autocomplete_query(field)))
                for field in autocomplete_fields()
            ]
        if name == "media_photo_autocomplete":
            return [
                (field, url(query="?" + _autocomplete_query(field)))
                for field in autocomplete_fields()
                if _looks_up_photos(field)
            ]
        if name in {"articles_article_change", "articles_article_preview"}:
            return [
                ("colleague's draft", url(self.draft.pk)),
                ("embargoed story", url(self.embargoed.pk)),
            ] + (
                [
                    ("colleague's working copy", url(self.working_copy.pk)),
                    ("colleague's live story", url(self.live.pk)),
                ]
                if name == "articles_article_change"
                else []
            )
        if name in {
            "articles_article_working_copy",
            "articles_article_changes",
            "articles_article_take_down",
        }:
            return [("colleague's live story", url(self.live.pk))]
        if name in {"articles_article_revision", "articles_article_revision_preview"}:
            version = Version.objects.get_for_object(self.draft).last()
            return [("colleague's draft", url(self.draft.pk, version.pk))]
        if name == "articles_article_recover":
            return [("deleted story", url(self.deleted_version.pk))]
        if name == "media_photo_describe":
            return [("colleague's photo", url(query=f"?id={self.photo.pk}"))]
        if "<" in route or "(" in route:
            what = _owner_of(name, objects)
            return [(what, url(objects[what].pk))]
        return [("—", url())]


def _owner_of(name, objects):
    model = {
        "articles_article": "colleague's draft",
        "media_photo": "colleague's photo",
        "articles_section": "section",
        "articles_tag": "tag",
        "newsroom_author": "author",
        "newsroom_user": "user",
        "auth_user": "user",
        "auth_group": "group",
        "django_tasks_database_dbtaskresult": "task",
        "newsroom_auditevent": "audit event",
        "axes_accessattempt": "sign-in attempt",
        "axes_accesslog": "sign-in log",
        "axes_accessfailurelog": "sign-in failure",
        "otp_totp_totpdevice": "colleague's phone",
        "api_partnerkey": "partner key",
    }
    return next(what for prefix, what in model.items() if name.startswith(prefix))


def autocomplete_fields():
    """
    app.model.field for every autocomplete field of every admin and inline, and
    for every lookup a form declares itself (the author's portrait, media/forms.py).
    """
    fields = []
    for model, model_admin in admin.site._registry.items():
        owners = [(model, model_admin)] + [
            (inline.model, inline) for inline in model_admin.get_inline_instances(_NoRequest())
        ]
        for owner, owner_admin in owners:
            for field in owner_admin.autocomplete_fields:
                fields.append(f"{owner._meta.app_label}.{owner._meta.model_name}.{field}")
            for form_field in owner_admin.form.declared_fields.values():
                if isinstance(form_field.widget, AutocompleteSelect):
                    source = form_field.widget.field
                    fields.append(f"{source.model._meta.label_lower}.{source.name}")
    return sorted(set(fields))


class _NoRequest:
    # Inline instances are listed as the superuser would see them.
    class user:
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(*args, **kwargs):
            return True


def _looks_up_photos(field):
    model, name = field.rsplit(".", 1)
    return apps.get_model(model)._meta.get_field(name).related_model._meta.label == "media.Photo"


def _autocomplete_query(field):
    app_label, model_name, field_name = field.split(".")
    # An inline's field is looked up through the inline's own model.
    return f"term=&app_label={app_label}&model_name={model_name}&field_name={field_name}"


def answer(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return "login"
        return "home" if location.startswith("/admin/") else "site"
    return str(response.status_code)


@pytest.fixture
def newsroom(db):
    return Newsroom()


def test_every_admin_page_answers_every_role_as_declared(client, newsroom):
    pages = admin_pages()
    unknown = []
    answers = {}
    for name, route in pages:
        for what, path in newsroom.fillings(name, route):
            if (name, what) not in ACCESS:
                unknown.append((name, what, route))
                continue
            for role in ROLES:
                person = newsroom.people[role]
                client.logout()
                if person is not None:
                    client.force_login(person)
                response = client.get(path)
                answers[(name, what, role)] = answer(response)
                _assert_nothing_leaks(newsroom, role, path, response)
    assert not unknown, f"admin pages ACCESS does not declare: {unknown}"
    mismatches = [
        (name, what, role, expected, answers[(name, what, role)])
        for (name, what), row in ACCESS.items()
        for role, expected in zip(ROLES, row.split(), strict=True)
        if answers.get((name, what, role), "never requested") != expected
    ]
    assert not mismatches, "\n".join(
        f"{name} ({what}) as {role}: expected {expected}, got {got}"
        for name, what, role, expected, got in mismatches
    )


def _assert_nothing_leaks(newsroom, role, path, response):
    if response.status_code != 200 or role not in {"reporter", "photographer"}:
        return
    text = response.content.decode()
    if role == "reporter":
        for title in newsroom.secret_titles:
            assert title not in text, f"{path} shows a reporter «{title}»"
        for story in newsroom.stories:
            assert story.slug not in text, f"{path} shows a reporter the address of «{story}»"
    if role == "photographer":
        for login in newsroom.login_names:
            if login != "zhanna":
                assert login not in text, f"{path} shows a photographer the login «{login}»"
