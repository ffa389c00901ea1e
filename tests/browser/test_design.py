"""The reader's design in a browser: a phone's section bar, a desktop's even rows."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("load_demo", "--no-editor", verbosity=0)
    return live_server.url


def test_on_a_phone_the_header_is_compact_and_every_section_can_be_reached(demo, page, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    story = Article.objects.published().filter(language="ru").order_by("-published_at").first()
    page.goto(demo + story.get_absolute_url())
    rubric = page.locator(".story .rubric").bounding_box()
    assert rubric["y"] <= 110, f"the rubric starts {rubric['y']} px down"
    bar = page.locator("nav.sections ul")
    overflows = bar.evaluate("ul => ul.scrollWidth > ul.clientWidth")
    if overflows:
        # A bar that scrolls says so: shadows drawn at its edges.
        assert "gradient" in bar.evaluate("ul => getComputedStyle(ul).backgroundImage")
    links = page.locator("nav.sections a")
    assert links.count() >= 5
    for number in range(links.count()):
        link = links.nth(number)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 390, link.inner_text()
        assert box["height"] >= 24
    screenshot("phone-story")


def test_on_a_desktop_cards_in_a_row_have_one_height_and_the_rail_stands_beside(
    demo, page, screenshot
):
    page.set_viewport_size({"width": 1280, "height": 900})
    section = Article.objects.published().filter(language="ru").first().section
    for number in range(5):
        Article.objects.create(
            title=f"Короткий заголовок {number}", lead="Лид.", section=section, status="published",
            published_at=timezone.now() - timedelta(hours=1),
        )  # fmt: skip
    page.goto(demo + section.get_absolute_url())
    rail = page.locator("aside.rail").bounding_box()
    content = page.locator("main").bounding_box()
    assert rail["x"] >= content["x"] + content["width"], "the rail is not beside the content"
    assert page.locator("aside.rail .card-title a").count() >= 5
    boxes = [item.bounding_box() for item in page.locator(".story-list > li .card").all()]
    rows = {}
    for box in boxes:
        rows.setdefault(round(box["y"]), []).append(round(box["height"]))
    assert any(len(heights) > 1 for heights in rows.values()), "no row of cards"
    for top, heights in rows.items():
        assert len(set(heights)) == 1, f"cards of one row at {top} px: {heights}"
    screenshot("desktop-section")
