from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_article, make_author, make_photo, make_section

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def reference_story(db):
    """A story with every element of shared/seed/ANATOMY.md, in our own words."""
    earlier = make_article(
        "Токаев высказался об атаке беспилотников на аэропорт Нахичевани",
        section=make_section("Политика"),
        published_at=datetime(2026, 3, 5, 18, 30, tzinfo=ALMATY),
    )
    photo = make_photo(
        description="Касым-Жомарт Токаев в Акорде",
        alt_text="Касым-Жомарт Токаев за столом переговоров",
        credit_line="akorda.kz",
        source="Акорда",
    )
    author = make_author("Ирина Капитанова")
    story = make_article(
        "Токаев: гуманитарная помощь вне политики",
        section=make_section("События"),
        lead="Президент встретился с главой МККК Мирьяной Сполярич.",
        body=(
            "<p>Встреча прошла в Акорде.</p>"
            '<blockquote><p>"Помощь людям не должна зависеть от политики", – сказал он.</p>'
            "</blockquote><p>Стороны обсудили конференцию в Иордании.</p>"
        ),
        lead_photo=photo,
        lead_photo_caption="президент Казахстана Касым-Жомарт Токаев",
        source_name="Акорда",
        source_url="https://www.akorda.kz/ru",
        published_at=datetime(2026, 3, 6, 14, 0, tzinfo=ALMATY),
        authors=[author],
        tags=["МККК", "гуманитарное право"],
    )
    story.related_stories.add(earlier)
    return story
