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
    """
    <picture> with AVIF, WebP and JPEG sources at the usage's widths.

    AVIF is offered only once every width of it exists (it is slow to make;
    the renditions command makes it), so no reader waits for an AVIF encode.
    """
    usage = USAGES[usage]
    made = photo.made_spec_names
    sources = []
    for file_format in ("avif", "webp"):
        candidates = _candidates(photo, usage, file_format)
        if file_format == "avif" and not all(spec.name in made for spec, _ in candidates):
            continue
        sources.append((f"image/{file_format}", _srcset(photo, candidates, made), usage.sizes))
    jpeg = _candidates(photo, usage, "jpeg")
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


def _candidates(photo, usage, file_format):
    """The usage's specs in this format, without two that would come out the same size."""
    seen, result = set(), []
    for spec in usage.specs(file_format):
        size = spec.size_for(photo.width, photo.height)
        if size[0] not in seen:
            seen.add(size[0])
            result.append((spec, size))
    return result


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
