"""
How editors type a moment, in every language: «06.03.2026» and «14:00», «14.00»
or «14:00:00». Each language's formats module imports these, so that the admin's
date and time boxes accept the same things whatever the admin's language.
"""

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S", "%H.%M.%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = [
    f"{date} {time}" for date in DATE_INPUT_FORMATS for time in TIME_INPUT_FORMATS
]
