"""
Every admin add and change form, walked from the admin site's registry, takes
hostile values in any of its fields: a form error or a 4xx, never a server
error, and nothing stored when the form is refused.

Each form is first read as a browser reads it (every field with its value,
inlines and management forms included); the examples then replace some fields,
or every text field, with hostile values (tests/newsroom/hostile.py), sent as
a browser would, percent-encoded, invalid UTF-8 included.
"""

from urllib.parse import quote_from_bytes

import lxml.html
import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from hypothesis import given
from hypothesis import strategies as st

from newsroom.models import AuditEvent
from tests.factories import make_article, make_author, make_editor, make_photo
from tests.newsroom.hostile import INVALID_UTF8, hostile_text, numbers

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
TEXT_INPUTS = {"text", "number", "email", "url", "search", "tel", "date", "time", "hidden", None}


@pytest.fixture
def newsroom(db):
    """Something of every kind the admin edits, for the change forms."""
    author = make_author("Ирина Капитанова", slug="irina")
    make_article("Наурыз в Алматы", authors=[author], tags=["nauryz"], lead_photo=make_photo())
    return make_editor()


@pytest.fixture
def forms_read():
    """Each form as first read, for all the examples of one test."""
    return {}


def encoded(value):
    if isinstance(value, bytes):
        return quote_from_bytes(value, safe="")
    return quote_from_bytes(value.encode("utf-8", "surrogatepass"), safe="")


def browser_form(response):
    """The admin's form as a browser would send it: [(name, value)], and the text fields."""
    page = lxml.html.fromstring(response.content)
    [form] = [f for f in page.forms if f.get("id", "").endswith("_form")]
    pairs = [(name, value) for name, value in form.form_values() if name != "csrfmiddlewaretoken"]
    text_fields = sorted(
        {
            element.name
            for element in form.inputs
            if element.name
            and not element.name.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MAX_NUM_FORMS"))
            and (element.tag == "textarea" or element.get("type") in TEXT_INPUTS)
        }
    )
    return pairs, text_fields, sorted({name for name, _value in pairs} | set(text_fields))


hostile_value = st.one_of(
    hostile_text,
    numbers,
    st.sampled_from(INVALID_UTF8),
)


def snapshot():
    """Every row the admin can change, to compare before and after a refused form."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in {"articles", "media", "newsroom", "auth", "taggit"}
        # A refusal is itself written to the audit log: that is the log doing its work.
        and model is not AuditEvent
    }


def form_url(model, view):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    if view == "add":
        return reverse(f"{name}_add")
    obj = model.objects.order_by("pk").first()
    if obj is None:
        return None
    try:
        return reverse(f"{name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("view", ["add", "change"])
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
@given(data=st.data())
def test_an_admin_form_with_hostile_values_is_a_form_error_or_saved_never_a_server_error(
    client, newsroom, forms_read, model, view, data
):
    client.force_login(newsroom)
    url = form_url(model, view)
    if url is None:
        return  # nothing of this kind to change; its add form is walked all the same
    if url not in forms_read:
        page = client.get(url)
        # The photo library adds through its upload page; task results are read-only.
        assert page.status_code in {200, 302, 403}, url
        forms_read[url] = browser_form(page) if page.status_code == 200 else None
    if forms_read[url] is None:
        return
    pairs, text_fields, names = forms_read[url]
    if data.draw(st.booleans(), label="every text field"):
        replaced = {name: data.draw(hostile_value, label=name) for name in text_fields}
    else:
        replaced = data.draw(
            st.dictionaries(st.sampled_from(names), hostile_value, min_size=1, max_size=4),
            label="fields",
        )
    sent = [(name, replaced.get(name, value)) for name, value in pairs]
    sent += [(name, value) for name, value in replaced.items() if name not in dict(pairs)]
    body = "&".join(f"{encoded(name)}={encoded(value)}" for name, value in sent)
    before = snapshot()

    response = client.post(url, body, content_type="application/x-www-form-urlencoded")

    # The test client raises whatever a view raises: a server error fails here.
    assert response.status_code in {200, 302, 400, 403}, url
    if response.status_code != 302:
        assert snapshot() == before, "a refused form stored nothing"
