from django import template
from django.utils.html import format_html, format_html_join

from media import credits
from media.specs import ADMIN_THUMBNAILS, USAGES

register = template.Library()


@register.simple_tag
def photo_credit(photo):
    """«Фото: akorda.kz» under a photo, as feeds print it too (media/credits.py)."""
    return credits.credit_html(photo)


@register.simple_tag
def picture(photo, usage, alt, loading="lazy", css_class=""):
    """<picture> with AVIF, WebP and JPEG sources at the usage's widths (Usage.offered)."""
    usage = USAGES[usage]
    made = photo.made_spec_names
    offered = usage.offered(photo.width, photo.height, made)
    jpeg = offered.pop("jpeg")
    sources = [
        (f"image/{file_format}", _srcset(photo, candidates, made), usage.sizes)
        for file_format, candidates in offered.items()
    ]
    fallback, (width, height) = min(
        jpeg, key=lambda candidate: abs(candidate[1][0] - usage.fallback_width)
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}"'
        ' loading="{}" decoding="async"{}></picture>',
        format_html_join("", '<source type="{}" srcset="{}" sizes="{}">', sources),
        photo.rendition_url(fallback, made),
        _srcset(photo, jpeg, made),
        usage.sizes,
        alt,
        width,
        height,
        loading,
        format_html(' class="{}"', css_class) if css_class else "",
    )


def _srcset(photo, candidates, made):
    return ", ".join(f"{photo.rendition_url(spec, made)} {size[0]}w" for spec, size in candidates)


@register.simple_tag
def admin_thumbnail(photo, alt=""):
    """The small rendition made at upload, for the admin's lists and forms."""
    return rendition_img(photo, ADMIN_THUMBNAILS[0], alt)


def rendition_img(photo, spec, alt):
    width, height = spec.size_for(photo.width, photo.height)
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy">',
        photo.rendition_url(spec),
        alt,
        width,
        height,
    )
