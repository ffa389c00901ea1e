"""
Apps and partners read the published stories of each edition: a list they can
filter by section, tag, author and time, and each story whole, its text both
as HTML and as blocks an app draws itself, with bylines, photos and credits.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Byline
from tests.api.conftest import get, ids
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

STORIES = "/api/v1/stories/"


def at(hours_ago):
    return timezone.now() - timedelta(hours=hours_ago)


def test_the_list_is_the_editions_published_stories_newest_first(api):
    older = make_article(published_at=at(3))
    newer = make_article(published_at=at(1))
    make_article(published=False)
    make_article(language="kk", published_at=at(2))
    assert ids(get(api, STORIES)) == [newer.pk, older.pk]


def test_each_edition_lists_its_own_stories(api):
    make_article(published_at=at(1))
    kazakh = make_article("Жаңалық", language="kk", published_at=at(2))
    page = get(api, STORIES, edition="kk")
    assert ids(page) == [kazakh.pk]
    assert page["results"][0]["url"].endswith(kazakh.get_absolute_url())
    assert "/kk/" in page["results"][0]["url"]


def test_stories_filtered_by_section_tag_and_author(api):
    sport, economy = make_section("Спорт"), make_section("Экономика")
    author = make_author("Асель Бекова")
    by_her = make_article(section=sport, authors=[author], tags=["футбол"], published_at=at(1))
    other = make_article(section=economy, tags=["нефть"], published_at=at(2))
    assert ids(get(api, STORIES, section=sport.slug)) == [by_her.pk]
    assert ids(get(api, STORIES, section=economy.slug)) == [other.pk]
    assert ids(get(api, STORIES, tag="futbol")) == [by_her.pk]
    assert ids(get(api, STORIES, author=author.slug)) == [by_her.pk]
    assert ids(get(api, STORIES, section="net-takoy")) == []


def test_an_author_with_two_roles_on_a_story_lists_it_once(api):
    author = make_author()
    story = make_article(authors=[author])
    Byline.objects.create(article=story, author=author, role=Byline.Role.PHOTO, position=1)
    assert ids(get(api, STORIES, author=author.slug)) == [story.pk]


def test_stories_filtered_by_time(api):
    old = make_article(published_at=at(50))
    new = make_article(published_at=at(1))
    day_ago = at(24)
    assert ids(get(api, STORIES, published_after=day_ago.isoformat())) == [new.pk]
    assert ids(get(api, STORIES, published_before=day_ago.isoformat())) == [old.pk]
    # The site's own way of writing a date, Almaty time.
    local = timezone.localtime(day_ago).strftime("%d.%m.%Y %H:%M")
    assert ids(get(api, STORIES, published_after=local)) == [new.pk]


def test_the_cursor_walks_the_whole_list_once_even_through_stories_of_one_moment(api):
    moment = at(5)
    same = [make_article(published_at=moment) for _ in range(5)]
    others = [make_article(published_at=at(hours)) for hours in (1, 2, 9)]
    expected = [
        story.pk
        for story in sorted(
            same + others, key=lambda story: (story.published_at, story.pk), reverse=True
        )
    ]
    seen, params = [], {"page_size": 2}
    while True:
        page = get(api, STORIES, **params)
        seen += ids(page)
        if page["next_cursor"] is None:
            assert page["next"] is None
            break
        assert "cursor=" in page["next"] and page["next"].startswith("http")
        params["cursor"] = page["next_cursor"]
    assert seen == expected


def test_a_cursor_keeps_the_filters_in_the_next_address(api):
    section = make_section()
    for hours in range(3):
        make_article(section=section, published_at=at(hours + 1))
    page = get(api, STORIES, section=section.slug, page_size=2)
    assert f"section={section.slug}" in page["next"]
    rest = get(api, STORIES, section=section.slug, page_size=2, cursor=page["next_cursor"])
    assert len(rest["results"]) == 1 and rest["next"] is None


@pytest.fixture
def full_story(db):
    photographer = make_author("Данияр Сейтказин")
    lead = make_photo(
        creator="Данияр Сейтказин", creator_author=photographer, copyright_notice="© ЦКС"
    )
    inside = make_photo(credit_line="Пресс-служба Акорды")
    section = make_section("Политика", name_kk="Саясат")
    writer = make_author("Ирина Капитанова")
    story = make_article(
        "Токаев встретился с делегацией",
        section=section,
        authors=[writer],
        tags=["Акорда"],
        lead_photo=lead,
        lead_photo_caption="Встреча в Акорде",
        body=(
            "<p>Первый <strong>абзац</strong> и <a href='https://akorda.kz'>ссылка</a>.</p>"
            "<h2>Подзаголовок</h2>"
            "<blockquote><p>Цитата президента.</p></blockquote>"
            "<ul><li>Один</li><li>Два</li></ul>"
            f'<figure><img src="/x.jpg" data-file="{inside.pk}">'
            "<figcaption>Участники встречи</figcaption></figure>"
            "<ol><li>Первое</li></ol>"
        ),
        corrected_at=at(0.5),
        correction_note="Исправлена должность.",
        source_name="Акорда",
        source_url="https://akorda.kz/",
    )
    Byline.objects.create(article=story, author=photographer, role=Byline.Role.PHOTO, position=1)
    kazakh = make_article(
        "Тоқаев делегациямен кездесті", section=section, language="kk", translation_of=story
    )
    make_article("Tokayev met the delegation", language="en", translation_of=story, published=False)
    return {"story": story, "kazakh": kazakh, "lead": lead, "inside": inside}


def test_a_story_comes_with_its_text_as_html_and_as_blocks(api, full_story):
    story, inside = full_story["story"], full_story["inside"]
    data = get(api, f"{STORIES}{story.pk}/")
    assert data["title"] == story.title and data["edition"] == "ru"
    assert "<strong>абзац</strong>" in data["body_html"]
    assert "<script" not in data["body_html"]
    # Each photo in the text: a figure with full addresses and the photo's credit.
    assert 'src="http://' in data["body_html"]
    assert "Пресс-служба Акорды" in data["body_html"]
    kinds = [block["type"] for block in data["blocks"]]
    assert kinds == ["paragraph", "heading", "quote", "list", "figure", "list"]
    paragraph, heading, quote, bullets, figure, numbered = data["blocks"]
    assert paragraph["html"] == (
        'Первый <strong>абзац</strong> и <a href="https://akorda.kz">ссылка</a>.'
    )
    assert paragraph["text"] == "Первый абзац и ссылка."
    assert heading == {
        "type": "heading",
        "level": 2,
        "html": "Подзаголовок",
        "text": "Подзаголовок",
    }
    assert quote["text"] == "Цитата президента."
    assert bullets["ordered"] is False and [item["text"] for item in bullets["items"]] == [
        "Один",
        "Два",
    ]
    assert numbered["ordered"] is True
    assert figure["photo"]["id"] == inside.pk
    assert figure["photo"]["caption"] == "Участники встречи"
    assert figure["photo"]["credit"]["creditText"] == "Пресс-служба Акорды"
    assert figure["photo"]["alt"] == inside.alt_text


def test_a_story_names_its_authors_with_their_roles(api, full_story):
    data = get(api, f"{STORIES}{full_story['story'].pk}/")
    assert [(b["author"]["name"], b["role"]) for b in data["bylines"]] == [
        ("Ирина Капитанова", "text"),
        ("Данияр Сейтказин", "photo"),
    ]
    assert data["bylines"][1]["role_name"] == "Фото"
    assert data["bylines"][0]["author"]["url"].endswith("/authors/irina-kapitanova/")


def test_the_lead_photo_comes_with_its_renditions_and_credit(api, full_story):
    lead = full_story["lead"]
    photo = get(api, f"{STORIES}{full_story['story'].pk}/")["lead_photo"]
    assert photo["id"] == lead.pk and photo["caption"] == "Встреча в Акорде"
    assert photo["alt"] == lead.alt_text
    jpeg = photo["renditions"]["jpeg"]
    assert jpeg and all(r["url"].startswith("http") and r["width"] > 0 for r in jpeg)
    assert [r["width"] for r in jpeg] == sorted(r["width"] for r in jpeg)
    assert "webp" in photo["renditions"]
    assert photo["credit"]["creditText"] == lead.credit_line
    assert photo["credit"]["copyrightNotice"] == "© ЦКС"
    assert photo["credit"]["creator"]["name"] == "Данияр Сейтказин"
    assert photo["credit"]["creator"]["url"].endswith(lead.creator_author.get_absolute_url())


def test_a_story_lists_its_published_translations_and_its_correction(api, full_story):
    story, kazakh = full_story["story"], full_story["kazakh"]
    data = get(api, f"{STORIES}{story.pk}/")
    assert [(t["id"], t["edition"]) for t in data["translations"]] == [(kazakh.pk, "kk")]
    assert data["translations"][0]["api_url"].endswith(f"{STORIES}{kazakh.pk}/")
    assert data["correction_note"] == "Исправлена должность."
    assert data["corrected_at"] is not None
    assert data["source"] == {"name": "Акорда", "url": "https://akorda.kz/"}
    assert data["section"]["name"] == "Политика"
    # The translation's own section name is its edition's.
    assert get(api, f"{STORIES}{kazakh.pk}/")["section"]["name"] == "Саясат"


def test_a_list_item_has_everything_but_the_text(api, full_story):
    [item] = [s for s in get(api, STORIES)["results"] if s["id"] == full_story["story"].pk]
    assert "body_html" not in item and "blocks" not in item
    assert item["lead_photo"]["renditions"]["jpeg"]
    assert [tag["slug"] for tag in item["tags"]] == ["akorda"]


def test_sections_tags_and_authors_of_an_edition(api, full_story):
    sections = get(api, "/api/v1/sections/")["results"]
    assert [s["name"] for s in sections] == ["Политика"]
    assert get(api, "/api/v1/sections/", edition="kk")["results"][0]["name"] == "Саясат"
    assert [t["slug"] for t in get(api, "/api/v1/tags/")["results"]] == ["akorda"]
    authors = get(api, "/api/v1/authors/")["results"]
    assert sorted(a["name"] for a in authors) == ["Данияр Сейтказин", "Ирина Капитанова"]
    assert authors[0]["stories"].startswith("http")
    assert get(api, "/api/v1/tags/", edition="en")["results"] == []


def test_tags_and_authors_are_paged_by_cursor(api):
    for name in ["альфа", "бета", "гамма"]:
        make_article(tags=[name], authors=[make_author(name.title())])
    for path in ["/api/v1/tags/", "/api/v1/authors/"]:
        first = get(api, path, page_size=2)
        second = get(api, path, page_size=2, cursor=first["next_cursor"])
        slugs = [item["slug"] for item in first["results"] + second["results"]]
        assert len(slugs) == 3 and slugs == sorted(slugs) and second["next"] is None


def test_search_finds_stories_as_the_sites_search_does(api):
    found = make_article("Наурыз в Алматы", lead="Праздник весны.")
    make_article("Погода")
    make_article("Наурыз втайне", published=False)
    kazakh = make_article("Тоқаевтың сапары", language="kk")
    page = get(api, "/api/v1/search/", q="наурыз")
    assert ids(page) == [found.pk]
    assert "<mark>" in page["results"][0]["snippet"] or page["results"][0]["snippet"]
    assert page["more"] is False
    assert ids(get(api, "/api/v1/search/", q="Тоқаев", edition="kk")) == [kazakh.pk]
    assert ids(get(api, "/api/v1/search/", q="")) == []


def test_search_results_are_paged_by_cursor(api):
    stories = [make_article(f"Байконур {n}", published_at=at(n + 1)) for n in range(3)]
    first = get(api, "/api/v1/search/", q="Байконур", page_size=2)
    second = get(api, "/api/v1/search/", q="Байконур", page_size=2, cursor=first["next_cursor"])
    assert sorted(ids(first) + ids(second)) == sorted(story.pk for story in stories)
    assert second["next"] is None


def test_the_api_root_lists_every_endpoint(api):
    data = get(api, "/api/v1/")
    assert set(data) == {
        "story-list",
        "section-list",
        "tag-list",
        "author-list",
        "search",
        "schema",
    }


def test_a_story_saved_with_hostile_markup_comes_out_sanitised(api):
    story = make_article(
        body='<p onclick="x()">Текст<script>alert(1)</script></p><iframe></iframe>'
    )
    data = get(api, f"{STORIES}{story.pk}/")
    assert "script" not in data["body_html"] and "onclick" not in data["body_html"]
    assert "iframe" not in str(data["blocks"])
    assert Article.objects.get(pk=story.pk).body == data["body_html"]
