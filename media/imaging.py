"""
The only module that talks to Pillow.

It works on bytes, never on paths: callers read and write through Django's
storage API, so the same code runs on local files and on object storage.

What it promises:
- inspect() accepts JPEG, PNG, WebP and AVIF that really decode, within the
  limits it is given, and reads the credit the file carries (XMP, IPTC, EXIF);
- render() makes renditions that carry no location or device data, stand
  upright, are in sRGB, and keep the credit and copyright as XMP.
"""

import io
import math
import random
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import (
    Image,
    ImageCms,
    ImageDraw,
    ImageFilter,
    ImageOps,
    IptcImagePlugin,
    UnidentifiedImageError,
)

from media import credits, decoding
from media.specs import RATIOS, SHARE, SHARE_SIZE, crop_box_size

ACCEPTED_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "avif": "avif"}
ENCODERS = {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}
# EXIF orientations 5 to 8 turn the picture a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}
ORIENTATION_TAG = 0x0112

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))

# What goes wrong inside Pillow when a file lies about itself.
DECODING_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    MemoryError,
    ZeroDivisionError,
)


class RefusedImage(Exception):
    """A file the photo desk does not accept; the message is for the uploader."""


@dataclass
class Inspection:
    file_format: str
    width: int  # as the photo stands, EXIF orientation applied
    height: int
    metadata: dict = field(default_factory=dict)


def inspect(data, *, max_pixels):
    """Check that data is a whole image of an accepted kind; read its size and credit."""
    if not data:
        raise RefusedImage(_("The file is empty."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise RefusedImage(_("Only JPEG, PNG, WebP and AVIF images are accepted."))
                width, height = image.size
                if width < 1 or height < 1:
                    raise RefusedImage(_("The image has no pixels."))
                if width * height > max_pixels:
                    raise RefusedImage(
                        _("The image is %(size)s megapixels; the limit is %(limit)s.")
                        % {"size": round(width * height / 1e6, 1), "limit": round(max_pixels / 1e6)}
                    )
                # Refusals from the header above wait for no slot; what follows may
                # decode the whole picture (Pillow reads a PNG's EXIF after its pixels).
                with decoding.slot():
                    metadata = read_metadata(image)
                    orientation = image.getexif().get(ORIENTATION_TAG, 1)
                    # Decoding the whole file is what finds a truncated or corrupt one;
                    # JPEG's draft mode does it at an eighth of the size, for speed and memory.
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                    image.load()
                    image.close()  # its pixels go before the slot does
    except RefusedImage:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise RefusedImage(_("The image claims to be larger than any photo could be.")) from None
    except DECODING_ERRORS:
        raise RefusedImage(
            _("The file is not a whole image: it is damaged, cut short or of another kind.")
        ) from None
    if orientation in QUARTER_TURNS:
        width, height = height, width
    return Inspection(ACCEPTED_FORMATS[image.format], width, height, metadata)


# Metadata ------------------------------------------------------------------------------

XMP_NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "exif": "http://ns.adobe.com/exif/1.0/",
}


def read_metadata(image):
    """Credit fields from the file: XMP first, then IPTC, then EXIF, as the standard advises."""
    xmp = _read_xmp(image)
    iptc = _read_iptc(image)
    exif = _read_exif(image)
    metadata = {}
    for entry in credits.IN_FILES:
        for value in (xmp.get(entry.xmp), iptc.get(entry.iptc), exif.get(entry.exif)):
            if value and value.strip():
                metadata[entry.name] = _clean_text(value)
                break
    date_taken = (
        _parse_date(xmp.get("photoshop:DateCreated"))
        or _parse_date(xmp.get("exif:DateTimeOriginal"))
        or _parse_iptc_date(iptc.get((2, 55)), iptc.get((2, 60)))
        or _parse_date(exif.get("DateTimeOriginal"))
    )
    if date_taken:
        metadata["date_taken"] = date_taken
    return metadata


def _clean_text(value):
    # Control characters from a file would break forms, feeds and headers later.
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", value).strip()


def _read_xmp(image):
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if not packet:
        return {}
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    # XMP needs no DTD; one in a file is there to attack the parser.
    if b"<!DOCTYPE" in packet or b"<!ENTITY" in packet:
        return {}
    try:
        root = ElementTree.fromstring(packet.strip(b"\x00 \r\n\t"))
    except ElementTree.ParseError:
        return {}
    prefixes = {uri: prefix for prefix, uri in XMP_NAMESPACES.items()}
    values = {}

    def key(tag):
        uri, _, local = tag[1:].partition("}")
        return f"{prefixes[uri]}:{local}" if uri in prefixes else None

    rdf = XMP_NAMESPACES["rdf"]
    for description in root.iter(f"{{{rdf}}}Description"):
        for attribute, value in description.attrib.items():
            if (name := key(attribute)) and name not in values:
                values[name] = value
        for child in description:
            name = key(child.tag)
            if not name or name in values:
                continue
            items = list(child.iter(f"{{{rdf}}}li"))
            if items:
                default = [li for li in items if li.get(_XML_LANG) == "x-default"]
                values[name] = ((default or items)[0].text or "").strip()
            elif child.text and child.text.strip():
                values[name] = child.text.strip()
    return values


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _read_iptc(image):
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except DECODING_ERRORS:
        return {}
    utf8 = info.get((1, 90)) in (b"\x1b%G", [b"\x1b%G"])
    values = {}
    for dataset, raw in info.items():
        if isinstance(raw, list):
            raw = raw[0] if raw else b""
        values[dataset] = _decode(raw, utf8)
    return values


def _decode(raw, utf8_declared):
    if isinstance(raw, str):
        return raw
    # Files that do not declare UTF-8 are often UTF-8 all the same, else Windows Cyrillic.
    encodings = ("utf-8",) if utf8_declared else ("utf-8", "cp1251")
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _read_exif(image):
    try:
        exif = image.getexif()
        values = {entry.exif: exif.get(entry.exif) for entry in credits.IN_FILES if entry.exif}
        values["DateTimeOriginal"] = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
    except DECODING_ERRORS:
        return {}
    for tag, value in values.items():
        if isinstance(value, bytes):
            values[tag] = _decode(value.rstrip(b"\x00"), False)
        elif isinstance(value, str):
            # Pillow reads EXIF text as Latin-1; cameras and tools write UTF-8.
            try:
                values[tag] = value.encode("latin-1").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                pass
    return values


def _parse_date(value):
    if not value or not isinstance(value, str):
        return None
    value = value.strip().replace("Z", "+00:00")
    for candidate in (value, value.replace(":", "-", 2)):
        try:
            moment = datetime.fromisoformat(candidate.replace(" ", "T", 1))
        except ValueError:
            continue
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    return None


def _parse_iptc_date(date, time):
    if not date or not re.fullmatch(r"\d{8}", date):
        return None
    text = f"{date[:4]}-{date[4:6]}-{date[6:]}"
    if time and re.fullmatch(r"\d{6}([+-]\d{4})?", time):
        text += f"T{time[:2]}:{time[2:4]}:{time[4:6]}"
        if len(time) == 11:
            text += f"{time[6:9]}:{time[9:]}"
    return _parse_date(text)


def xmp_packet(credit):
    """The credit a rendition carries (media/credits.py), as XMP: its only metadata."""
    forms = {
        "text": "{}",
        "seq": "<rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq>",
        "alt": '<rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt>',
    }
    written = [
        entry
        for entry in credits.FIELDS
        if entry.in_renditions and not credits.blank(credit.get(entry.name) or "")
    ]
    body = "".join(
        f"<{entry.xmp}>{forms[entry.xmp_form].format(escape(credit[entry.name]))}</{entry.xmp}>"
        for entry in written
    )
    prefixes = sorted(
        {entry.xmp.partition(":")[0] for entry in credits.FIELDS if entry.in_renditions}
    )
    namespaces = " ".join(f'xmlns:{prefix}="{XMP_NAMESPACES[prefix]}"' for prefix in prefixes)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        f'<x:xmpmeta xmlns:x="{XMP_NAMESPACES["x"]}"><rdf:RDF xmlns:rdf="{XMP_NAMESPACES["rdf"]}">'
        f'<rdf:Description rdf:about="" {namespaces}>{body}</rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="r"?>'
    ).encode()


# Renditions ----------------------------------------------------------------------------


@dataclass
class Rendered:
    spec: object
    data: bytes
    width: int
    height: int


def focal_crop(width, height, ratio, focal_x=0.5, focal_y=0.5):
    """The largest box of the ratio, as close to centred on the focal point as the photo allows."""
    if ratio is None:
        return (0, 0, width, height)
    crop_width, crop_height = crop_box_size(width, height, ratio)
    left = min(max(focal_x * width - crop_width / 2, 0), width - crop_width)
    top = min(max(focal_y * height - crop_height / 2, 0), height - crop_height)
    return (left, top, left + crop_width, top + crop_height)


def ratio_of(spec):
    return SHARE_SIZE if spec.ratio == SHARE else RATIOS[spec.ratio]


WORKING_COPY_SIDE = 2560


@decoding.slot()
def working_copy(data):
    """
    A private stand-in for a large original: upright, sRGB, at most 2560 pixels.

    Decoding a 24-megapixel JPEG costs tens of milliseconds even at an eighth of
    its size; renditions up to 2560 pixels come from this instead. None for a
    photo with transparency (JPEG has none) or one already no larger.
    """
    with Image.open(io.BytesIO(data)) as image:
        if (
            max(image.size) <= WORKING_COPY_SIDE
            or "A" in image.getbands()
            or ("transparency" in image.info)
        ):
            return None
        orientation = image.getexif().get(ORIENTATION_TAG, 1)
        icc_profile = image.info.get("icc_profile")
        # libjpeg's scale is the smallest that covers both sides asked for: ask
        # for the photo's own proportions, or a wide photo decodes at twice the size.
        scale = WORKING_COPY_SIDE / max(image.size)
        image.draft("RGB", tuple(math.ceil(side * scale) for side in image.size))
        image.load()
        if orientation in range(2, 9):
            image = ImageOps.exif_transpose(image)
    image = _to_srgb(image, icc_profile)
    # reducing_gap=1: a PNG's 80 megapixels are first averaged by a whole factor of
    # 4, not 2, which is as good for a working copy and holds 60 MB less meanwhile.
    image.thumbnail(
        (WORKING_COPY_SIDE, WORKING_COPY_SIDE), Image.Resampling.LANCZOS, reducing_gap=1.0
    )
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


@decoding.slot()
def render(data, specs, *, focal=(0.5, 0.5), credit=None, fast=True, size=None):
    """
    Make the given renditions of one original (or of its working copy).

    The fast path decodes a JPEG once, at the smallest scale libjpeg offers that
    still covers the largest rendition (draft mode), then makes each smaller size
    from the one before it (cascading). fast=False is the naive path the
    benchmark compares it with: a full decode and every size from the original.
    size is the photo's upright size, when data is a working copy of it: the
    renditions then come out exactly as large as pages were told they are.
    """
    xmp = xmp_packet(credit or {})
    results = []
    by_ratio = {}
    for spec in specs:
        by_ratio.setdefault(spec.ratio, []).append(spec)
    for ratio_specs in by_ratio.values():
        ratio = ratio_of(ratio_specs[0])
        if fast:
            results += _render_cascade(data, ratio_specs, ratio, focal, xmp, size=size)
        else:
            for spec in ratio_specs:
                results += _render_cascade(data, [spec], ratio, focal, xmp, fast=False)
    return results


def _render_cascade(data, specs, ratio, focal, xmp, fast=True, size=None):
    with Image.open(io.BytesIO(data)) as image:
        orientation = image.getexif().get(ORIENTATION_TAG, 1)
        icc_profile = image.info.get("icc_profile")
        stored_width, stored_height = image.size
        width, height = (
            (stored_height, stored_width) if orientation in QUARTER_TURNS else image.size
        )
        sizes = {spec: spec.size_for(*(size or (width, height))) for spec in specs}
        box = focal_crop(width, height, ratio, *focal)
        largest = max(sizes.values())
        if fast:
            # Ask libjpeg for no less than the crop needs at the largest size.
            scale = max(largest[0] / (box[2] - box[0]), largest[1] / (box[3] - box[1]))
            wanted = (math.ceil(width * scale), math.ceil(height * scale))
            if orientation in QUARTER_TURNS:
                wanted = wanted[::-1]
            image.draft("RGB", wanted)
        image.load()
        if orientation in range(2, 9):  # 1 is upright; exif_transpose would copy anyway
            image = ImageOps.exif_transpose(image)
    scale = image.width / width
    box = tuple(value * scale for value in box)
    image = _to_srgb(image, icc_profile)

    results = []
    current, current_box = image, box
    ordered = sorted(sizes.items(), key=lambda item: -item[1][0])
    made = {}
    for spec, size in ordered:
        if size not in made:
            source, source_box = (current, current_box) if fast else (image, box)
            # After draft decoding, less than a halving is left to do, where bicubic
            # looks the same as Lanczos at half the cost; reducing_gap lets Pillow
            # reduce() by whole factors first when more is left (PNG, WebP sources).
            resized = source.resize(
                size,
                Image.Resampling.BICUBIC if fast else Image.Resampling.LANCZOS,
                box=source_box,
                reducing_gap=2.0 if fast else None,
            )
            made[size] = resized
            if fast:
                current, current_box = resized, None
        results.append(Rendered(spec, _encode(made[size], spec.file_format, xmp), *size))
    return results


def _to_srgb(image, icc_profile):
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert(
            "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        )
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode=image.mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels are most likely sRGB already
    return image


def _encode(image, file_format, xmp):
    if file_format == "jpeg" and image.mode != "RGB":
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
        image = background
    image.info = {}  # nothing of the original's metadata travels on
    buffer = io.BytesIO()
    options = {
        # Baseline, Huffman-optimised: a third of progressive's encoding time for
        # files about 5% larger (measured by bench/renditions.py).
        "jpeg": {"quality": 82, "optimize": True},
        # Effort 2 of 6: half the encoding time of the default for files 3% larger.
        "webp": {"quality": 80, "method": 2},
        "avif": {"quality": 60},
    }[file_format]
    image.save(buffer, format=ENCODERS[file_format], xmp=xmp, **options)
    return buffer.getvalue()


# Made-up pictures for the demo and the tests -------------------------------------------


def drawn_landscape(width, height, *, seed, file_format="JPEG"):
    """A made-up landscape: sky, sun, hills. For demo content and tests."""
    rng = random.Random(seed)
    sky_top = (rng.randint(20, 90), rng.randint(60, 130), rng.randint(140, 220))
    sky_bottom = (rng.randint(200, 250), rng.randint(170, 230), rng.randint(140, 200))
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(sky_top, sky_bottom, strict=True)),
        )
    sun_x, sun_y, sun_r = rng.randint(width // 5, width * 4 // 5), height // 3, height // 9
    draw.ellipse([sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r], fill=(255, 236, 170))
    for layer in range(3):
        base = height * (0.55 + 0.15 * layer)
        points = [(0, height)]
        for x in range(0, width + 1, max(width // 12, 1)):
            points.append((x, base - rng.randint(0, height // 6)))
        points.append((width, height))
        shade = 40 + 30 * (2 - layer)
        draw.polygon(points, fill=(shade // 2, shade + rng.randint(0, 40), shade // 2))
    image = image.filter(ImageFilter.GaussianBlur(radius=1))
    return _save_plain(image, file_format)


def drawn_portrait(size, *, seed, file_format="JPEG"):
    """A made-up head-and-shoulders silhouette. For demo authors and tests."""
    rng = random.Random(seed)
    background = (rng.randint(150, 230), rng.randint(150, 230), rng.randint(150, 230))
    figure = tuple(max(c - 110, 0) for c in background)
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    head = size // 5
    cx, cy = size // 2, size * 2 // 5
    draw.ellipse([cx - head, cy - head, cx + head, cy + head], fill=figure)
    draw.ellipse([cx - size // 2.6, size * 0.68, cx + size // 2.6, size * 1.3], fill=figure)
    return _save_plain(image, file_format)


def _save_plain(image, file_format):
    buffer = io.BytesIO()
    image.save(buffer, format=file_format, quality=85)
    return buffer.getvalue()
