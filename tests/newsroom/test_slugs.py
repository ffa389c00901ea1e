"""Slugs are Latin transliterations of Russian and Kazakh headlines."""

import json

import lxml.html
import pytest

from articles.models import Tag
from newsroom.slugs import CYRILLIC_TO_LATIN, SlugInput, slugify
from tests.factories import make_article, make_author, make_section


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Токаев: Гуманитарная помощь не должна подвергаться политизации",
         "tokaev-gumanitarnaya-pomoshch-ne-dolzhna-podvergatsya-politizatsii"),
        ("Щедрый ёжик съел цыплёнка", "shchedryy-ezhik-sel-tsyplenka"),
        ("Қазақстан және МККК", "qazaqstan-zhane-mkkk"),
        ("Әйгерім, Ғалым, Өмір, Ұлан, Үміт, Һәм, Ілияс, Ңң",
         "aygerim-galym-omir-ulan-umit-ham-iliyas-nn"),
        ("COVID-19: 5 фактов", "covid-19-5-faktov"),
        ("🔥!!!", ""),
    ],
)  # fmt: skip
def test_russian_and_kazakh_become_latin(text, slug):
    assert slugify(text) == slug


def test_every_kazakh_letter_has_a_latin_spelling():
    for letter in "әғқңөұүһі":
        assert CYRILLIC_TO_LATIN[letter].isascii() and CYRILLIC_TO_LATIN[letter]


def test_slug_is_cut_at_a_word_boundary_when_too_long():
    slug = slugify("Очень длинный заголовок " * 20, max_length=50)
    assert len(slug) <= 50 and not slug.endswith("-")


def test_admin_slug_widget_hands_the_same_table_to_the_browser():
    element = lxml.html.fragment_fromstring(SlugInput().render("slug", ""))
    assert json.loads(element.get("data-transliteration")) == CYRILLIC_TO_LATIN


@pytest.mark.django_db
def test_blank_slugs_are_made_from_the_name_or_headline():
    assert make_section("Экономика").slug == "ekonomika"
    assert make_author("Данияр Сейітқали").slug == "daniyar-seyitqali"
    assert make_article("Ұлы дала елі", slug="").slug == "uly-dala-eli"


@pytest.mark.django_db
def test_tags_get_latin_slugs_and_stay_unique():
    first = Tag.objects.create(name="Қазақстан")
    second = Tag.objects.create(name="қазақстан!")
    emoji = Tag.objects.create(name="🔥")
    assert first.slug == "qazaqstan"
    assert second.slug == "qazaqstan-1"
    assert emoji.slug == "tag"
