"""A WordPress site's posts become stories: text, lead, state, time, section, tags, authors."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, Section
from newsroom.models import Author
from tests.wordpress.conftest import EXPORTS, run_import

pytestmark = pytest.mark.django_db


def story(wp_id):
    return Article.objects.get(old_addresses__path=f"?p={wp_id}")


def test_a_published_post_becomes_a_published_story_at_its_moment(imported):
    meeting = story(10)
    assert meeting.title == "Аким встретился с жителями: «Дорогу достроят к осени»"
    assert meeting.status == Article.Status.PUBLISHED
    # post_date_gmt is the moment; post_date (14:00) is the same moment in Almaty, UTC+5.
    assert meeting.published_at == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    assert meeting.created_at == meeting.published_at
    assert meeting.slug == "vstrecha-s-zhitelyami"
    assert meeting.language == "ru"
    assert meeting in Article.objects.published()


def test_the_excerpt_is_the_lead(imported):
    assert story(10).lead == "Аким района пообещал жителям достроить дорогу к осени."


def test_without_an_excerpt_the_first_paragraph_becomes_the_lead_and_leaves_the_text(imported):
    spring = story(11)
    assert spring.lead.startswith("Биыл даладағы қызғалдақтар әдеттегіден екі апта ерте гүлдеді.")
    assert "Биыл" not in spring.body
    assert "Синоптиктер наурыз айының соңына дейін" in spring.body


def test_kazakh_letters_survive_in_headline_slug_and_text(imported):
    spring = story(11)
    assert spring.title == "Далада көктем: қызғалдақтар ерте гүлдеді"
    assert spring.slug == "dalada-koktem"  # WordPress's percent-encoded slug, in our Latin
    for letter in "әғқңөұүһі":
        assert letter in (spring.title + spring.lead + spring.body).lower(), letter


@pytest.mark.parametrize(
    ("wp_id", "status", "public"),
    [
        (12, Article.Status.PUBLISHED, False),  # future: scheduled, shown from its moment
        (13, Article.Status.DRAFT, False),
        (14, Article.Status.REVIEW, False),  # pending
        (15, Article.Status.UNPUBLISHED, False),  # private
    ],
)
def test_wordpress_states_map_to_ours(imported, wp_id, status, public):
    found = story(wp_id)
    assert found.status == status
    assert Article.objects.published().filter(pk=found.pk).exists() is public


def test_a_future_post_is_scheduled_for_its_moment(imported):
    scheduled = story(12)
    assert scheduled.published_at == datetime(2099, 1, 10, 10, 0, tzinfo=UTC)
    assert Article.objects.scheduled().filter(pk=scheduled.pk).exists()


def test_drafts_have_no_publication_time(imported):
    assert story(13).published_at is None
    assert story(14).published_at is None


def test_trash_automatic_drafts_and_menus_are_not_imported_and_the_report_says_why(imported):
    assert not Article.objects.filter(title="Удалённая заметка").exists()
    assert "1 post: in WordPress's trash (16)" in imported
    assert "1 other: post type «nav_menu_item» (30)" in imported


def test_pages_are_imported_only_when_asked(db):
    report = run_import()
    assert "1 page: a page (--pages imports them) (20)" in report
    assert not Article.objects.filter(title="О редакции").exists()
    run_import(EXPORTS / "stepnye-vesti-1.2.xml", "--pages")
    about = Article.objects.get(title="О редакции")
    assert about.old_addresses.filter(path="?page_id=20").exists()


def test_a_sticky_post_is_a_top_story(imported):
    assert story(10).is_top
    assert not story(11).is_top


def test_nested_categories_become_their_top_level_section_and_the_report_says_so(imported):
    # «Выборы в маслихат» is under «Выборы», which is under «Политика».
    assert story(10).section.name == "Политика"
    assert story(12).section.name == "Политика"
    assert story(11).section.name == "Қоғам"  # the first of its two categories
    assert set(Section.objects.values_list("name", flat=True)) == {"Политика", "Қоғам", "Новости"}
    assert "Выборы в маслихат (nested) → Политика" in imported
    assert "Қоғам (%d2%9b%d0%be%d2%93%d0%b0%d0%bc) → Қоғам [created]" in imported


def test_an_existing_section_of_the_same_name_is_used(db):
    from tests.factories import make_section

    politics = make_section("Политика", slug="politics")
    report = run_import()
    assert story(10).section == politics
    assert "Политика (politika) → Политика [matched by name]" in report


def test_tags_become_tags(imported):
    assert set(story(10).tags.names()) == {"Акорда", "дороги"}
    assert {tag.slug for tag in story(10).tags.all()} == {"akorda", "dorogi"}


def test_wordpress_authors_become_authors_credited_on_their_stories(imported):
    assert [byline.author.name for byline in story(10).bylines.all()] == ["Иван Петров"]
    assert [byline.author.name for byline in story(11).bylines.all()] == ["Әсел Қанатқызы"]
    assert Author.objects.count() == 2
    assert not Author.objects.filter(user__isnull=False).exists()
    assert not get_user_model().objects.exists()


def test_staff_accounts_only_when_asked_as_reporters_without_a_usable_password(db):
    report = run_import(EXPORTS / "stepnye-vesti-1.2.xml", "--create-staff")
    asel = get_user_model().objects.get(username="asel")
    assert asel.is_staff and not asel.is_superuser
    assert not asel.has_usable_password()
    assert list(asel.groups.values_list("name", flat=True)) == ["Reporters"]
    assert asel.author.name == "Әсел Қанатқызы"
    assert asel.email == "asel@old.example.kz"
    assert "Staff accounts: 2 created" in report


def test_the_language_option_puts_the_stories_in_that_edition(db):
    run_import(EXPORTS / "stepnye-vesti-1.2.xml", "--language", "kk")
    assert set(Article.objects.values_list("language", flat=True)) == {"kk"}
    assert story(11).get_absolute_url().startswith("/kk/")


def test_an_unknown_language_is_refused_naming_the_option(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--language 'xx'"):
        run_import(EXPORTS / "stepnye-vesti-1.2.xml", "--language", "xx")
    assert not Article.objects.exists()


def test_a_wxr_1_1_export_is_read_too(db):
    report = run_import(EXPORTS / "kulan-1.1.xml")
    assert "(WXR 1.1)" in report
    old = Article.objects.get(old_addresses__path="?p=7")
    assert old.title == "Құлан табыны қайта оралды"
    assert old.section.name == "Табиғат"
    assert old.lead_photo is not None
    assert "<figure>" in old.body and 'data-file="' in old.body
    assert old.published_at == datetime(2012, 6, 1, 4, 15, tzinfo=UTC)


def test_a_category_named_like_one_of_the_sites_own_addresses_gets_another_slug(db, export_copy):
    run_import(
        export_copy(("<![CDATA[Новости]]></wp:cat_name>", "<![CDATA[Search]]></wp:cat_name>"))
    )
    section = Section.objects.get(name="Search")
    assert section.slug == "search-wordpress"
    assert story(13).get_absolute_url().startswith("/search-wordpress/")


def test_headlines_lose_markup_and_entities(db, export_copy):
    run_import(
        export_copy(
            ("Черновик: расследование о закупках", "Черновик &#8212; <b>закупки</b> &amp; тендеры")
        )
    )
    assert story(13).title == "Черновик — закупки & тендеры"


def test_readers_see_the_import_at_once_however_the_pages_were_cached(db, client, settings):
    from django.core.cache import cache

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    cache.clear()
    assert "Аким встретился" not in client.get("/").content.decode()
    run_import()
    assert "Аким встретился с жителями" in client.get("/").content.decode()
