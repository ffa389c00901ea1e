"""Every address the WordPress site had answers 301 with the story's address here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.factories import make_article
from tests.wordpress.conftest import SITE_EXPORT, run_import
from wordpress.models import ImportedItem, OldAddress

pytestmark = pytest.mark.django_db


def story(wp_id):
    return ImportedItem.objects.get(kind="post", key=str(wp_id)).article


@pytest.mark.parametrize(
    ("old", "wp_id"),
    [
        ("/?p=10", 10),
        ("/index.php?p=10", 10),
        ("/?p=10&utm_source=telegram", 10),
        ("/2024/03/05/vstrecha-s-zhitelyami/", 10),  # the permalink
        ("/2024/03/05/vstrecha-s-zhitelyami", 10),  # without its slash
        ("/2024/03/05/vstrecha-s-zhitelyami/akorda/", 10),  # its photo's attachment page
        ("/?attachment_id=101", 10),
        ("/?attachment_id=104", 11),  # no parent: the story that shows it
        ("/?attachment_id=105", 11),  # parent 11, not shown by it anywhere else
        (
            "/2024/03/07/%D0%B4%D0%B0%D0%BB%D0%B0%D0%B4%D0%B0-%D0%BA%D3%A9%D0%BA%D1%82%D0%B5%D0%BC/",
            11,
        ),
        ("/2024/03/07/далада-көктем/", 11),
    ],
)
def test_an_old_address_answers_301_with_the_story(client, imported, old, wp_id):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == story(wp_id).get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_a_kazakh_edition_story_is_sent_to_its_edition(client, db):
    run_import(SITE_EXPORT, "--language", "kk")
    response = client.get("/?p=11")
    assert response.status_code == 301
    assert response["Location"].startswith("/kk/")


@pytest.mark.parametrize(
    "address",
    [
        "/?p=13",  # a draft
        "/?p=14",  # in review
        "/?p=15",  # private: unpublished
        "/?p=12",  # scheduled for 2099
        "/2099/01/10/itogi-vyborov/",
        "/2024/03/01/planyorka/",
    ],
)
def test_no_old_address_leads_to_a_story_readers_may_not_see(client, imported, address):
    assert client.get(address).status_code in {200, 404}
    assert client.get(address).status_code != 301


def test_the_front_page_stays_the_front_page_for_an_unknown_post(client, imported):
    assert client.get("/?p=999").status_code == 200
    assert client.get("/?p=abc").status_code == 200


def test_an_unknown_old_address_is_a_404(client, imported):
    assert client.get("/2024/03/05/no-such-post/").status_code == 404


def test_a_story_taken_down_after_the_import_is_no_longer_a_destination(client, imported):
    meeting = story(10)
    meeting.status = Article.Status.UNPUBLISHED
    meeting.save()
    assert client.get("/?p=10").status_code == 200  # the front page: nothing to send to
    assert client.get("/2024/03/05/vstrecha-s-zhitelyami/").status_code == 404


def test_our_own_pages_are_never_shadowed(client, imported):
    page = make_article(title="Своя страница")
    OldAddress.objects.create(path=page.get_absolute_url().rstrip("/"), article=story(10))
    assert client.get(page.get_absolute_url()).status_code == 200


def test_a_site_that_imported_nothing_asks_no_query_about_old_addresses(client, db):
    make_article()
    client.get("/no-such-section/")  # learns, once, that there are none
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/no-such-section/").status_code == 404
        assert client.get("/?p=10").status_code == 200
    assert not [q for q in queries.captured_queries if "wordpress_" in q["sql"]]


def test_a_page_found_asks_nothing_about_old_addresses(client, imported):
    address = story(10).get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
        assert client.get("/").status_code == 200
    assert not [q for q in queries.captured_queries if "wordpress_" in q["sql"]]


def test_an_old_address_costs_one_query(client, imported, django_assert_num_queries):
    # The story found through its old address, with its section, published.
    with django_assert_num_queries(1):
        assert client.get("/?p=10").status_code == 301


def test_hostile_addresses_are_404s_not_errors(client, imported):
    for address in ["/%ED%A0%80/", "/" + "a" * 2000 + "/", "/?p=" + "9" * 40, "/?attachment_id=-1"]:
        assert client.get(address).status_code in {200, 404}
