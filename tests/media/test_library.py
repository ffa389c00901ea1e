"""The photo library in the admin, and what photos do on the reader's side."""

import lxml.html
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from media.models import Photo, Rendition
from media.specs import Spec, standard_specs
from tests.factories import make_article, make_author, make_photo
from tests.media.conftest import fixture, upload
from tests.media.test_permissions import photo_data

pytestmark = pytest.mark.django_db


def test_library_lists_thumbnails_and_filters_by_photographer_use_and_completeness(
    client, editor, django_assert_max_num_queries
):
    staff = make_author("Данияр Сейітқали", portrait=False)
    used = make_photo(description="Шеру на площади", creator_author=staff)
    unused = make_photo(description="Пустая сцена")
    incomplete = make_photo(description="Без подписи", alt_text="")
    make_article(lead_photo=used)
    client.force_login(editor)

    # session, user, count, filtered count, photos, their thumbnails, photographers for the
    # filter, and the admin's own: the same budget for 3 photos or 30
    with django_assert_max_num_queries(12):
        page = client.get("/admin/media/photo/").content.decode()
    html = lxml.html.fromstring(page)
    thumbnails = html.xpath("//*[contains(@class, 'field-thumbnail')]//img/@src")
    assert len(thumbnails) == 3 and all("/original-160.jpg" in src for src in thumbnails)

    def listed(**query):
        response = client.get("/admin/media/photo/", query)
        return {str(photo) for photo in response.context["cl"].result_list}

    assert listed(used="yes") == {"Шеру на площади"}
    assert listed(used="no") == {"Пустая сцена", "Без подписи"}
    assert listed(complete="no") == {"Без подписи"}
    assert listed(creator_author__id__exact=staff.pk) == {"Шеру на площади"}
    assert listed(q="сцена") == {"Пустая сцена"}
    assert listed(q="akorda") == {"Шеру на площади", "Пустая сцена", "Без подписи"}
    assert unused.pk and incomplete.pk


def test_each_photo_lists_the_stories_that_use_it(client, editor):
    photo = make_photo()
    story = make_article("Токаев встретился с главой МККК", lead_photo=photo)
    client.force_login(editor)
    page = client.get(f"/admin/media/photo/{photo.pk}/change/").content.decode()
    assert "Токаев встретился с главой МККК" in page
    assert f"/admin/articles/article/{story.pk}/change/" in page


def test_a_photo_used_by_a_story_cannot_be_deleted_and_the_stories_are_named(client, editor):
    photo = make_photo()
    make_article("Токаев встретился с главой МККК", lead_photo=photo)
    client.force_login(editor)
    page = client.get(f"/admin/media/photo/{photo.pk}/delete/").content.decode()
    assert "Токаев встретился с главой МККК" in page
    client.post(f"/admin/media/photo/{photo.pk}/delete/", {"post": "yes"})
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_deleting_an_unused_photo_removes_its_files(
    client, editor, stored_files, django_capture_on_commit_callbacks
):
    before = stored_files()
    photo = make_photo()
    assert len(stored_files()) == len(before) + 3, "original and two admin thumbnails"
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/media/photo/{photo.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert stored_files() == before


def test_replacing_the_file_keeps_every_story_and_renews_the_renditions(
    client, editor, stored_files, django_capture_on_commit_callbacks
):
    photo = make_photo(fixture("agency-iptc.jpg"), "old.jpg", alt_text="Старое")
    story = make_article(lead_photo=photo)
    old_original, old_token = photo.original.name, photo.token
    photo.make_renditions([Spec("16x9", 320, "webp")])
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/media/photo/{photo.pk}/change/",
            photo_data(photo, replace_file=upload("exif-pillow.jpg")),
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo.refresh_from_db()
    assert Article.objects.get(pk=story.pk).lead_photo_id == photo.pk
    assert (photo.width, photo.height) == (90, 60)
    assert photo.token != old_token, "new addresses, so caches cannot serve the old picture"
    # The admin's thumbnails at once, every other rendition by the task queued on commit
    # (run at once in tests): all of the new picture, at its new address.
    renditions = dict(photo.renditions.values_list("spec", "file"))
    assert set(renditions) == {spec.name for spec in standard_specs()}
    assert all(f"/{photo.token}/" in name for name in renditions.values())
    assert not any(old_original in name for name in stored_files()), "old original removed"
    assert not any(f"/{old_token}/" in name for name in stored_files()), "old renditions removed"


def test_replacing_with_a_file_already_in_the_library_is_refused(client, editor):
    make_photo(fixture("exif-pillow.jpg"), "first.jpg")
    photo = make_photo(fixture("agency-iptc.jpg"), "second.jpg", alt_text="x")
    client.force_login(editor)
    response = client.post(
        f"/admin/media/photo/{photo.pk}/change/",
        photo_data(photo, replace_file=upload("exif-pillow.jpg")),
    )
    assert "replace_file" in response.context["adminform"].form.errors


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "nan", "inf", "abc"])
def test_focal_point_outside_the_photo_is_refused(client, editor, bad):
    photo = make_photo()
    client.force_login(editor)
    response = client.post(f"/admin/media/photo/{photo.pk}/change/", photo_data(photo, focal_x=bad))
    assert response.status_code == 200
    assert "focal_x" in response.context["adminform"].form.errors


def test_moving_the_focal_point_renews_the_crops(client, editor):
    photo = make_photo()
    photo.make_renditions([Spec("1x1", 160, "jpeg")])
    old_token = photo.token
    client.force_login(editor)
    response = client.post(
        f"/admin/media/photo/{photo.pk}/change/", photo_data(photo, focal_x="0.9", focal_y="0.2")
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.9, 0.2)
    assert photo.token != old_token
    assert not photo.renditions.filter(spec="1x1-160.jpg").exists()


def test_a_story_whose_photo_lacks_alt_text_or_credit_cannot_be_published():
    photo = make_photo(description="Шеру", alt_text="")
    story = make_article(lead_photo=photo, published=False)
    story.status = Article.Status.PUBLISHED
    story.published_at = story.created_at
    with pytest.raises(Exception) as refusal:
        story.full_clean()
    assert "Шеру" in str(refusal.value) and "lead_photo" in str(refusal.value)


def test_photographers_page_lists_their_photos_that_readers_have_seen(client):
    photographer = make_author("Данияр Сейітқали")
    seen = make_photo(description="Шеру на площади", creator_author=photographer)
    make_article(lead_photo=seen)
    embargoed = make_photo(description="Снимок под эмбарго", creator_author=photographer)
    make_article(lead_photo=embargoed, published=False)
    page = client.get(photographer.get_absolute_url()).content.decode()
    assert "Шеру на площади" in page
    assert "Снимок под эмбарго" not in page


def test_renditions_command_makes_what_is_missing_and_can_resume(capsys):
    first, second = make_photo(), make_photo()
    call_command("renditions", "--formats", "jpeg", "--photo", str(first.pk))
    expected = {spec.name for spec in standard_specs(("jpeg",))}
    assert set(first.renditions.values_list("spec", flat=True)) == expected
    assert set(second.renditions.values_list("spec", flat=True)) < expected
    call_command("renditions", "--formats", "jpeg", "--start-after", str(first.pk))
    assert set(second.renditions.values_list("spec", flat=True)) == expected
    count = Rendition.objects.count()
    call_command("renditions", "--formats", "jpeg")
    assert Rendition.objects.count() == count, "nothing made twice"
    output = capsys.readouterr()
    assert "0 renditions made for 2 photos" in output.out
    assert "2/2" in output.err, "a progress line"


def test_renditions_command_remakes_in_place_and_refuses_unknown_formats(
    django_capture_on_commit_callbacks,
):
    photo = make_photo()
    call_command("renditions", "--formats", "webp", verbosity=0)
    before = dict(photo.renditions.values_list("spec", "file"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("renditions", "--formats", "webp", "--replace", verbosity=0)
    after = dict(photo.renditions.values_list("spec", "file"))
    assert before == after, "the same addresses, remade"
    with pytest.raises(CommandError):
        call_command("renditions", "--formats", "gif")
