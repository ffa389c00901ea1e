from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_ALT
from django.utils.translation import get_language, gettext

from newsroom import models
from project.address import absolute_url

register = template.Library()


@register.filter
def absolute(path):
    """A path of this site as the address readers and search engines use."""
    return absolute_url(path)


@register.filter
def staff_name(person, viewer):
    return models.staff_name(person, viewer)


# Inside a date Russian and Kazakh write the month in lower case; Django's
# Kazakh month names are capitalised, as a calendar's heading writes them.
LOWER_CASE_MONTHS = {"ru", "kk"}


@register.simple_tag
def today():
    """Today in the newsroom's time zone, for the masthead."""
    return timezone.localdate()


@register.filter
def long_date(day):
    """«2 декабря 2026», «2026 жылғы 2 желтоқсан», «2 December 2026»."""
    month = str(MONTHS_ALT[day.month])  # the form a date uses: «декабря», not «декабрь»
    if get_language() in LOWER_CASE_MONTHS:
        month = month.lower()
    # A date: «2 декабря 2026»; Kazakh puts the year first.
    return gettext("%(day)s %(month)s %(year)s") % {
        "day": day.day,
        "month": month,
        "year": day.year,
    }
