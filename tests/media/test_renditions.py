"""What readers fetch: renditions that are safe, credited, upright, sRGB and made once."""

import io

import lxml.html
import pytest
from django.template import Context, Template
from PIL import Image

from media import imaging
from media.models import Photo, Rendition
from media.specs import SHARE_SPEC, Spec, parse, standard_specs
from tests.factories import make_photo
from tests.media.conftest import fixture

pytestmark = pytest.mark.django_db

EVERY_FORMAT = [Spec("original", 480, "jpeg"), Spec("16x9", 320, "webp"), Spec("1x1", 160, "avif")]


def open_rendition(rendition):
    with rendition.file.open("rb") as file:
        data = file.read()
    return data, Image.open(io.BytesIO(data))


@pytest.fixture
def staff_photo():
    return make_photo(fixture("staff-gps-rotated.jpg"), "staff.jpg", alt_text="Шеру")


def test_no_public_file_carries_location_or_device_data(staff_photo):
    # The original has GPS, make, model, camera and lens serial numbers.
    assert b"012345678901" in fixture("staff-gps-rotated.jpg")
    for rendition in staff_photo.make_renditions([*EVERY_FORMAT, SHARE_SPEC]):
        data, image = open_rendition(rendition)
        exif = image.getexif()
        assert 0x8825 not in exif, f"GPS in {rendition.spec}"
        assert not exif.get_ifd(0x8825), f"GPS in {rendition.spec}"
        for secret in (b"012345678901", b"9876543210", b"Canon", b"EOS R6", b"43.23", b"76.88"):
            assert secret not in data, f"{secret!r} in {rendition.spec}"


def test_renditions_keep_credit_and_copyright_as_xmp(staff_photo):
    for rendition in staff_photo.make_renditions(EVERY_FORMAT):
        data, image = open_rendition(rendition)
        metadata = imaging.read_metadata(image)
        assert metadata["creator"] == "Данияр Сейітқали", rendition.spec
        assert metadata["credit_line"] == "Данияр Сейітқали / Newsroom"
        assert metadata["copyright_notice"] == "© 2026 Данияр Сейітқали"
        assert metadata["usage_terms"] == "Только для редакционного использования"


def test_originals_are_never_public(staff_photo, client):
    with pytest.raises(ValueError):
        staff_photo.original.url  # noqa: B018
    assert client.get("/uploads/" + staff_photo.original.name).status_code == 404


def test_exif_orientation_is_applied_so_portraits_stand_upright(staff_photo):
    # The fixture is stored 120×80 with orientation 6 and a red mark in its top-left
    # corner; upright, the photo is 80×120 and the mark is in the top-right corner.
    rendition = staff_photo.make_renditions([Spec("original", 160, "jpeg")])[0]
    _data, image = open_rendition(rendition)
    assert image.size == (80, 120)
    red, green, blue = image.convert("RGB").getpixel((75, 5))
    assert red > 180 and green < 80 and blue < 80
    assert "Orientation" not in str(dict(image.getexif()))


def test_wide_gamut_colours_are_converted_to_srgb():
    photo = make_photo(fixture("prophoto.jpg"), "prophoto.jpg")
    rendition = photo.make_renditions([Spec("original", 160, "jpeg")])[0]
    _data, image = open_rendition(rendition)
    assert "icc_profile" not in image.info or not image.info["icc_profile"]
    red, green, blue = image.convert("RGB").getpixel((10, 10))
    # (150, 60, 60) in ProPhoto RGB is a far more saturated red in sRGB.
    assert red > 170 and green < 50, (red, green, blue)


def test_crops_keep_the_focal_point():
    # A 300×100 picture, black but for a white square near its right edge.
    image = Image.new("RGB", (300, 100))
    image.paste((255, 255, 255), (250, 40, 270, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    photo = make_photo(buffer.getvalue(), "focal.png", focal_x=260 / 300, focal_y=0.5)
    square = photo.make_renditions([Spec("1x1", 160, "jpeg")])[0]
    _data, rendered = open_rendition(square)
    assert rendered.size == (100, 100)
    assert rendered.convert("L").getpixel((60, 50)) > 200, "the white square is in the crop"
    centred = imaging.focal_crop(300, 100, (1, 1))
    assert centred == (100.0, 0, 200.0, 100), "without a focal point, the centre"


def test_sizes_follow_the_crop_and_never_enlarge():
    photo = make_photo(fixture("staff-gps-rotated.jpg"), "small.jpg")  # 80×120 upright
    assert Spec("original", 1600, "jpeg").size_for(photo.width, photo.height) == (80, 120)
    assert Spec("16x9", 640, "jpeg").size_for(1600, 900) == (640, 360)
    assert Spec("4x3", 800, "jpeg").size_for(4000, 6000) == (800, 600)
    assert SHARE_SPEC.size_for(10, 10) == (1200, 630)
    made = photo.make_renditions([Spec("16x9", 1920, "webp"), SHARE_SPEC])
    assert [(r.width, r.height) for r in made] == [(80, 45), (1200, 630)]
    assert [open_rendition(r)[1].size for r in made] == [(80, 45), (1200, 630)]


def test_one_rendition_per_photo_and_spec_made_once_and_reused(staff_photo):
    spec = Spec("16x9", 640, "webp")
    first = staff_photo.make_renditions([spec])[0]
    again = staff_photo.make_renditions([spec])[0]
    assert first.pk == again.pk
    assert Rendition.objects.filter(photo=staff_photo, spec=spec.name).count() == 1


def test_rendition_race_keeps_one_row_and_no_orphan_file(staff_photo, stored_files):
    spec = Spec("1x1", 320, "jpeg")
    rendered = imaging.render(fixture("staff-gps-rotated.jpg"), [spec])[0]
    winner = Rendition.store(staff_photo, rendered)
    files = stored_files()
    loser = Rendition.store(staff_photo, rendered)  # as if a second process got here too
    assert loser.pk == winner.pk
    assert stored_files() == files


def test_spec_names_outside_the_fixed_set_are_not_renditions():
    assert parse("16x9-640.webp") == Spec("16x9", 640, "webp")
    assert parse("share.jpg") == SHARE_SPEC
    for name in [
        "16x9-641.webp",
        "16x9-99999.jpg",
        "2x1-640.jpg",
        "16x9-640.gif",
        "../x",
        "",
        "share.webp",
    ]:
        assert parse(name) is None, name


def test_rendition_endpoint_makes_a_rendition_on_first_request_then_points_to_it(
    client, staff_photo, django_assert_max_num_queries
):
    url = staff_photo.rendition_url(Spec("16x9", 320, "webp"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    assert Image.open(io.BytesIO(response.content)).size == (80, 45)
    # photo; existing rendition
    with django_assert_max_num_queries(2):
        again = client.get(url)
    assert again.status_code == 302
    assert again["Location"].startswith("/uploads/renditions/")


@pytest.mark.parametrize(
    "path",
    [
        "/img/{pk}-{token}/16x9-641.webp",
        "/img/{pk}-{token}/nonsense",
        "/img/{pk}-0000000000000000/16x9-640.webp",
        "/img/{pk}-{token}%00/16x9-640.webp",
        "/img/{pk}-{token}/16x9-640.webp%00",
        "/img/999999999999999999999-{token}/16x9-640.webp",
        "/img/abc-{token}/16x9-640.webp",
        "/img/{pk}-{token}/..%2F..%2Fsecret-key.txt",
    ],
)
def test_rendition_endpoint_refuses_anything_else(client, staff_photo, path):
    url = path.format(pk=staff_photo.pk, token=staff_photo.token)
    assert client.get(url).status_code in {400, 404}
    assert client.post(url.replace("16x9-641", "16x9-640")).status_code in {400, 404, 405}


def render_picture(photo, usage="lead", alt="Шеру"):
    template = Template('{% load photos %}{% picture photo usage alt=alt loading="lazy" %}')
    html = template.render(Context({"photo": photo, "usage": usage, "alt": alt}))
    return lxml.html.fragment_fromstring(html)


def test_picture_offers_webp_and_jpeg_with_sizes_and_dimensions():
    photo = make_photo(imaging.drawn_landscape(1600, 900, seed=1), "wide.jpg")
    picture = render_picture(photo, "card")
    sources = list(picture.iter("source"))
    assert [s.get("type") for s in sources] == ["image/webp"], "no AVIF until it is made"
    webp = sources[0].get("srcset")
    assert [entry.rsplit(" ", 1)[1] for entry in webp.split(", ")] == [
        "320w",
        "640w",
        "960w",
        "1280w",
    ]
    img = next(picture.iter("img"))
    assert (img.get("width"), img.get("height")) == ("640", "360")
    assert img.get("loading") == "lazy" and img.get("alt") == "Шеру"
    assert img.get("sizes") and sources[0].get("sizes") == img.get("sizes")


def test_picture_offers_avif_once_the_renditions_command_made_it():
    from django.core.management import call_command

    photo = make_photo(imaging.drawn_landscape(800, 450, seed=2), "avif.jpg")
    call_command("renditions", "--formats", "avif", "--photo", str(photo.pk), verbosity=0)
    photo = Photo.objects.prefetch_related("renditions").get(pk=photo.pk)
    types = [s.get("type") for s in render_picture(photo, "card").iter("source")]
    assert types == ["image/avif", "image/webp"]


def test_picture_of_a_small_photo_lists_no_width_twice():
    photo = make_photo(fixture("staff-gps-rotated.jpg"), "small.jpg")  # 80 px wide
    srcset = next(render_picture(photo, "lead").iter("img")).get("srcset")
    assert srcset.count(" 80w") == 1


def test_every_standard_spec_has_a_distinct_name():
    specs = standard_specs()
    assert len({spec.name for spec in specs}) == len(specs)
    assert all(parse(spec.name) == spec for spec in specs)


def test_large_photos_render_from_a_private_working_copy(
    monkeypatch, stored_files, django_capture_on_commit_callbacks
):
    before = stored_files()
    photo = make_photo(imaging.drawn_landscape(3000, 2000, seed=3), "large.jpg")
    assert photo.working_copy
    with pytest.raises(ValueError):
        photo.working_copy.url  # noqa: B018 — private, like the original
    with photo.working_copy.open("rb") as file:
        working = file.read()
    assert Image.open(io.BytesIO(working)).size == (2560, 1707)

    sources = []
    real_render = imaging.render
    monkeypatch.setattr(
        imaging,
        "render",
        lambda data, *a, **k: sources.append(len(data)) or real_render(data, *a, **k),
    )
    made = photo.make_renditions([Spec("original", 1920, "jpeg"), Spec("16x9", 1280, "webp")])
    assert sources == [len(working)], "made from the working copy, not the original"
    assert [(r.width, r.height) for r in made] == [(1920, 1280), (1280, 720)]
    assert [open_rendition(r)[1].size for r in made] == [(1920, 1280), (1280, 720)]

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert stored_files() == before, "original, working copy and renditions all gone"


def test_a_photo_knows_its_renditions_so_pages_link_them_without_reading_rows(
    django_assert_num_queries,
):
    photo = make_photo()
    card = Spec("16x9", 320, "webp")
    assert card.name not in photo.made_spec_names
    assert "/img/" in photo.rendition_url(card)  # not made yet: its maker
    photo.make_renditions([card])
    fresh = Photo.objects.get(pk=photo.pk)
    with django_assert_num_queries(0):
        url = fresh.rendition_url(card)
    assert url == Rendition.objects.get(photo=photo, spec=card.name).file.url


def test_an_editor_form_opened_before_renditions_were_made_does_not_forget_them():
    photo = make_photo()
    opened = Photo.objects.get(pk=photo.pk)  # as the admin's form loads it
    photo.make_renditions([Spec("16x9", 320, "webp")])
    # Alt text, which renditions do not carry (a new credit renews them: test_credits.py).
    opened.alt_text = "Шеру на площади"
    opened.save()
    assert "16x9-320.webp" in Photo.objects.get(pk=photo.pk).made_spec_names
    assert Photo.objects.get(pk=photo.pk).alt_text == "Шеру на площади"


def test_a_new_file_or_focal_point_forgets_every_rendition_address():
    photo = make_photo()
    photo.make_renditions([Spec("16x9", 320, "webp")])
    photo.forget_renditions()
    photo.save()
    assert Photo.objects.get(pk=photo.pk).made_spec_names == set()
