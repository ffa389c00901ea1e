import html
import re

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.models import body_photo_ids
from media.models import Photo

register = template.Library()

FIGURE = re.compile(
    r"<figure[^>]*>\s*<img (?P<image>[^>]*)>\s*"
    r"(?:<figcaption[^>]*>(?P<caption>.*?)</figcaption>)?\s*</figure>",
    re.DOTALL,
)
ATTRIBUTE = r'{}="([^"]*)"'


@register.simple_tag
def story_body(article):
    """
    The story's sanitised text, with each library photo drawn as readers get
    every photo: responsive renditions and the photo's credit.
    """
    ids = body_photo_ids(article.body)
    if not ids:
        return mark_safe(article.body)  # sanitised against an allow-list when saved
    photos = Photo.objects.select_related("creator_author").prefetch_related("renditions")
    photos = {photo.pk: photo for photo in photos.filter(pk__in=ids)}

    def draw(match):
        file = re.search(ATTRIBUTE.format("data-file"), match["image"])
        photo = photos.get(int(file[1])) if file else None
        if photo is None:
            return ""  # a photo since deleted from the library
        alt = re.search(ATTRIBUTE.format("alt"), match["image"])
        return render_to_string(
            "includes/body_photo.html",
            {
                "photo": photo,
                "alt": html.unescape(alt[1]) if alt and alt[1] else photo.alt_text,
                "caption": mark_safe(match["caption"] or ""),
            },
        )

    return mark_safe(FIGURE.sub(draw, article.body))
