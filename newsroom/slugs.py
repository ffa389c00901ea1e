"""
Latin slugs for Russian and Kazakh headlines.

One table serves both sides: the server fills in a slug left blank, and the
admin's slug widget hands the same table to the browser so that what an editor
sees while typing a headline is what the server would have made.
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify as django_slugify
from django.utils.translation import gettext_lazy as _

# Russian as Russian news sites spell their URLs (щ → shch, ц → ts, я → ya);
# Kazakh letters as the 2021 Latin alphabet writes them, without diacritics.
CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}  # fmt: skip

_TABLE = str.maketrans(CYRILLIC_TO_LATIN)


def transliterate(text):
    return str(text).lower().translate(_TABLE)


def slugify(text, max_length=None):
    """A Latin slug: «Қазақстан және МККК» → 'qazaqstan-zhane-mkkk'."""
    slug = django_slugify(transliterate(text))
    if max_length:
        slug = slug[:max_length].rstrip("-")
    return slug


def fill_slug(instance, source_field):
    """Model.clean() helper: make a slug left blank from another field."""
    if instance.slug:
        return
    source = getattr(instance, source_field)
    instance.slug = slugify(source or "", max_length=instance._meta.get_field("slug").max_length)
    if source and not instance.slug:
        raise ValidationError(
            {"slug": _("There are no letters or digits to make an address from; enter one.")}
        )


class SlugInput(forms.TextInput):
    """The admin's slug box, prepopulated in the browser with our table."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.attrs["data-transliteration"] = json.dumps(
            CYRILLIC_TO_LATIN, ensure_ascii=False, separators=(",", ":")
        )

    class Media:
        js = ["admin/js/urlify.js", "newsroom/admin/transliterate.js"]
