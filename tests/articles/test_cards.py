"""A story's card is made once per version of the story, and never shows an old version."""

import pytest

from articles import fragments
from articles.templatetags import stories
from tests.factories import make_article, make_author, make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def made_cards(monkeypatch):
    """Each card made from the template, by headline; the memo starts empty."""
    monkeypatch.setattr(fragments, "CARDS", fragments.Kept(size=100))
    monkeypatch.setattr(stories, "MADE_CARDS", stories.Memo(size=100))
    made = []
    render = stories.render_to_string

    def counting(template, context=None, *args, **kwargs):
        if template == "includes/article_card.html":
            made.append(context["article"].title)
        return render(template, context, *args, **kwargs)

    monkeypatch.setattr(stories, "render_to_string", counting)
    return made


def test_a_card_is_made_once_whichever_page_asks_again(client, made_cards):
    author = make_author("Ирина Капитанова")
    story = make_article("Карточка", authors=[author], lead_photo=make_photo(), tags=["МККК"])
    for _ in range(3):
        assert client.get("/tags/mkkk/").status_code == 200
    # The tag's page is found once while the site does not change.
    assert made_cards == [story.title]
    # Another story appears: the page is found again, and the first sight of
    # the card noted what it shows, so that now it reads their versions before
    # its row: the card made now is kept.
    make_article("Другая новость")
    for _ in range(3):
        assert client.get("/tags/mkkk/").status_code == 200
    assert made_cards == [story.title] * 2
    make_article("Третья новость")
    assert client.get("/tags/mkkk/").status_code == 200
    assert made_cards == [story.title] * 2
    # The author's page shows the same card (with its rubric, as on the tag's page).
    assert client.get(author.get_absolute_url()).status_code == 200
    assert made_cards == [story.title] * 2
    # The section's page draws it its own way (no rubric), once.
    for _ in range(2):
        client.get(story.section.get_absolute_url())
    assert made_cards == [story.title] * 3


@pytest.mark.parametrize("change", ["headline", "author", "credit", "section", "photo file"])
def test_a_card_follows_every_change_of_what_it_shows(client, made_cards, change):
    author, photo = make_author("Ирина Капитанова"), make_photo(credit_line="akorda.kz")
    story = make_article("Было", authors=[author], lead_photo=photo, tags=["Астана"])
    url = "/tags/astana/"  # cards there show their rubric
    client.get(url)
    client.get(url)  # kept from here on
    made_cards.clear()
    if change == "headline":
        story.title, expected = "Стало", "Стало"
        story.save()
    elif change == "author":
        author.name, expected = "Ирина Капитанова-Сейітқали", "Капитанова-Сейітқали"
        author.save()
    elif change == "credit":
        photo.credit_line, expected = "Kazinform", "Kazinform"
        photo.save()
    elif change == "section":
        story.section.name = "События дня"
        story.section.save()
        expected = f'class="rubric" href="{story.section.get_absolute_url()}">События дня</a>'

    else:
        photo.forget_renditions()  # a new file or focal point: new addresses
        photo.save()
        expected = photo.token
    assert expected in client.get(url).content.decode()
    assert len(made_cards) == 1
