"""
A story's page is drawn once per version of what it shows, and a change to
anything it shows appears on the next request. The page cache is off here:
what is tested is the story's kept parts (articles/fragments.py).
"""

import pytest
from django.core.cache import cache

from articles import fragments
from articles.models import Byline
from media.models import Photo
from media.specs import USAGES
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_memo(monkeypatch):
    monkeypatch.setattr(fragments, "STORY_PAGES", fragments.Kept(size=100))


def body_with(photo, alt="Снимок в тексте"):
    return (
        "<p>Первый абзац.</p>"
        f'<figure><img src="/x.jpg" alt="{alt}" data-file="{photo.pk}"></figure>'
        "<p>Второй абзац.</p>"
    )


def make_full_story():
    photographer = make_author("Фотограф Первый")
    in_text = make_photo(creator_author=make_author("Фотограф Второй"), credit_line="")
    story = make_article(
        "Заголовок материала",
        section=make_section("Экономика"),
        authors=[make_author("Ирина Капитанова")],
        tags=["МККК"],
        lead_photo=make_photo(creator_author=photographer, credit_line="akorda.kz"),
        body=body_with(in_text),
    )
    return story, in_text


def seen(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_story_page_is_drawn_once_and_then_made_of_one_query(client, django_assert_num_queries):
    story, _photo = make_full_story()
    make_article("Ещё одна новость рубрики", section=story.section)
    first = seen(client, story)  # notes what the story shows
    assert seen(client, story) == first  # reads their versions first, and keeps the parts
    # the story's narrow row with its section = 1; «read also», translations and
    # navigation were read already, and are kept while the site's state holds
    with django_assert_num_queries(1):
        assert seen(client, story) == first


def test_read_also_follows_the_site_when_another_story_is_published(client):
    story, _photo = make_full_story()
    seen(client, story)
    assert "Новость, опубликованная позже" not in seen(client, story)
    later = make_article("Новость, опубликованная позже", section=story.section)
    assert later.title in seen(client, story)
    later.status = later.Status.DRAFT
    later.save()
    assert later.title not in seen(client, story)


def edit_title(story, photo):
    story.title = "Заголовок после правки"
    story.save()
    return "Заголовок после правки"


def rename_author(story, photo):
    author = story.bylines.get().author
    author.name = "Ирина Капитанова-Смит"
    author.save()
    return "Ирина Капитанова-Смит"


def rename_section(story, photo):
    story.section.name = "Экономика и финансы"
    story.section.save()
    return "Экономика и финансы"


def rename_tag(story, photo):
    tag = story.tags.get()
    tag.name = "Красный Крест"
    tag.save()
    return "Красный Крест"


def add_tag(story, photo):
    story.tags.add("Гуманитарная помощь")
    return "Гуманитарная помощь"


def add_byline(story, photo):
    Byline.objects.create(article=story, author=make_author("Второй Автор"), position=1)
    return "Второй Автор"


def correct_lead_photo_credit(story, photo):
    lead = story.lead_photo
    lead.credit_line = "Пресс-служба Акорды"
    lead.save()
    return "Пресс-служба Акорды"


def move_the_page_of_the_photographer_of_a_photo_in_the_text(story, photo):
    # The credit links to the photographer's page.
    author = photo.creator_author
    author.slug = "fotograf-vtoroy-novyy"
    author.save()
    return "/authors/fotograf-vtoroy-novyy/"


def relate_a_story(story, photo):
    story.related_stories.add(make_article("Связанный материал"))
    return "Связанный материал"


CHANGES = [
    edit_title,
    rename_author,
    rename_section,
    rename_tag,
    add_tag,
    add_byline,
    correct_lead_photo_credit,
    move_the_page_of_the_photographer_of_a_photo_in_the_text,
    relate_a_story,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_a_change_to_anything_a_story_shows_appears_on_the_next_request(client, change):
    story, photo = make_full_story()
    for _ in range(3):
        before = seen(client, story)
    assert fragments.STORY_PAGES.made.entries, "the parts were kept"
    story.refresh_from_db()
    expected = change(story, photo)
    assert expected not in before
    assert expected in seen(client, story)


def test_renditions_made_later_are_offered_on_the_next_request(client):
    story, _photo = make_full_story()
    for _ in range(3):
        assert 'type="image/avif"' not in seen(client, story)
    # The renditions task makes the lead photo's AVIF files after the page was drawn.
    Photo.objects.get(pk=story.lead_photo_id).make_renditions(USAGES["lead"].specs("avif"))
    assert 'type="image/avif"' in seen(client, story)


def test_an_unpublished_story_is_gone_on_the_next_request(client):
    story, _photo = make_full_story()
    for _ in range(3):
        seen(client, story)
    story.status = story.Status.DRAFT
    story.save()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_parts_are_not_kept_when_the_cache_has_lost_what_they_show(client):
    story, _photo = make_full_story()
    for _ in range(3):
        first = seen(client, story)
    # A cache that lost the versions (a restart, an eviction) never vouches for old parts.
    cache.clear()
    story.__class__.objects.filter(pk=story.pk).update(lead="Лид, изменённый без сигнала.")
    assert "Лид, изменённый без сигнала." in seen(client, story)
    assert seen(client, story) != first


def test_a_preview_never_leaves_its_parts_for_readers(client, rf):
    from django.contrib.auth.models import AnonymousUser

    from articles import previews

    story, _photo = make_full_story()
    unseen = make_article("Черновик, который видит только редакция", published=False)
    request = rf.get("/admin/preview/")
    request.user = AnonymousUser()
    # An old revision's preview may show other related stories than readers see.
    preview = previews.render_preview(request, story, {"related": [unseen]})
    assert unseen.title in preview.content.decode()
    assert unseen.title not in seen(client, story)
