"""
manage.py generate_archive: a made-up archive shaped like a Kazakh news site's,
to measure pages at scale. It is the same archive every time for a seed, and an
interrupted or extended run ends as one run would have.
"""

import re
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articles import search
from articles.body import plain_text
from articles.management.commands import generate_archive
from articles.models import Article, Byline, Tag, TaggedArticle
from media.imaging import drawn_landscape
from media.models import Photo
from newsroom.models import Author
from tests.factories import make_article

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(second=0, microsecond=0)
NUMBER = re.compile(r"-g(\d+)$")


@pytest.fixture(autouse=True)
def frozen_time():
    # The archive counts back from "now": the same now for every run in a test.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def small_pictures(monkeypatch):
    # How photos are shared is the subject here, not their pixels: small ones draw fast.
    monkeypatch.setattr(
        generate_archive,
        "drawn_landscape",
        lambda width, height, seed: drawn_landscape(64, 36, seed=seed),
    )


def generate(stories, **options):
    call_command("generate_archive", stories=stories, verbosity=0, **options)


def generated():
    """The generated stories by number, with what pages read of them."""
    stories = (
        Article.objects.filter(slug__regex=r"-g[0-9]+$")
        .select_related("section", "translation_of")
        .prefetch_related("bylines__author", "tags", "related_stories")
    )
    return {int(NUMBER.search(story.slug)[1]): story for story in stories}


def number(story):
    return int(NUMBER.search(story.slug)[1]) if story else None


def snapshot():
    """Everything of each story that a second run must make the same, by number."""
    return {
        i: (
            story.title,
            story.slug,
            story.lead,
            story.body,
            story.language,
            story.section.slug,
            story.status,
            story.published_at,
            story.is_top,
            story.lead_photo_id,
            story.lead_photo_caption,
            story.source_name,
            story.corrected_at,
            number(story.translation_of),
            sorted(number(other) for other in story.related_stories.all()),
            sorted(tag.name for tag in story.tags.all()),
            [(b.author.name, b.role, b.position) for b in story.bylines.all()],
        )
        for i, story in generated().items()
    }


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, Byline, TaggedArticle, Tag, Photo, Article.related_stories.through)
    }


def share(stories, condition):
    stories = list(stories)
    return sum(1 for story in stories if condition(story)) / len(stories)


@pytest.fixture
def archive():
    generate(400, batch=150)
    return generated()


def test_archive_holds_the_stories_asked_for_in_the_editions_shares(archive):
    assert sorted(archive) == list(range(400))
    languages = [story.language for story in archive.values()]
    assert 0.78 < languages.count("ru") / 400 < 0.92
    assert 0.05 < languages.count("kk") / 400 < 0.15
    assert 0.02 < languages.count("en") / 400 < 0.09


def test_archive_has_published_scheduled_draft_review_and_unpublished_stories(archive):
    stories = archive.values()
    published = [s for s in stories if s.status == "published" and s.published_at <= NOW]
    scheduled = [s for s in stories if s.status == "published" and s.published_at > NOW]
    assert len(published) > 390
    assert scheduled and all(s.published_at < NOW + timedelta(days=4) for s in scheduled)
    by_status = Counter(story.status for story in stories)
    assert by_status["draft"] and by_status["review"] and by_status["unpublished"]
    assert all(s.published_at is None for s in stories if s.status in ("draft", "review"))


def test_stories_go_back_a_hundred_a_day_with_about_one_top_story_a_day(archive):
    times = [s.published_at for s in archive.values() if s.published_at and s.published_at <= NOW]
    assert NOW - timedelta(days=1) < max(times) <= NOW
    assert NOW - timedelta(days=5) < min(times) < NOW - timedelta(days=3)
    assert 1 <= sum(story.is_top for story in archive.values()) <= 12


def test_every_story_has_one_to_three_bylines_in_order_led_by_its_writer(archive):
    for story in archive.values():
        bylines = list(story.bylines.all())
        assert 1 <= len(bylines) <= 3
        assert [b.position for b in bylines] == list(range(len(bylines)))
        assert bylines[0].role == Byline.Role.TEXT
    roles = Counter(b.role for s in archive.values() for b in s.bylines.all())
    assert roles.keys() == {"text", "photo", "translation", "editing"}


def test_translations_render_an_earlier_russian_original_once_per_language(archive):
    translations = [s for s in archive.values() if s.translation_of]
    others = [s for s in archive.values() if s.language != "ru"]
    assert 0.2 < len(translations) / len(others) < 0.5
    for story in translations:
        original = story.translation_of
        assert story.language != "ru" and original.language == "ru"
        assert original.translation_of is None
        assert original.published_at < story.published_at <= NOW
        assert original.section == story.section
    pairs = Counter((s.translation_of_id, s.language) for s in translations)
    assert set(pairs.values()) == {1}


def test_stories_read_like_news(archive):
    body = Article._meta.get_field("body")
    for story in archive.values():
        assert 1800 < len(story.body) < 6500
        assert story.body.startswith("<p>")
        assert 1 <= story.body.count("<blockquote><p>") <= 2
        assert story.body_text == plain_text(story.body)
        assert body.sanitize(story.body) == story.body, "what the editor would have saved"
        assert story.lead and not story.title[0].islower()
    assert 0.2 < share(archive.values(), lambda s: "<h2>" in s.body) < 0.5
    assert 0.1 < share(archive.values(), lambda s: s.source_name) < 0.4


def test_lead_photos_come_from_a_shared_pool_where_a_few_are_used_most(archive):
    pool = Photo.objects.filter(portrait_of=None)
    assert pool.count() == 20
    assert all(photo.is_complete for photo in Photo.objects.all())
    assert len({photo.credit_line for photo in pool}) >= 3
    assert 0.7 < share(archive.values(), lambda s: s.lead_photo_id) < 0.9
    uses = sorted(Counter(s.lead_photo_id for s in archive.values() if s.lead_photo_id).values())
    assert uses[-1] >= 3 * uses[len(uses) // 2]
    assert 0.1 < share(archive.values(), lambda s: s.lead_photo_caption) < 0.4


def test_a_few_authors_have_a_portrait_from_the_library(archive):
    portraits = Photo.objects.exclude(portrait_of=None).select_related("portrait_of")
    assert 3 <= len(portraits) < Author.objects.count() / 4
    assert all(photo.alt_text == f"Фото {photo.portrait_of.name}" for photo in portraits)


def test_tags_have_a_long_tail(archive):
    for story in archive.values():
        assert 2 <= len(story.tags.all()) <= 6
    assert Tag.objects.count() > 2000
    uses = Counter(tag.name for s in archive.values() for tag in s.tags.all())
    [(most_used, count)] = uses.most_common(1)
    assert most_used == "Казахстан" and count > 100
    assert sum(1 for count in uses.values() if count == 1) > len(uses) / 2


def test_bylines_and_tags_carry_their_storys_state_for_listings(archive):
    for model in (Byline, TaggedArticle):
        for row in model.objects.select_related(model.story_field):
            story = getattr(row, model.story_field)
            assert (row.story_status, row.story_language, row.story_published_at) == (
                story.status,
                story.language,
                story.published_at,
            )


def test_search_finds_the_common_word_in_about_two_thirds_of_russian_stories(archive):
    russian = Article.objects.published().filter(language="ru")
    # A limit above the archive's size, so that every match is counted.
    found = search.find(Article.objects.published(), "Казахстан", language="ru", limit=1000)
    assert 0.55 < found.shown / russian.count() < 0.75
    assert set(russian.filter(pk__in=found.ids)) == set(Article.objects.filter(pk__in=found.ids))


def test_the_rare_search_word_is_in_about_one_russian_story_in_five_hundred():
    planned = generate_archive.Archive(seed=1, per_day=100)
    stories = [planned.story(i) for i in range(5000)]
    russian = [story for story in stories if story.facts.language == "ru"]
    assert 0.0005 < share(russian, lambda s: "Байконур" in s.body) < 0.005
    assert 0.6 < share(russian, lambda s: "Казахстан" in s.body) < 0.7


def test_a_second_run_adds_nothing(archive):
    before = counts()
    generate(400)
    assert counts() == before


def test_more_stories_later_make_the_same_archive_as_all_at_once():
    generate(300, batch=100)
    generate(600, batch=100)
    in_two_runs = snapshot()
    assert sorted(in_two_runs) == list(range(600))
    Article.objects.all().delete()
    generate(600, batch=250)
    assert snapshot() == in_two_runs


def test_an_interrupted_run_goes_on_where_it_stopped(monkeypatch):
    write_batch = generate_archive.Command.write_batch

    def interrupted(command, start, end):
        write_batch(command, start, end)
        if start > 0:
            raise KeyboardInterrupt  # Ctrl+C before the second batch commits

    monkeypatch.setattr(generate_archive.Command, "write_batch", interrupted)
    with pytest.raises(CommandError, match="run the same command again"):
        generate(300, batch=120)
    assert sorted(generated()) == list(range(120))

    monkeypatch.undo()
    generate(300, batch=120)
    resumed = snapshot()
    assert sorted(resumed) == list(range(300))
    Article.objects.all().delete()
    generate(300)
    assert snapshot() == resumed


def test_another_seed_makes_another_archive_beside_the_first():
    generate(300)
    generate(300, seed=2)
    assert Article.objects.count() == 600
    assert Article.objects.filter(slug__endswith="-s2-g7").exists()


def test_the_newsrooms_own_stories_are_left_alone():
    own = make_article("Саммит G7 пройдёт в июне", slug="sammit-g7")
    before = Article.objects.values().get(pk=own.pk)
    generate(300)
    assert Article.objects.values().get(pk=own.pk) == before
    assert Article.objects.exclude(pk=own.pk).count() == 300
    generate(300)
    assert Article.objects.count() == 301


def test_bad_numbers_are_refused():
    with pytest.raises(CommandError):
        generate(-1)
    with pytest.raises(CommandError):
        generate(10, batch=0)
    with pytest.raises(CommandError):
        generate(10, per_day=0)
    assert not Article.objects.exists()
