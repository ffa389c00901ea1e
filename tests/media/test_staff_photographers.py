"""
A photo's «staff photographer» is chosen among photographers: authors in the
Photographers group, and authors already credited for a photo. Every other author
is neither offered nor accepted.
"""

import pytest

from media.models import Photo
from tests.factories import make_author, make_photo
from tests.media.test_permissions import photo_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(photographer, reporter):
    return {
        "photographer": photographer.author,
        "reporter": reporter.author,
        "columnist": make_author("Колумнист Без Снимков", portrait=False),
        "freelancer": make_author("Внештатный Фотограф", portrait=False),
    }


@pytest.fixture
def photo(people):
    make_photo(description="Давний снимок", creator_author=people["freelancer"])
    return make_photo(description="Площадь Республики")


def lookup(client, term=""):
    response = client.get(
        "/admin/autocomplete/",
        {"term": term, "app_label": "media", "model_name": "photo", "field_name": "creator_author"},
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


def test_the_lookup_offers_photographers_only(client, editor, people, photo):
    client.force_login(editor)
    assert lookup(client) == {"Данияр Сейітқали", "Внештатный Фотограф"}
    assert lookup(client, "Колумнист") == set()


def test_the_batch_description_offers_photographers_only(client, editor, people, photo):
    # Without the lookup (the batch description page), the plain list is as short.
    client.force_login(editor)
    page = client.get(f"/admin/media/photo/describe/?id={photo.pk}").content.decode()
    assert "Данияр Сейітқали" in page and "Внештатный Фотограф" in page
    assert "Ирина Капитанова" not in page and "Колумнист Без Снимков" not in page


@pytest.mark.parametrize("who", ["photographer", "freelancer"])
def test_a_photographer_is_accepted(client, editor, people, photo, who):
    client.force_login(editor)
    data = photo_data(photo, creator_author=people[who].pk)
    assert client.post(f"/admin/media/photo/{photo.pk}/change/", data).status_code == 302
    assert Photo.objects.get(pk=photo.pk).creator_author == people[who]


@pytest.mark.parametrize(
    "value", ["reporter", "columnist", "x", "99999999999999999999999", "1 OR 1=1"]
)
def test_anyone_else_is_refused_on_the_field(client, editor, people, photo, value):
    client.force_login(editor)
    posted = people[value].pk if value in people else value
    data = photo_data(photo, creator_author=posted)
    response = client.post(f"/admin/media/photo/{photo.pk}/change/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["creator_author"]
    if value in people:
        assert errors["creator_author"] == [
            "Выберите корректный вариант. Вашего варианта нет среди допустимых значений."
        ]
    assert Photo.objects.get(pk=photo.pk).creator_author is None


def test_the_batch_description_refuses_anyone_else_too(client, editor, people, photo):
    client.force_login(editor)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "id": [str(photo.pk)],
        **{f"form-0-{name}": value for name, value in photo_data(photo).items()},
        "form-0-id": str(photo.pk),
        "form-0-creator_author": str(people["columnist"].pk),
    }
    response = client.post("/admin/media/photo/describe/", data)
    assert response.status_code == 200
    assert "creator_author" in response.context["formset"].forms[0].errors
    assert Photo.objects.get(pk=photo.pk).creator_author is None
