"""
Move a WordPress site in: its posts, attachments, authors, categories and tags,
and every old address.

    manage.py import_wordpress export.xml --media-dir wp-content/uploads
    manage.py import_wordpress export.xml --media-base-url https://old.example.kz/wp-content/uploads/
    manage.py import_wordpress export.xml --language kk --create-staff --pages

The export is read three times as a stream, never held whole: first to check
all of it and count (nothing is written from a file that does not read to the
end), then for its attachments (photos), then for its posts (stories), so a
post finds its photos whatever their order in the file. Each object is saved in
a transaction of its own; run again, the import updates what changed and makes
nothing twice (wordpress.models.ImportedItem keeps what each object became).
"""

import contextlib
import hashlib
import mimetypes
import posixpath
import re
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.caching import one_change
from articles.models import RESERVED_SECTION_SLUGS, Article, Byline, Section
from media import decoding, imaging
from media.management.commands.renditions import Progress
from media.models import Photo
from newsroom.models import Author
from newsroom.slugs import slugify
from wordpress import content, wxr
from wordpress.models import ImportedItem, OldAddress, link_key, note_old_addresses

STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # with its moment to come: scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
    "private": Article.Status.UNPUBLISHED,
}
# Never stories: WordPress's working copies and the trash (a trashed post imported
# before is unpublished, see import_post).
SKIPPED_STATUSES = {
    "trash": "in WordPress's trash",
    "auto-draft": "an empty automatic draft",
    "inherit": "a revision",
}
UPLOADS = "/wp-content/uploads/"
# WordPress's smaller copies of an upload: photo-1024x768.jpg, photo-scaled.jpg.
SIZED_COPY = re.compile(r"-(?:\d{1,5}x\d{1,5}|scaled|rotated)(?=\.\w+$)")
# A credit WordPress users often type into a caption: «… Фото: akorda.kz».
CREDIT_IN_CAPTION = re.compile(r"(?:Фото|Сурет|Photo|Foto)\s*:\s*(?P<credit>[^.;|]+)", re.I)
NO_DATE = "0000-00-00 00:00:00"
EXAMPLES = 5  # ids shown per reason in the report
# Saves told to the page cache as one change (articles.caching.one_change): a new
# site state per hundred posts instead of several per post.
BATCH = 100


class Command(BaseCommand):
    help = "Imports a WordPress export (WXR 1.1 or 1.2): posts, photos, authors, old addresses."

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file WordPress's Tools → Export wrote.")
        parser.add_argument(
            "--media-dir",
            help="A copy of the site's wp-content/uploads folder: files are looked up by "
            "the path after wp-content/uploads/.",
        )
        parser.add_argument(
            "--media-base-url",
            help="Fetch files missing from --media-dir from here (the old site's "
            "wp-content/uploads/ address). Nothing is fetched unless it is given.",
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help="The edition the stories go to (ru, kk, en; default: the site's).",
        )
        parser.add_argument(
            "--create-staff",
            action="store_true",
            help="Give each WordPress author a staff account in the Reporters group, "
            "with no usable password (set one with «Reset password»).",
        )
        parser.add_argument(
            "--pages", action="store_true", help="Import pages (About, Contacts) as stories too."
        )
        parser.add_argument(
            "--credit",
            default="",
            help="The credit line for photos whose file and caption name none.",
        )

    def handle(self, *args, **options):
        self.options = options
        self.check_options()
        self.report = Report()
        self.quiet = options["verbosity"] == 0
        started = time.monotonic()
        self.survey()
        self.check_site()
        for phase, kinds, step in (
            ("photos", {"attachment"}, self.import_attachment),
            ("stories", self.story_types(), self.import_post),
        ):
            self.run_phase(phase, kinds, step)
        note_old_addresses()
        self.report.seconds = time.monotonic() - started
        self.stdout.write(self.report.text(self.channel))

    # Options and the first reading ------------------------------------------------

    def check_options(self):
        options = self.options
        languages = dict(settings.LANGUAGES)
        if options["language"] not in languages:
            raise CommandError(
                f"--language {options['language']!r}: choose one of {', '.join(languages)}."
            )
        self.path = Path(options["export"])
        if not self.path.is_file():
            raise CommandError(f"export: no file at {self.path}.")
        media_dir = options["media_dir"]
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        if self.media_dir and not self.media_dir.is_dir():
            raise CommandError(f"--media-dir: no folder at {media_dir}.")
        base = options["media_base_url"] or ""
        if base and urlsplit(base).scheme not in {"http", "https"}:
            raise CommandError(f"--media-base-url {base!r}: give an http:// or https:// address.")
        self.media_base_url = base.rstrip("/") + "/" if base else ""

    def story_types(self):
        return {"post", "page"} if self.options["pages"] else {"post"}

    def parts(self):
        with self.path.open("rb") as file:
            yield from wxr.read(file)

    def survey(self):
        """Read the whole export once, writing nothing: a file that is not whole imports nothing."""
        self.categories, self.category_ids, self.authors = {}, {}, {}
        self.counts = Counter()
        try:
            for part in self.parts():
                if part.kind == "channel":
                    self.channel = part.element
                elif part.kind == "wp:category":
                    nicename = text(part.element, "wp:category_nicename")
                    self.categories[nicename] = (
                        content.plain(text(part.element, "wp:cat_name")) or unquote(nicename),
                        text(part.element, "wp:category_parent"),
                    )
                    term_id = to_int(text(part.element, "wp:term_id"))
                    if term_id is not None:
                        self.category_ids[term_id] = nicename
                elif part.kind == "wp:author":
                    self.authors[text(part.element, "wp:author_login")] = {
                        name: text(part.element, f"wp:author_{name}")
                        for name in ("email", "display_name", "first_name", "last_name")
                    }
                elif part.kind == "item":
                    self.counts[text(part.element, "wp:post_type") or "post"] += 1
        except wxr.ExportError as error:
            raise CommandError(
                f"The export cannot be read: {error}. Nothing was imported."
            ) from None
        self.site = self.channel["base_site_url"] or self.channel["link"]
        self.report.counts = self.counts

    def check_site(self):
        other = ImportedItem.objects.exclude(site=self.site).values_list("site", flat=True).first()
        if other is not None:
            raise CommandError(
                f"This site already holds the import of {other}; an export of {self.site} "
                "would mix two sites' ids and addresses. Nothing was imported."
            )

    def run_phase(self, phase, kinds, step):
        total = sum(self.counts[kind] for kind in kinds)
        progress = Progress(self.stderr, total, quiet=self.quiet or not total)
        done, line = 0, 0
        batch = contextlib.ExitStack()
        try:
            for part in self.parts():
                if part.kind != "item":
                    continue
                kind = text(part.element, "wp:post_type") or "post"
                if kind not in kinds:
                    if phase == "stories" and kind not in {"attachment", "post", "page"}:
                        self.report.skip("other", f"post type «{kind}»", post_id(part.element))
                    elif phase == "stories" and kind == "page":
                        self.report.skip(
                            "page", "a page (--pages imports them)", post_id(part.element)
                        )
                    continue
                line = part.line
                if done % BATCH == 0:  # readers see the import a batch at a time
                    batch.close()
                    batch.enter_context(one_change())
                step(part.element)
                done += 1
                progress.show(done, f"{phase}: {post_id(part.element)}")
        except (wxr.ExportError, KeyboardInterrupt) as error:
            batch.close()
            progress.end()
            self.report.stopped = (
                f"while reading {phase}, after line {line}: {error or 'interrupted'}"
            )
            self.stdout.write(self.report.text(self.channel))
            raise CommandError(
                f"Stopped {self.report.stopped}. What came before is imported; run the "
                "same command again to go on (nothing is made twice)."
            ) from None
        batch.close()
        progress.end()

    # Attachments → library photos ----------------------------------------------------

    def import_attachment(self, element):
        key = post_id(element)
        fingerprint = fingerprint_of(element)
        item = ImportedItem.objects.filter(kind="attachment", key=key).first()
        if item and item.fingerprint == fingerprint and item.photo_id:
            self.report.count("photos", "unchanged")
            return
        path = uploads_path(element)
        parent = text(element, "wp:post_parent")
        mime = text(element, "wp:post_mime_type") or mimetypes.guess_type(path)[0] or ""
        addresses = " ".join(
            key for key in {link_key(text(element, "link")), f"?attachment_id={key}"} if key
        )
        fields = {
            "site": self.site,
            "file_path": path,
            "parent_key": "" if parent in {"", "0"} else parent,
            "old_addresses": addresses,
            "imported_at": timezone.now(),
        }
        if mime and not mime.startswith("image/"):
            self.report.skip("attachment", f"not a photo ({mime})", key)
            return
        caption = content.plain(text(element, "excerpt:encoded"))
        # «… Фото: akorda.kz» in a caption is the credit: the photo's credit line
        # (unless its file names one), and no part of its description, which pages
        # print beside the credit.
        found = CREDIT_IN_CAPTION.search(caption)
        caption_credit = found["credit"].strip() if found else ""
        if found:
            caption = (caption[: found.start()] + caption[found.end() :]).strip(" ,;—–-")
        described = {
            "alt_text": content.plain(meta(element, "_wp_attachment_image_alt"))[:300],
            "description": caption or content.plain(text(element, "content:encoded")),
        }
        try:
            with transaction.atomic():
                if item and item.photo_id:
                    photo = item.photo
                    for name, value in described.items():
                        if value:
                            setattr(photo, name, value)
                    photo.save()
                    outcome = "updated"
                else:
                    photo, outcome = self.photo_from_file(path, described, caption_credit, key)
                if photo is None:
                    outcome_fields = {**fields, "fingerprint": ""}  # tried again next time
                else:
                    outcome_fields = {**fields, "photo": photo, "fingerprint": fingerprint}
                ImportedItem.objects.update_or_create(
                    kind="attachment", key=key, defaults=outcome_fields
                )
        except (ValidationError, IntegrityError, ValueError) as error:
            self.report.skip("attachment", f"could not be saved: {error}", key)
            return
        if outcome:
            self.report.count("photos", outcome)

    def photo_from_file(self, path, described, caption_credit, key):
        """A library photo from the attachment's file: (photo, outcome), or (None, None)."""
        data, where = self.read_upload(path)
        if data is None:
            self.report.missing.add(f"{path or '(no file named)'} (attachment {key}): {where}")
            return None, None
        if len(data) > settings.NEWSROOM_MAX_UPLOAD_BYTES:
            self.report.skip("attachment", "the file is over the photo desk's size limit", key)
            return None, None
        twin = Photo.objects.filter(file_hash=hashlib.sha256(data).hexdigest()).first()
        if twin is not None:
            return twin, "matched"
        try:
            # Like a task worker, the import waits for a decoding slot as long as it
            # takes, and leaves the first one to the people uploading in the admin.
            with decoding.slot(wait=24 * 3600, background=True):
                inspection = imaging.inspect(data, max_pixels=settings.NEWSROOM_MAX_IMAGE_PIXELS)
                fields = {name: value for name, value in described.items() if value}
                if not inspection.metadata.get("credit_line"):
                    credit = (
                        caption_credit
                        or inspection.metadata.get("creator")
                        or self.options["credit"]
                    )
                    if credit:
                        fields["credit_line"] = credit[:200]
                photo = Photo.objects.create_from_file(
                    data,
                    posixpath.basename(path) or f"wordpress-{key}.jpg",
                    inspection=inspection,
                    **fields,
                )
        except imaging.RefusedImage as refusal:
            self.report.skip("attachment", f"refused by the photo desk: {refusal.args[0]}", key)
            return None, None
        if not photo.is_complete:
            self.report.incomplete.add(photo.pk)
        return photo, "imported"

    def read_upload(self, path):
        """The bytes of an upload: (data, None), or (None, why not)."""
        if not path:
            return None, "the export names no file"
        if self.media_dir:
            candidate = (self.media_dir / path).resolve()
            if not candidate.is_relative_to(self.media_dir):
                return None, "the path leads out of --media-dir"
            if candidate.is_file():
                return candidate.read_bytes(), None
        if self.media_base_url:
            url = urljoin(self.media_base_url, path)
            limit = settings.NEWSROOM_MAX_UPLOAD_BYTES
            try:
                with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (http(s) only)
                    data = response.read(limit + 1)
                return data, None
            except (OSError, ValueError) as error:
                return None, f"not fetched from {url}: {error}"
        return None, "not in --media-dir" if self.media_dir else "no --media-dir given"

    def photo_for(self, attachment_id, src):
        """
        The library photo an image in a post shows: by attachment id, else by
        file. An attachment known without its file (not found yet) marks the
        post as waiting for files: the next import tries it again.
        """
        attachments = ImportedItem.objects.filter(kind="attachment").select_related("photo")
        found = None
        if attachment_id is not None:
            found = attachments.filter(key=str(attachment_id)).first()
        path = uploads_path_of(src)
        if (found is None or found.photo is None) and path:
            by_file = (
                attachments.filter(file_path__in={path, SIZED_COPY.sub("", path)})
                .order_by(F("photo").asc(nulls_last=True))
                .first()
            )
            found = by_file or found
        if found is not None and found.photo is None:
            self.waiting_for_files = True
        return found.photo if found else None

    # Posts → stories --------------------------------------------------------------------

    def import_post(self, element):
        key = post_id(element)
        kind = text(element, "wp:post_type") or "post"
        status = text(element, "wp:status")
        item = ImportedItem.objects.filter(kind=kind, key=key).select_related("article").first()
        fingerprint = fingerprint_of(element)
        if item and item.article_id is None:
            self.report.skip(kind, "deleted here since it was imported; not made again", key)
            return
        if item and item.fingerprint == fingerprint:
            self.report.count("stories", "unchanged")
            return
        if item and item.article.updated_at > item.imported_at:
            self.report.skip(kind, "edited here since it was imported; not overwritten", key)
            return
        if status in SKIPPED_STATUSES and not (item and status == "trash"):
            self.report.skip(kind, SKIPPED_STATUSES[status], key)
            return
        if status not in STATUSES and status != "trash":
            self.report.skip(kind, f"status «{status}»", key)
            return
        try:
            section = author = None
            if status != "trash":
                # Each in a transaction of its own, before the story's: kept for the
                # next post even if this one fails.
                with transaction.atomic():
                    section = self.section_for(element)
                with transaction.atomic():
                    author = self.author_for(text(element, "dc:creator"))
            with transaction.atomic(), reversion.create_revision():
                reversion.set_comment(f"Imported from WordPress ({kind} {key})")
                outcome = self.save_story(
                    element, item, kind, key, status, fingerprint, section, author
                )
        except (ValidationError, IntegrityError, ValueError) as error:
            self.report.skip(kind, f"could not be saved: {error}", key)
            return
        if outcome:
            self.report.count("stories", outcome)

    def save_story(self, element, item, kind, key, status, fingerprint, section, author):
        article = item.article if item else Article(language=self.options["language"])
        if status == "trash":  # imported before, trashed since
            article.status = Article.Status.UNPUBLISHED
            article.save()
            self.record(item, kind, key, article, fingerprint)
            return "unpublished"
        self.waiting_for_files = False
        converted = content.convert(text(element, "content:encoded"), self.photo_for)
        lead = content.plain(text(element, "excerpt:encoded"))
        body = converted.html
        if not lead:
            lead, body = content.split_lead(body)
        if len(body) > settings.NEWSROOM_MAX_BODY_CHARS:
            raise ValidationError(
                f"body: {len(body)} characters, over NEWSROOM_MAX_BODY_CHARS "
                f"({settings.NEWSROOM_MAX_BODY_CHARS})"
            )
        title = content.plain(text(element, "title"))[:300] or lead[:80] or f"WordPress {key}"
        posted = post_time(element)
        article.title = title
        article.lead = lead or title
        article.body = body
        article.status = STATUSES[status]
        article.published_at = posted if status in {"publish", "future", "private"} else None
        article.is_top = text(element, "wp:is_sticky") == "1"
        article.section = section
        article.lead_photo = self.photo_for(to_int(meta(element, "_thumbnail_id")), "")
        if not article.slug:
            article.slug = self.free_slug(
                Article, unquote(text(element, "wp:post_name")) or title, 200, key
            )
        created = article.pk is None
        article.save()
        if created and posted:
            Article.objects.filter(pk=article.pk).update(created_at=min(posted, timezone.now()))
        if author is not None:
            Byline.objects.get_or_create(article=article, author=author, role=Byline.Role.TEXT)
        article.tags.set(
            [
                content.plain(category.text)[:100]
                for category in element.findall("category")
                if category.get("domain") == "post_tag" and content.plain(category.text)
            ]
        )
        self.map_addresses(element, article, kind, key)
        for note in dict.fromkeys(converted.notes):
            self.report.note(note, key)
        shown = [article.lead_photo, *converted.photos] if article.lead_photo else converted.photos
        if article.is_published and any(not photo.is_complete for photo in shown):
            self.report.note("published with a photo lacking alt text or credit line", key)
        # A post whose photo was not found yet is tried again by the next import.
        self.record(item, kind, key, article, "" if self.waiting_for_files else fingerprint)
        return "imported" if created else "updated"

    def record(self, item, kind, key, article, fingerprint):
        ImportedItem.objects.update_or_create(
            kind=kind,
            key=key,
            defaults={
                "site": self.site,
                "article": article,
                "fingerprint": fingerprint,
                # After the story's last save: a later edit here is newer than this.
                "imported_at": timezone.now(),
            },
        )

    def map_addresses(self, element, article, kind, key):
        query = "page_id" if kind == "page" else "p"
        keys = {f"?{query}={key}", link_key(text(element, "link")), link_key(text(element, "guid"))}
        # An attachment's page goes to the story it belongs to, else the first that shows it.
        shown = [photo.pk for photo in [article.lead_photo] if photo] + list(
            article.body_photos.values_list("photo_id", flat=True)
        )
        attachments = ImportedItem.objects.filter(kind="attachment").filter(
            Q(parent_key=key) | Q(photo__in=shown)
        )
        for addresses in attachments.values_list("old_addresses", flat=True):
            keys.update(addresses.split())
        for path in keys - {None}:
            address, made = OldAddress.objects.get_or_create(
                path=path, defaults={"article": article}
            )
            if made:
                self.report.count("old addresses", "mapped")
            elif address.article_id != article.pk and not path.startswith("?attachment"):
                self.report.note(f"old address {path} already leads to another story", key)

    # Sections, authors ------------------------------------------------------------------

    def section_for(self, element):
        """The section of a post's first category's top level; the mapping goes into the report."""
        nicenames = [
            category.get("nicename", "")
            for category in element.findall("category")
            if category.get("domain") == "category"
        ]
        primary = to_int(meta(element, "_yoast_wpseo_primary_category"))
        nicename = nicenames[0] if nicenames else ""
        if primary in self.category_ids:  # Yoast's «primary category», named by term id
            nicename = self.category_ids[primary]
        top = self.top_category(nicename)
        if top in self.sections:
            return self.sections[top]
        item = (
            ImportedItem.objects.filter(kind="category", key=top or "-")
            .select_related("section")
            .first()
        )
        section = item.section if item and item.section else None
        name = self.categories.get(top, (unquote(top),))[0] if top else "WordPress"
        how = "kept"
        if section is None:
            section = Section.objects.filter(name__iexact=name).first()
            how = "matched by name"
        if section is None:
            slug = self.free_slug(Section, name, 100, "wordpress", reserved=RESERVED_SECTION_SLUGS)
            section = Section.objects.create(name=name[:100], slug=slug)
            how = "created"
        ImportedItem.objects.update_or_create(
            kind="category",
            key=top or "-",
            defaults={"site": self.site, "section": section, "imported_at": timezone.now()},
        )
        self.sections[top] = section
        self.report.sections.append((top, name, section.name, how))
        for nested, (nested_name, _parent) in self.categories.items():
            if nested != top and self.top_category(nested) == top:
                self.report.nested.append((nested_name, section.name))
        return section

    @property
    def sections(self):
        if not hasattr(self, "_sections"):
            self._sections = {}
        return self._sections

    def top_category(self, nicename):
        seen = set()
        while nicename in self.categories and self.categories[nicename][1] and nicename not in seen:
            seen.add(nicename)
            nicename = self.categories[nicename][1]
        return nicename

    def author_for(self, login):
        if not login:
            return None
        cache = self.__dict__.setdefault("_authors", {})
        if login in cache:
            return cache[login]
        item = (
            ImportedItem.objects.filter(kind="author", key=login).select_related("author").first()
        )
        author = item.author if item and item.author_id else None
        if author is None:
            known = self.authors.get(login, {})
            full = f"{known.get('first_name', '')} {known.get('last_name', '')}".strip()
            name = (known.get("display_name") or full or login)[:200]
            author = Author.objects.filter(name=name).first()
            if author is None:
                slug = self.free_slug(Author, name, 200, login)
                author = Author.objects.create(name=name, slug=slug)
                self.report.count("authors", "created")
            else:
                self.report.count("authors", "matched by name")
            if self.options["create_staff"]:
                self.staff_account(login, known, author)
            ImportedItem.objects.update_or_create(
                kind="author",
                key=login,
                defaults={"site": self.site, "author": author, "imported_at": timezone.now()},
            )
        cache[login] = author
        return author

    def staff_account(self, login, known, author):
        User = get_user_model()
        if author.user_id:
            return
        if User.objects.filter(username=login).exists():
            self.report.note(f"account «{login}» exists already; not linked to its author", login)
            return
        user = User(
            username=login[:150],
            email=known.get("email", "")[:254],
            first_name=known.get("first_name", "")[:150],
            last_name=known.get("last_name", "")[:150],
            is_staff=True,
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name="Reporters"))
        author.user = user
        author.save(update_fields=["user"])
        self.report.count("staff accounts", "created")

    def free_slug(self, model, source, length, suffix, reserved=()):
        slug = slugify(source, max_length=length) or slugify(f"wp-{suffix}", max_length=length)
        if slug in reserved or model.objects.filter(slug=slug).exists():
            tail = slugify(f"-{suffix}", max_length=length) or "wp"
            slug = f"{slug[: length - len(tail) - 1]}-{tail}"
        number = 2
        base = slug
        while slug in reserved or model.objects.filter(slug=slug).exists():
            slug = f"{base[: length - 6]}-{number}"
            number += 1
        return slug


class Report:
    """What the import did, for the operator: counts, every reason for a skip, where it stopped."""

    def __init__(self):
        self.counts = Counter()
        self.outcomes = defaultdict(Counter)
        # Counts and the first few ids, whatever the size of the export.
        self.skipped = defaultdict(Examples)  # (kind, reason) → ids
        self.notes = defaultdict(Examples)  # note → post ids
        self.missing = Examples(50)  # lines naming the files
        self.incomplete = Examples(20)  # photo ids
        self.sections = []
        self.nested = []
        self.stopped = ""
        self.seconds = 0.0

    def count(self, what, outcome):
        self.outcomes[what][outcome] += 1

    def skip(self, kind, reason, key):
        self.skipped[(kind, reason)].add(key)

    def note(self, note, key):
        self.notes[note].add(key)

    def text(self, channel):
        lines = [
            f"WordPress export of {channel.get('base_site_url') or channel.get('link')} "
            f"(WXR {channel.get('version')}): "
            + ", ".join(f"{count} {kind}" for kind, count in sorted(self.counts.items())),
        ]
        for what in ("stories", "photos", "authors", "staff accounts", "old addresses"):
            outcomes = self.outcomes.get(what)
            if outcomes:
                lines.append(
                    f"{what.capitalize()}: "
                    + ", ".join(
                        f"{count} {outcome}"
                        for outcome, count in sorted(outcomes.items(), key=outcome_order)
                    )
                )
        if self.sections:
            lines.append("Categories → sections:")
            lines += [
                f"  {name} ({slug or '—'}) → {section} [{how}]"
                for slug, name, section, how in self.sections
            ]
            lines += [f"  {name} (nested) → {section}" for name, section in self.nested]
        if self.skipped:
            lines.append("Skipped:")
            for (kind, reason), keys in self.skipped.items():
                lines.append(f"  {keys.count} {kind}: {reason} ({keys})")
        if self.notes:
            lines.append("Changed or dropped in the text:")
            for note, keys in self.notes.items():
                lines.append(f"  {note}: {keys.count} (posts {keys})")
        if self.missing.count:
            lines.append(f"Files not found: {self.missing.count}")
            lines += [f"  {line}" for line in self.missing.first]
            if self.missing.count > len(self.missing.first):
                lines.append(f"  … and {self.missing.count - len(self.missing.first)} more")
        if self.incomplete.count:
            lines.append(
                f"Photos without alt text or credit line: {self.incomplete.count} (ids "
                f"{self.incomplete}): complete them in the photo library."
            )
        if self.stopped:
            lines.append(f"Stopped {self.stopped}.")
        else:
            lines.append(f"Done in {self.seconds:.1f} s.")
        return "\n".join(lines)


OUTCOMES = ["imported", "created", "updated", "unpublished", "matched", "matched by name", "mapped"]


def outcome_order(pair):
    return OUTCOMES.index(pair[0]) if pair[0] in OUTCOMES else len(OUTCOMES)


class Examples:
    """How many, and the first few: a report's list that stays small on any export."""

    def __init__(self, keep=EXAMPLES):
        self.keep, self.count, self.first = keep, 0, []

    def add(self, key):
        self.count += 1
        if len(self.first) < self.keep:
            self.first.append(key)

    def __str__(self):
        return ", ".join(str(key) for key in self.first) + (
            ", …" if self.count > len(self.first) else ""
        )


def text(element, path):
    if isinstance(element, dict):
        return element.get(path, "")
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def post_id(element):
    return text(element, "wp:post_id")


def meta(element, key):
    for entry in element.findall("wp:postmeta"):
        if text(entry, "wp:meta_key") == key:
            return text(entry, "wp:meta_value")
    return ""


def to_int(value):
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None


def fingerprint_of(element):
    """The item as exported, without its comments (which this import leaves behind)."""
    for comment in element.findall("wp:comment"):
        element.remove(comment)
    return hashlib.sha256(ElementTree.tostring(element)).hexdigest()


def post_time(element):
    """The post's moment: WordPress's UTC time, else its local time read as the site's zone."""
    for name, zone in (("wp:post_date_gmt", ZoneInfo("UTC")), ("wp:post_date", None)):
        value = text(element, name)
        if not value or value == NO_DATE:
            continue
        try:
            moment = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
        return moment.replace(tzinfo=zone or timezone.get_default_timezone())
    return None


def uploads_path(element):
    """The attachment's file, as the path after wp-content/uploads/."""
    return meta(element, "_wp_attached_file").lstrip("/") or uploads_path_of(
        text(element, "wp:attachment_url")
    )


def uploads_path_of(address):
    path = unquote(urlsplit(address or "").path)
    if UPLOADS not in path:
        return ""
    return path.split(UPLOADS, 1)[1].lstrip("/")
