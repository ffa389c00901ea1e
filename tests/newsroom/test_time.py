"""Times are stored in UTC and shown in Almaty time, with today's offset."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from tests.factories import make_article


def test_almaty_is_utc_plus_five_since_march_2024():
    almaty = ZoneInfo("Asia/Almaty")
    moment = datetime(2026, 3, 6, 14, 0, tzinfo=almaty)
    assert moment.astimezone(UTC) == datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
    # Before the change the offset was six hours: the data must know both.
    assert datetime(2024, 2, 28, 12, 0, tzinfo=almaty).utcoffset().total_seconds() == 6 * 3600


def test_site_time_zone_is_almaty():
    assert timezone.get_current_timezone_name() == "Asia/Almaty"


@pytest.mark.django_db
def test_publication_time_is_stored_in_utc_and_printed_in_almaty_time():
    from articles.models import Article

    moment = datetime(2026, 3, 6, 14, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    story = make_article(published_at=moment)
    stored = Article.objects.values_list("published_at", flat=True).get(pk=story.pk)
    assert stored == datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
    assert date_format(timezone.localtime(stored), "SHORT_DATETIME_FORMAT") == "06.03.2026 14:00"
