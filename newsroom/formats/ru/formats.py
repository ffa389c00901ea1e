# Django's Russian formats, with day and month in the genitive («2 марта», not «2 Март»:
# the admin's date drill-down prints MONTH_DAY_FORMAT) and times typed as «14.00».
from django.conf.locale.ru.formats import *  # noqa: F403

from newsroom.formats.desk import DATETIME_INPUT_FORMATS, TIME_INPUT_FORMATS  # noqa: F401

MONTH_DAY_FORMAT = "j E"
