"""
The fixed set of renditions the site may make of a photo.

A spec is a crop, a width and a format: «16x9-640.webp». Nobody can ask for a
size outside this set, so the rendition URL needs no signature: the worst a
crawler can do is make, once each, renditions that a page could have asked for.
"""

import re
from dataclasses import dataclass

# Crops: None keeps the photographer's framing.
RATIOS = {"original": None, "16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
WIDTHS = (160, 320, 480, 640, 800, 960, 1200, 1280, 1600, 1920)
FORMATS = {"jpeg": "jpg", "webp": "webp", "avif": "avif"}
EXTENSIONS = {extension: file_format for file_format, extension in FORMATS.items()}
CONTENT_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}

# Sharing previews (OpenGraph, Twitter cards) want exactly 1200×630.
SHARE = "share"
SHARE_SIZE = (1200, 630)

_NAME = re.compile(r"^(?P<ratio>original|16x9|4x3|1x1)-(?P<width>\d{3,4})\.(?P<ext>jpg|webp|avif)$")


@dataclass(frozen=True)
class Spec:
    ratio: str
    width: int
    file_format: str

    @property
    def name(self):
        if self.ratio == SHARE:
            return f"{SHARE}.{FORMATS[self.file_format]}"
        return f"{self.ratio}-{self.width}.{FORMATS[self.file_format]}"

    @property
    def content_type(self):
        return CONTENT_TYPES[self.file_format]

    def size_for(self, photo_width, photo_height):
        """Width and height of this rendition of a photo of the given size."""
        if self.ratio == SHARE:
            return SHARE_SIZE
        ratio = RATIOS[self.ratio]
        if ratio is None:
            crop_width, crop_height = photo_width, photo_height
        else:
            crop_width, crop_height = crop_box_size(photo_width, photo_height, ratio)
        width = min(self.width, crop_width)  # never enlarge
        return width, max(1, round(crop_height * width / crop_width))

    def __str__(self):
        return self.name


def crop_box_size(photo_width, photo_height, ratio):
    """The largest box of the given ratio that fits in the photo."""
    ratio_width, ratio_height = ratio
    if photo_width * ratio_height > photo_height * ratio_width:
        return round(photo_height * ratio_width / ratio_height), photo_height
    return photo_width, round(photo_width * ratio_height / ratio_width)


def parse(name):
    """The Spec a rendition file name stands for, or None if it is not one of ours."""
    if name in {f"{SHARE}.jpg"}:
        return Spec(SHARE, SHARE_SIZE[0], "jpeg")
    match = _NAME.match(name)
    if not match or int(match["width"]) not in WIDTHS:
        return None
    return Spec(match["ratio"], int(match["width"]), EXTENSIONS[match["ext"]])


@dataclass(frozen=True)
class Usage:
    """Where on a page a photo appears: which crop, which widths, how wide it is shown."""

    ratio: str
    widths: tuple
    fallback_width: int
    sizes: str

    def specs(self, file_format):
        return [Spec(self.ratio, width, file_format) for width in self.widths]

    def candidates(self, photo_width, photo_height, file_format):
        """Its specs in one format, each with its size, without two that come out the same size."""
        seen, result = set(), []
        for spec in self.specs(file_format):
            size = spec.size_for(photo_width, photo_height)
            if size[0] not in seen:
                seen.add(size[0])
                result.append((spec, size))
        return result

    def offered(self, photo_width, photo_height, made):
        """
        The renditions a page offers of a photo, by format: (spec, size) each.

        AVIF is offered only once every width of it exists (it is slow to make;
        the renditions command makes it), so no reader waits for an AVIF encode.
        ``made`` names the renditions made so far (Photo.made_spec_names).
        """
        offered = {}
        for file_format in ("avif", "webp", "jpeg"):
            candidates = self.candidates(photo_width, photo_height, file_format)
            if file_format == "avif" and not all(spec.name in made for spec, _ in candidates):
                continue
            offered[file_format] = candidates
        return offered


USAGES = {
    # The story's lead photo, in the photographer's framing, at most 42rem wide.
    "lead": Usage("original", (480, 800, 1200, 1600), 800, "(min-width: 44rem) 42rem, 100vw"),
    # Cards in lists: a 16:9 crop, from a third of the page to the whole phone screen.
    "card": Usage(
        "16x9",
        (320, 640, 960, 1280),
        640,
        "(min-width: 64rem) 22rem, (min-width: 48rem) 45vw, 100vw",
    ),
    "top": Usage("16x9", (640, 960, 1280, 1920), 960, "(min-width: 48rem) 60vw, 100vw"),
    "square": Usage("1x1", (160, 320, 480), 320, "10rem"),
    # An author's portrait: square, around the focal point (the face), beside
    # their name on their page and, smaller, in a story's bylines.
    "portrait": Usage("1x1", (160, 320), 160, "6rem"),
    "byline": Usage("1x1", (160, 320), 160, "3.5rem"),
    # The admin's photo library: made at upload, so the editor never waits for one.
    "admin": Usage("original", (160, 640), 160, "160px"),
}

ADMIN_THUMBNAILS = [Spec("original", width, "jpeg") for width in USAGES["admin"].widths]
SHARE_SPEC = Spec(SHARE, SHARE_SIZE[0], "jpeg")
# The portrait that structured data names (schema.org Person.image).
PORTRAIT_IMAGE_SPEC = Spec("1x1", 320, "jpeg")
# The image a story's text stores for its editor to show; readers get a <picture>.
EDITOR_SPEC = Spec("original", 800, "jpeg")


def standard_specs(formats=tuple(FORMATS)):
    """Every rendition a page of the site can ask for: what the renditions command makes."""
    specs = {SHARE_SPEC, *ADMIN_THUMBNAILS}
    for usage in USAGES.values():
        if usage is USAGES["admin"]:
            continue
        for file_format in formats:
            specs.update(usage.specs(file_format))
    return sorted(specs, key=lambda spec: (spec.file_format, spec.ratio, -spec.width))
