"""The story page carries every element of the reference report, in its order."""

import re

import lxml.html
import pytest

from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def test_story_page_shows_every_element_in_the_reference_order(client, reference_story):
    html = page(client, reference_story.get_absolute_url())
    story = html.xpath("//main//article[contains(@class, 'story')]")[0]
    text = " ".join(story.text_content().split())

    expected_in_order = [
        "События",  # rubric
        "Токаев: гуманитарная помощь вне политики",  # headline
        "06.03.2026 14:00",  # publication time, Almaty
        "президент Казахстана Касым-Жомарт Токаев",  # caption of this use
        "Фото: akorda.kz",  # credit
        "Президент встретился с главой МККК",  # lead
        "Помощь людям не должна зависеть от политики",  # body quotation
        "Источник: Акорда",  # source attribution
        "Читайте также",
        "Токаев высказался об атаке беспилотников",  # related story
        "МККК",  # tags
        "Ирина Капитанова",  # byline
    ]
    position = 0
    for fragment in expected_in_order:
        found = text.find(fragment, position)
        assert found >= 0, f"{fragment!r} missing or out of order after: {text[:position]!r}"
        position = found + len(fragment)


def test_story_page_uses_semantic_elements(client, reference_story):
    html = page(client, reference_story.get_absolute_url())
    story = html.xpath("//main//article")[0]
    assert story.xpath(".//h1/text()") == ["Токаев: гуманитарная помощь вне политики"]
    time = story.xpath(".//header//time")[0]
    assert time.get("datetime") == "2026-03-06T14:00:00+05:00"
    assert time.text == "06.03.2026 14:00"
    figure = story.xpath(".//figure")[0]
    assert figure.xpath(".//figcaption")
    quote = story.xpath(".//blockquote")[0]
    assert "Помощь людям" in quote.text_content()
    source = story.xpath(".//a[text()='Акорда']")[0]
    assert source.get("href") == "https://www.akorda.kz/ru"


def test_lead_photo_alt_composes_caption_publisher_and_time(client, reference_story, settings):
    settings.NEWSROOM_PUBLISHER = "Новости Zakon.kz"
    html = page(client, reference_story.get_absolute_url())
    image = html.xpath("//figure//img")[0]
    assert image.get("alt") == (
        "президент Казахстана Касым-Жомарт Токаев, фото — Новости Zakon.kz от 06.03.2026 14:00"
    )
    assert image.get("width") and image.get("height")


def test_author_block_has_portrait_and_links_to_the_author(client, reference_story):
    html = page(client, reference_story.get_absolute_url())
    author = html.xpath("//*[contains(@class, 'authors')]")[0]
    portrait = author.xpath(".//img")[0]
    assert portrait.get("alt") == "Фото Ирина Капитанова"
    link = author.xpath(".//a[@rel='author']")[0]
    assert link.get("href") == "/authors/irina-kapitanova/"
    assert link.text == "Ирина Капитанова"


def test_several_authors_are_bylined_in_their_order(client):
    first, second = make_author("Айгерим Нұрланқызы"), make_author("Данияр Сейітқали")
    story = make_article(authors=[second, first])
    html = page(client, story.get_absolute_url())
    names = html.xpath("//*[contains(@class, 'authors')]//a[@rel='author']/text()")
    assert names == ["Данияр Сейітқали", "Айгерим Нұрланқызы"]


def test_staff_photographers_credit_links_to_their_page(client):
    from tests.factories import make_photo

    photographer = make_author("Данияр Сейітқали")
    photo = make_photo(credit_line="Данияр Сейітқали", creator_author=photographer)
    story = make_article(lead_photo=photo)
    html = page(client, story.get_absolute_url())
    credit = html.xpath("//figure//*[contains(@class, 'credit')]")[0]
    assert " ".join(credit.text_content().split()) == "Фото: Данияр Сейітқали"
    assert credit.xpath(".//a/@href") == [photographer.get_absolute_url()]


def test_related_story_that_is_not_published_is_not_linked(client, reference_story):
    draft = make_article("Черновик, который никто не видит", published=False)
    reference_story.related_stories.add(draft)
    response = client.get(reference_story.get_absolute_url())
    assert "Черновик, который никто не видит" not in response.content.decode()


def test_stale_slug_or_section_redirects_permanently_to_the_canonical_url(client, reference_story):
    canonical = reference_story.get_absolute_url()
    for stale in [
        f"/sobytiya/{reference_story.pk}-old-headline/",
        f"/politika/{reference_story.pk}-{reference_story.slug}/",
        f"/no-such-section/{reference_story.pk}-x/",
    ]:
        response = client.get(stale)
        assert response.status_code == 301, stale
        assert response["Location"] == canonical


def test_editing_the_headline_keeps_old_links_working(client, reference_story):
    old_url = reference_story.get_absolute_url()
    reference_story.slug = "novyy-zagolovok"
    reference_story.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith(f"/{reference_story.pk}-novyy-zagolovok/")


@pytest.mark.parametrize(
    "url",
    [
        "/sobytiya/999999-nothing/",
        "/sobytiya/99999999999999999999999999-overflow/",
        "/sobytiya/abc-not-a-number/",
        "/sobytiya/-1-negative/",
        "/sobytiya/1/",
        "/no-such-section/",
        "/tags/no-such-tag/",
        "/authors/no-such-author/",
        "/sobytiya/1-x/extra/",
        "/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/",
    ],
)
def test_unknown_or_malformed_urls_answer_404(client, reference_story, url):
    assert client.get(url).status_code == 404


def test_404_page_is_friendly_and_not_indexed(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-section/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Страница не найдена" in content
    assert 'content="noindex"' in content


def test_body_is_rendered_as_html_without_scripts(client):
    story = make_article(
        body='<p onclick="steal()">Текст</p><script>alert(1)</script>'
        '<p><a href="javascript:alert(1)">ссылка</a></p><iframe src="//evil"></iframe>'
    )
    content = client.get(story.get_absolute_url()).content.decode()
    # The page's one script is its structured data, which is not code.
    content = re.sub(r'<script type="application/ld\+json">.*?</script>', "", content, flags=re.S)
    assert "<p>Текст</p>" in content
    for hostile in ["<script", "onclick", "javascript:", "<iframe"]:
        assert hostile not in content


def test_read_also_puts_the_editors_choice_first_then_recent_stories_of_the_section_or_tags(
    client,
):
    from django.utils import timezone

    from tests.factories import make_section

    def hours_ago(hours):
        return timezone.now() - timezone.timedelta(hours=hours)

    section, other = make_section("События"), make_section("Спорт")
    chosen = make_article("Выбор редактора", section=other, published_at=hours_ago(90))
    same_section = make_article("Та же рубрика", section=section, published_at=hours_ago(3))
    same_tag = make_article("Тот же тег", section=other, tags=["МККК"], published_at=hours_ago(2))
    make_article("Чужая тема", section=other, published_at=hours_ago(1))
    make_article("Черновик той же рубрики", section=section, published=False)
    make_article("На казахском", section=section, language="kk", published_at=hours_ago(1))
    story = make_article("Материал", section=section, tags=["МККК"])
    story.related_stories.set([chosen])
    html = lxml.html.fromstring(client.get(story.get_absolute_url()).content.decode())
    titles = html.xpath("//aside[@class='read-also']//a/text()")
    assert titles == [chosen.title, same_tag.title, same_section.title]
