# Django ships no formats for Kazakh; Kazakhstan writes dates day first, as Russian does.
DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
from newsroom.formats.desk import (  # noqa: E402, F401
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    TIME_INPUT_FORMATS,
)

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
