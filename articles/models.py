import logging
import secrets
from datetime import UTC, timedelta

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext, override
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles.body import IMAGE, library_images, photo_ids, plain_text
from media.models import Photo
from media.specs import SHARE_SPEC
from newsroom.models import EMPTY_ADDRESS, Author
from newsroom.slugs import fill_slug, slugify
from project.address import absolute_url
from project.editions import editions

logger = logging.getLogger(__name__)

# How Open Graph spells each edition's locale.
OG_LOCALES = {"ru": "ru_RU", "kk": "kk_KZ", "en": "en_GB"}

# Paths that the site's own URLs use at the top level: a section cannot take them.
RESERVED_SECTION_SLUGS = {
    "admin", "authors", "tags", "search", "rss", "static", "uploads", "img", "preview",
    "sitemap.xml", "sitemaps", "robots.txt", "kk", "en", "ru", "i18n", "api",
}  # fmt: skip


class Section(models.Model):
    """A rubric: «События», «Экономика». Stories belong to exactly one."""

    name = models.CharField(_("name"), max_length=100)
    name_kk = models.CharField(
        _("name in Kazakh"),
        max_length=100,
        blank=True,
        help_text=_("Shown on the Kazakh site. Left empty, the Russian name."),
    )
    name_en = models.CharField(
        _("name in English"),
        max_length=100,
        blank=True,
        help_text=_("Shown on the English site. Left empty, the Russian name."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        blank=True,
        help_text=_("The section's address. Left empty, it is made from the name."),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the site's navigation, smallest first.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="section_slug_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(slug=""),
                name="section_slug_not_empty",
                violation_error_message=EMPTY_ADDRESS,
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, max_length=100)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})

    @property
    def local_name(self):
        """The name in the language of the page being shown."""
        return self.name_in(get_language())

    def name_in(self, language):
        """The name an edition shows: its own, else the Russian one."""
        return getattr(self, f"name_{language}", "") or self.name

    def clean(self):
        fill_slug(self, "name")
        if self.slug in RESERVED_SECTION_SLUGS:
            raise ValidationError({"slug": _("This address is used by the site itself.")})


def reader_rule(prefix="", *, now=None):
    """
    The one rule for what readers may see, as lookups: published, and its moment has come.

    ``prefix`` names where a story's state is read: on the story itself, or on
    a row that lists it and carries a copy of that state (``story_``).
    """
    return {
        f"{prefix}status": Article.Status.PUBLISHED,
        f"{prefix}published_at__lte": now or timezone.now(),
    }


def scheduled_rule(prefix="", *, now=None):
    """Its complement among published stories: set to appear at a moment still to come."""
    return {
        f"{prefix}status": Article.Status.PUBLISHED,
        f"{prefix}published_at__gt": now or timezone.now(),
    }


# The lookups the rules use, as a story in memory answers them (None is never in time).
_COMPARE = {
    "exact": lambda value, wanted: value == wanted,
    "lte": lambda value, wanted: value is not None and value <= wanted,
    "gt": lambda value, wanted: value is not None and value > wanted,
}


def unseen_rule(prefix=""):
    """Stories readers have not seen yet: drafts, in review, scheduled (share links work)."""
    return models.Q(
        **{f"{prefix}status__in": [Article.Status.DRAFT, Article.Status.REVIEW]}
    ) | models.Q(**scheduled_rule(prefix))


def follows(obj, rule):
    """Whether an object in memory meets a rule written for the database."""
    for lookup, wanted in rule.items():
        field, _, compare = lookup.partition("__")
        if not _COMPARE[compare or "exact"](getattr(obj, field), wanted):
            return False
    return True


class StoryStateQuerySet(models.QuerySet):
    """
    The readers' vocabulary, for stories and for the rows that list them: what
    is published, what is scheduled, which edition, and which owners (sections,
    tags, authors) have a story readers may see. ``state_prefix`` says where the
    story's state is read; the model's ``owner_field`` names its owner.
    """

    state_prefix = ""

    def published(self):
        """The one rule for what readers may see."""
        return self.filter(**reader_rule(self.state_prefix))

    def scheduled(self):
        """Published with a moment still to come: embargoed until then."""
        return self.filter(**scheduled_rule(self.state_prefix))

    def unseen(self):
        """Not yet before readers: drafts, stories in review, scheduled ones."""
        return self.filter(unseen_rule(self.state_prefix))

    def in_language(self, language=None):
        """Each language is its own edition: /kk/ lists Kazakh stories, / Russian ones."""
        return self.filter(**{f"{self.state_prefix}language": language or get_language()})

    def owners(self):
        """
        The owners these stories stand behind: ``published().in_language().owners()``
        are the sections (tags, authors) that have a page in this edition. One
        index probe per owner, whatever the size of the archive.
        """
        field = self.model.owner_field
        owner_model = self.model._meta.get_field(field).related_model
        return owner_model.objects.filter(
            models.Exists(self.filter(**{field: models.OuterRef("pk")}))
        )


# Stands in for an owner's id while a part of a union is compiled: no row has it.
STAND_IN_ID = -7_368_547_119


def union_all(querysets=(), *, each=None, ids=()):
    """
    The rows of several sliced querysets in one round trip.

    Each part keeps its own ORDER BY and LIMIT, so each is read from its own
    index («the newest four of every section»); Django's union() cannot say
    that on SQLite, where a compound SELECT takes no ORDER BY in its parts.

    ``each(id)`` for each of ``ids`` adds parts that differ only in an owner's
    id (a section's, a tag's). Django's compiler costs more than the database
    does here (ten sections compiled one by one took longer than their query),
    so that part is compiled once with a stand-in id, and each id takes its
    place among the parameters.
    """
    sql, params = union_all_sql(querysets, each=each, ids=ids)
    if sql is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def union_all_sql(querysets=(), *, each=None, ids=()):
    """union_all's query as (sql, params), to use as a subquery: (None, []) when it has no part."""
    pieces = [queryset.query.sql_with_params() for queryset in querysets]
    ids = list(ids)
    if each is not None and ids:
        sql, params = each(STAND_IN_ID).query.sql_with_params()
        places = [place for place, value in enumerate(params) if value == STAND_IN_ID]
        if len(places) == 1:
            pieces += [
                (
                    sql,
                    tuple(
                        pk if place == places[0] else value for place, value in enumerate(params)
                    ),
                )
                for pk in ids
            ]
        else:  # the stand-in is not a plain parameter: compile each
            pieces += [each(pk).query.sql_with_params() for pk in ids]
    if not pieces:
        return None, []
    sql = " UNION ALL ".join(
        f"SELECT * FROM ({part}) AS part{number}" for number, (part, _params) in enumerate(pieces)
    )
    return sql, [value for _part, params in pieces for value in params]


def _as_moment(value):
    # A moment read through union_all's plain cursor: SQLite hands back its text, or
    # a naive datetime when the connection converts timestamps itself; both are UTC.
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


class ListingQuerySet(StoryStateQuerySet):
    """Rows that list a story under an owner (a tag, an author), read through the story's copy."""

    state_prefix = "story_"

    def newest_story_ids(self):
        """Story ids, newest first: one index (owner, edition, state, time) serves it."""
        story = self.model.story_field
        return self.order_by("-story_published_at", f"-{story}_id").values_list(
            f"{story}_id", flat=True
        )


class StoryStateCopy(models.Model):
    """
    A copy of the listed story's status, edition and publication time.

    An owner's page (a tag's, an author's) wants its newest published stories.
    With the state on the listing row, one index finds them, reading twenty
    rows whether the owner has twenty stories or fifty thousand; a join to the
    stories table would read and sort them all. Article.save() keeps the copy
    current; readers' queries still end in Article.objects.published(), so a
    stale copy could only leave a story out, never show one.
    """

    story_status = models.CharField(max_length=20, default="", editable=False)
    story_language = models.CharField(max_length=8, default="", editable=False)
    story_published_at = models.DateTimeField(null=True, editable=False)

    objects = ListingQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.copy_story_state()
        super().save(*args, **kwargs)

    def copy_story_state(self):
        for copy, value in story_state(getattr(self, self.story_field)).items():
            setattr(self, copy, value)


# Each copy on a listing row, and the story's field it copies.
STORY_STATE = {
    "story_status": "status",
    "story_language": "language",
    "story_published_at": "published_at",
}
STORY_STATE_FIELDS = list(STORY_STATE)


def story_state(story):
    """The copies a story's listing rows carry, as the story stands."""
    return {copy: getattr(story, field) for copy, field in STORY_STATE.items()}


class Tag(TagBase):
    """A taggit tag whose slug is Latin, like every other slug on the site."""

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def slugify(self, tag, i=None):
        slug = slugify(tag, max_length=90) or "tag"
        return f"{slug}-{i}" if i is not None else slug

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


def tags_from_string(text):
    """«Касым-Жомарт Токаев, Азербайджан» → the names, commas only, each once, in typed order."""
    names = []
    for name in (text or "").split(","):
        name = " ".join(name.strip().strip('"').split())
        if name and name.casefold() not in {known.casefold() for known in names}:
            names.append(name)
    return names


def string_from_tags(tags):
    """The tags as an editor typed them: comma-separated, never quoted."""
    return ", ".join(tag.name for tag in tags)


class TaggedArticle(StoryStateCopy, TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    story_field = "content_object"
    owner_field = "tag"

    class Meta:
        verbose_name = _("tagged story")
        verbose_name_plural = _("tagged stories")
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"],
                name="tagged_article_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=[
                    "tag", "story_language", "story_status", "-story_published_at",
                    "-content_object",
                ],
                name="tagged_article_listing_idx",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.content_object_id}: {self.tag}"


class TypedOrderTags(_TaggableManager):
    """
    A story's tags in the order they were given. Taggit keeps the rows a story
    already has and appends new ones, and reads them by row: a reordered or
    inserted tag would come back elsewhere. So a different order makes the rows
    anew, in the given order, and they are read by row (TypedOrderTaggableManager).
    """

    def set(self, tags, *, through_defaults=None, **kwargs):
        tags = list(tags)
        given = [tag if isinstance(tag, str) else tag.name for tag in tags]
        if [name.casefold() for name in given] != [name.casefold() for name in self.names()]:
            kwargs["clear"] = True
        super().set(tags, through_defaults=through_defaults, **kwargs)


class TypedOrderTaggableManager(TaggableManager):
    """Tags read and shown in the order the editor typed them: the form, pages, feeds, API."""

    def __init__(self, *args, **kwargs):
        kwargs |= {"manager": TypedOrderTags, "ordering": ["tagged_articles__pk"]}
        super().__init__(*args, **kwargs)

    def value_from_object(self, obj):
        # Taggit's own reads the rows in no particular order: the form showed them shuffled.
        return [] if obj.pk is None else list(getattr(obj, self.name).all())


# What a link to a story needs: its address and what the link shows.
LINK_FIELDS = [
    "title", "slug", "language", "published_at", "section__slug", "section__name",
    "section__name_kk", "section__name_en", "section_id",
    # Which version and which event: what kept parts of a page are known by.
    "edit_token", "translation_of_id",
]  # fmt: skip


def new_edit_token():
    return secrets.token_hex(16)


def _own_stories(user):
    bylined = Byline.objects.filter(author__user=user).values("article_id")
    return Q(created_by=user) | Q(pk__in=bylined)


class ArticleQuerySet(StoryStateQuerySet):
    def visible_to_staff(self, user):
        """
        The one rule for what a staff member may open in the admin.

        Editors (who publish) see every story; anyone else only the stories they
        created or are bylined on, whatever their state: a colleague's draft or
        embargoed story is not theirs to read, nor its history or its versions.
        """
        if not user.is_authenticated or not user.has_perm("articles.view_article"):
            return self.none()
        if user.has_perm("articles.publish_article"):
            return self
        return self.filter(_own_stories(user))

    def linkable_by(self, user):
        """What a story may point to (read also, translation of): theirs, or already public."""
        if not user.is_authenticated or not user.has_perm("articles.view_article"):
            return self.none()
        if user.has_perm("articles.publish_article"):
            return self
        return self.filter(_own_stories(user) | Q(**reader_rule()))

    def in_section(self, section):
        return self.filter(section=section)

    def read_also(self, language=None, story_ids=()):
        """
        What «read also» may offer: published stories of the edition (a reader of one
        edition is sent to no other), never working copies, never the story itself.
        """
        stories = self.published().stories().exclude(pk__in=[pk for pk in story_ids if pk])
        return stories if language is None else stories.filter(language=language)

    def photographers(self):
        """Authors credited for a photo these stories show, lead or in the text: credits link."""
        shows = models.Q(models.Exists(self.filter(lead_photo=models.OuterRef("pk")))) | models.Q(
            models.Exists(self.filter(body_photos__photo=models.OuterRef("pk")))
        )
        photos = Photo.objects.filter(creator_author=models.OuterRef("pk")).filter(shows)
        return Author.objects.filter(models.Exists(photos))

    def stories(self):
        """The stories themselves, without the working copies of live ones."""
        return self.filter(copy_of__isnull=True)

    def scheduled_changes(self):
        """Working copies an editor has scheduled to replace their published story."""
        return self.filter(changes_go_live_at__isnull=False)

    def next_publication_time(self):
        """
        When readers' pages next change by themselves: a scheduled story appears, or
        scheduled changes replace a published version. None if nothing is scheduled.
        """
        rows = union_all(
            [
                self.scheduled().order_by("published_at").values_list("published_at")[:1],
                self.scheduled_changes()
                .order_by("changes_go_live_at")
                .values_list("changes_go_live_at")[:1],
            ]
        )
        moments = [_as_moment(moment) for (moment,) in rows if moment is not None]
        return min(moments, default=None)

    def publish_due_changes(self, now=None):
        """
        Put scheduled changes whose moment has come before readers. Called when a
        scheduled moment passes (articles/caching.py), so no background job is needed.
        """
        now = now or timezone.now()
        due = self.scheduled_changes().filter(changes_go_live_at__lte=now)
        published = []
        for copy in due.order_by("changes_go_live_at", "pk"):
            story = copy.publish_scheduled_changes()
            if story is not None:
                published.append(story)
        return published

    def newest_ids(self):
        """Ids, newest first: what every list reads from an index before it reads rows."""
        return self.order_by("-published_at", "-pk").values_list("pk", flat=True)

    def as_links(self, count):
        """
        The newest ``count`` as links (headline, time, section, address): their
        ids from the index, as a subquery of the query for the rows. ``None``:
        these stories as links, whichever they are.
        """
        stories = self if count is None else self.filter(pk__in=self.newest_ids()[:count])
        return stories.select_related("section").only(*LINK_FIELDS).order_by("-published_at", "-pk")

    def most_read(self, count, *, now=None):
        """
        The ``count`` of these stories read most in the last 24 hours, as links,
        most read first. The hourly counts of the day are read by their hour's
        index and each probes its story by id: the cost follows how many stories
        were read that day, never the size of the archive.
        """
        ranked = list(
            Reading.objects.last_day(now)
            .filter(story__in=self.values("pk"))
            .values("story")
            .annotate(reads=Sum("count"))
            .order_by("-reads", "-story")
            .values_list("story", flat=True)[:count]
        )
        if not ranked:
            return []
        rows = self.filter(pk__in=ranked).select_related("section").only(*LINK_FIELDS)
        by_id = {story.pk: story for story in rows}
        return [by_id[pk] for pk in ranked if pk in by_id]

    def with_reads_last_day(self, now=None):
        """Each story's readings in the last 24 hours, as ``reads_last_day``: by its own hours."""
        day = (
            Reading.objects.last_day(now)
            .filter(story=OuterRef("pk"))
            .order_by()
            .values("story")
            .annotate(reads=Sum("count"))
            .values("reads")
        )
        return self.annotate(reads_last_day=Coalesce(Subquery(day[:1]), 0))

    def top_story_id(self):
        """The newest story editors marked as the top one, else the newest of all."""
        rows = union_all(
            [
                self.filter(is_top=True).newest_ids()[:1].values_list("pk", "is_top"),
                self.newest_ids()[:1].values_list("pk", "is_top"),
            ]
        )
        marked = [pk for pk, is_top in rows if is_top]
        return (marked or [pk for pk, _is_top in rows] or [None])[0]

    def newest_ids_by_section(self, sections, count):
        """(section id, story id) of each section's newest ``count``, in one query."""
        return union_all(
            each=lambda section_id: (
                self.in_section(section_id)
                .order_by("-published_at", "-pk")[:count]
                .values_list("section_id", "pk")
            ),
            ids=[section.pk for section in sections],
        )

    def front_page(self, sections, latest=10, per_section=4):
        """
        The front page's stories, as cards: the top story, the ``latest`` others,
        and each section's newest ``per_section`` (a section's block shows its
        newest stories even when the latest news shows them too: a reader who
        looks for sport looks at the sport block).
        """
        from articles.fragments import cards_by_id

        # Ids from the indexes first, then one query for every story on the page:
        # the cost is the same with a hundred stories in the archive or a million.
        top_id = self.top_story_id()
        others = self.exclude(pk=top_id)
        latest_ids = list(others.newest_ids()[:latest])
        block_rows = others.newest_ids_by_section(sections, per_section)
        by_id = cards_by_id([top_id, *latest_ids, *(pk for _section, pk in block_rows)])
        blocks = []
        for section in sections:
            in_block = [by_id[pk] for section_id, pk in block_rows if section_id == section.pk]
            in_block = [story for story in in_block if story is not None]
            if in_block:
                in_block.sort(key=lambda story: (story.published_at, story.pk), reverse=True)
                blocks.append((section, in_block))
        return {
            "top": by_id.get(top_id),
            "latest": [by_id[pk] for pk in latest_ids if by_id.get(pk)],
            "blocks": blocks,
        }

    def for_listing(self):
        """What a list of stories shows: section, lead photo, bylines in order; not the text."""
        return (
            self.defer("body", "body_text", "search_vector")
            .select_related("section", "lead_photo__creator_author")
            # Into a plain list (to_attr): a list of thirty stories would otherwise
            # make a related manager and a queryset for each story. Photos know
            # which renditions they have (Photo.made_specs): no rows to read.
            .prefetch_related(
                Prefetch(
                    "bylines",
                    queryset=Byline.objects.select_related("author__portrait__creator_author"),
                    to_attr="listed_bylines",
                ),
            )
            .order_by("-published_at", "-pk")
        )

    def update_search_vectors(self):
        from articles import search

        return search.update_vectors(self)

    def copy_to_listings(self):
        """Copy these stories' state onto their bylines and tags (after a bulk change)."""
        ids = list(self.values_list("pk", flat=True))  # a list: a subquery here reads all rows
        for model in (Byline, TaggedArticle):
            story = OuterRef(f"{model.story_field}_id")
            state = Article.objects.filter(pk=story)
            model.objects.filter(**{f"{model.story_field}__in": ids}).update(
                **{copy: Subquery(state.values(field)[:1]) for copy, field in STORY_STATE.items()}
            )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    title = models.CharField(_("headline"), max_length=300)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The edition of the site the story appears in."),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_(
            "The original story, if this one is its translation. Readers of either "
            "see a link to the other language."
        ),
    )
    is_top = models.BooleanField(
        _("top story"),
        default=False,
        help_text=_("Opens the front page of its edition until a newer top story is published."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        help_text=_(
            "The end of the story's address, in Latin letters. Made from the headline; "
            "changing it later keeps old links working."
        ),
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    lead = models.TextField(
        _("lead"),
        help_text=_(
            "One paragraph above the body: who, what, when. Also shown in lists, "
            "feeds and search results."
        ),
    )
    body = ProseEditorField(
        _("body"),
        extensions={
            "Bold": True,
            "Italic": True,
            "Heading": {"levels": [2, 3]},
            "BulletList": True,
            "OrderedList": True,
            "ListItem": True,
            "Blockquote": True,
            "HardBreak": True,
            "Link": {"enableTarget": False},
            # Photos from the library: a figure whose image carries the photo's id
            # in data-file; pages draw it as a <picture> with the photo's credit.
            "Figure": True,
            "Image": True,
            "Caption": True,
            "History": True,
        },
        sanitize=True,
        blank=True,
    )
    lead_photo = models.ForeignKey(
        Photo,
        verbose_name=_("lead photo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_for",
    )
    lead_photo_caption = models.CharField(
        _("lead photo caption"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows in this story. Left empty, the photo's description."),
    )
    source_name = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Whom the story relies on, for example «Акорда»."),
    )
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    authors = models.ManyToManyField(
        Author, through="Byline", verbose_name=_("authors"), related_name="articles"
    )
    related_stories = models.ManyToManyField(
        "self",
        verbose_name=_("read also"),
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text=_("Earlier stories that readers of this one should see."),
    )
    tags = TypedOrderTaggableManager(_("tags"), through=TaggedArticle, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "Visible to readers from this moment, Almaty time. A moment in the future "
            "schedules the story: it appears by itself, no one needs to be at work."
        ),
    )
    corrected_at = models.DateTimeField(
        _("updated for readers"),
        null=True,
        blank=True,
        help_text=_("Shown as «Updated» when a published story was corrected."),
    )
    correction_note = models.TextField(
        _("correction note"),
        blank=True,
        help_text=_("What was corrected, for readers: shown under the story."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # What search reads: the body without markup, and on PostgreSQL the weighted
    # lexemes of headline, lead and body (articles/search.py).
    body_text = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(editable=False, null=True)
    # Renewed on every save: a form opened under another token is out of date,
    # and saving it would overwrite someone else's work. Left out of revisions,
    # so that restoring one renews it too.
    edit_token = models.CharField(max_length=32, default=new_edit_token, editable=False)
    # A live story is edited in a working copy: another row, never public, whose
    # content replaces the story's when an editor publishes it (now or at
    # changes_go_live_at). Readers only ever read the story's own row.
    copy_of = models.ForeignKey(
        "self",
        verbose_name=_("working copy of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="working_copies",
    )
    changes_go_live_at = models.DateTimeField(
        _("publish the changes at"),
        null=True,
        blank=True,
        help_text=_(
            "Readers keep seeing the published version until this moment, Almaty time; "
            "then this copy replaces it by itself. Left empty, the changes wait for an editor."
        ),
    )
    changes_scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changes scheduled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ArticleQuerySet.as_manager()
    owner_field = "section"  # the owner whose page lists it (ArticleQuerySet.owners)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        permissions = [("publish_article", _("Can publish, schedule and unpublish stories"))]
        constraints = [
            # A working copy starts with its story's slug; publishing it checks the slug.
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(copy_of__isnull=True),
                name="article_slug_unique",
                violation_error_message=_("Another story already has this address."),
            ),
            models.CheckConstraint(
                condition=~models.Q(slug=""),
                name="article_slug_not_empty",
                violation_error_message=EMPTY_ADDRESS,
            ),
            models.UniqueConstraint(
                fields=["copy_of"],
                name="article_one_working_copy",
            ),
            models.CheckConstraint(
                condition=Q(copy_of__isnull=True) | Q(status__in=["draft", "review"]),
                name="article_working_copy_never_public",
                violation_error_message=_(
                    "A working copy is never published itself: publish its changes instead."
                ),
            ),
            models.CheckConstraint(
                condition=Q(changes_go_live_at__isnull=True) | Q(copy_of__isnull=False),
                name="article_only_copies_schedule_changes",
                violation_error_message=_(
                    "Only a working copy schedules changes; a story is scheduled by its "
                    "publication time."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="article_published_has_time",
                violation_error_message=_("A published story needs a publication time."),
            ),
        ]
        # Every reader's list is «the newest published stories of X»: each of
        # these serves one X in index order, so a page reads its twenty rows
        # and no more, whatever the size of the archive.
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_listing_idx"),
            models.Index(
                fields=["language", "status", "-published_at", "-id"], name="article_edition_idx"
            ),
            models.Index(
                fields=["section", "language", "status", "-published_at", "-id"],
                name="article_section_idx",
            ),
            models.Index(
                fields=["language", "status", "-published_at", "-id"],
                condition=Q(is_top=True),
                name="article_top_idx",
            ),
            models.Index(
                fields=["changes_go_live_at"],
                condition=Q(changes_go_live_at__isnull=False),
                name="article_scheduled_changes_idx",
            ),
            # On PostgreSQL the search vector also gets a GIN index (migration 0004).
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title, max_length=200)
        self.edit_token = new_edit_token()
        # The form already sanitised the body; this covers every other way in.
        self.body = library_images(self._meta.get_field("body").sanitize(self.body))
        self.body_text = plain_text(self.body)
        super().save(*args, **kwargs)
        self._record_body_photos()
        Article.objects.filter(pk=self.pk).update_search_vectors()
        self.copy_state_to_listings()
        PreviewLink.stop_for(self)

    def get_absolute_url(self):
        kwargs = {"section": self.section.slug, "pk": self.pk, "slug": self.slug}
        if self.language == get_language():
            return reverse("articles:article", kwargs=kwargs)
        # A story lives in its own language's edition, whatever page links to it.
        with override(self.language):
            return reverse("articles:article", kwargs=kwargs)

    def copy_state_to_listings(self):
        state = story_state(self)
        self.bylines.update(**state)
        TaggedArticle.objects.filter(content_object=self).update(**state)

    def clean(self):
        fill_slug(self, "title")
        if len(self.body or "") > settings.NEWSROOM_MAX_BODY_CHARS:
            raise ValidationError(
                {
                    "body": _(
                        "The text is %(length)s characters long with its markup; a story "
                        "may have up to %(limit)s. Nothing was saved: split it into parts."
                    )
                    % {
                        "length": number_format(len(self.body), force_grouping=True),
                        "limit": number_format(
                            settings.NEWSROOM_MAX_BODY_CHARS, force_grouping=True
                        ),
                    }
                }
            )
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            raise ValidationError(
                {"published_at": _("A published story needs a publication time.")}
            )
        # The database's constraint leaves working copies out (a copy starts with its
        # story's slug): the rule is said here, on the field, for stories and copies alike.
        if (
            Article.objects.stories()
            .filter(slug=self.slug)
            .exclude(pk__in=[pk for pk in (self.pk, self.copy_of_id) if pk is not None])
            .exists()
        ):
            raise ValidationError({"slug": _("Another story already has this address.")})
        in_text = photo_ids(self.body)
        in_library = set(Photo.objects.filter(pk__in=in_text).values_list("pk", flat=True))
        if len(IMAGE.findall(self.body)) > len(in_text) or set(in_text) - in_library:
            raise ValidationError(
                {"body": _("Images in the text come from the photo library, with their credit.")}
            )
        if self.goes_public:
            incomplete = Photo.objects.filter(pk__in=photo_ids(self.body)).incomplete()
            if incomplete:
                raise ValidationError(
                    {
                        "body": _(
                            "The photo «%(photo)s» in the text has no alt text or credit line "
                            "yet; complete it in the photo library before publishing."
                        )
                        % {"photo": incomplete[0]}
                    }
                )
        if self.goes_public and self.lead_photo and not self.lead_photo.is_complete:
            raise ValidationError(
                {
                    "lead_photo": _(
                        "The photo «%(photo)s» has no alt text or credit line yet; "
                        "complete it in the photo library before publishing."
                    )
                    % {"photo": self.lead_photo}
                }
            )
        if self.source_url and not self.source_name:
            raise ValidationError({"source_name": _("Name the source the link points to.")})
        self._clean_translation()

    @property
    def goes_public(self):
        """Whether this content is set to reach readers: a published story, or changes to go."""
        if self.copy_of_id is not None:
            return bool(getattr(self, "publishing", False) or self.changes_go_live_at)
        return self.status == self.Status.PUBLISHED

    def _clean_translation(self):
        original = self.translation_of
        if original is None:
            return
        if original.pk == self.pk or original.translation_of_id is not None:
            raise ValidationError(
                {"translation_of": _("Choose the original story, not another translation.")}
            )
        if original.language == self.language:
            raise ValidationError(
                {"translation_of": _("A translation is in another language than its original.")}
            )
        if original.translations.exclude(pk=self.pk).filter(language=self.language).exists():
            raise ValidationError(
                {"translation_of": _("That story already has a translation into this language.")}
            )

    def translation_group(self):
        """The original and its translations: the same story in other languages, in any state."""
        root = self.translation_of_id or self.pk
        return Article.objects.filter(models.Q(pk=root) | models.Q(translation_of=root)).exclude(
            pk=self.pk
        )

    @property
    def og_locale(self):
        """The story's language as Open Graph spells a locale."""
        return OG_LOCALES.get(self.language, self.language)

    @property
    def share_image(self):
        """The full address of the lead photo's share rendition, for link previews."""
        if self.lead_photo is None:
            return None
        return absolute_url(self.lead_photo.rendition_url(SHARE_SPEC))

    def edition_links(self, translations):
        """
        The language switch and the translation links of the story's page: the
        switch leads to the story's translation where there is one, else to that
        edition's front page.
        """
        elsewhere = {story.language: story.get_absolute_url() for story in translations}
        elsewhere[self.language] = self.get_absolute_url()
        switch = [
            edition | {"url": elsewhere.get(edition["code"], edition["front"])}
            for edition in editions()
        ]
        names = {edition["code"]: edition["name"] for edition in switch}
        return switch, [(story, names[story.language]) for story in translations]

    def _record_body_photos(self):
        """Photos in the text count as used: listed on the photo, safe from deletion."""
        ids = set(Photo.objects.filter(pk__in=photo_ids(self.body)).values_list("pk", flat=True))
        self.body_photos.exclude(photo_id__in=ids).delete()
        known = set(self.body_photos.values_list("photo_id", flat=True))
        BodyPhoto.objects.bulk_create(BodyPhoto(article=self, photo_id=pk) for pk in ids - known)

    # Working copies of live stories.

    @property
    def is_working_copy(self):
        return self.copy_of_id is not None

    @property
    def working_copy(self):
        """The working copy being prepared of this story, if any."""
        if self.pk is None or self.is_working_copy:
            return None
        return self.working_copies.select_related("updated_by").first()

    def start_working_copy(self, user):
        """This live story's working copy, made from the published version if there is none."""
        with transaction.atomic():
            # One at a time: two editors opening the copy at once get the same one.
            Article.objects.select_for_update().filter(pk=self.pk).values_list("pk").first()
            copy = self.working_copies.first()
            if copy is not None:
                return copy
            copy = Article(
                copy_of=self,
                status=self.Status.DRAFT,
                language=self.language,
                published_at=self.published_at,
                corrected_at=self.corrected_at,
                created_by=user,
                updated_by=user,
            )
            copy.take_content_from(self)
            copy.save()
            copy.take_relations_from(self)
            return copy

    def take_content_from(self, other):
        for field in WORKING_COPY_FIELDS:
            attname = self._meta.get_field(field).attname
            setattr(self, attname, getattr(other, attname))

    def take_relations_from(self, other):
        """Bylines, tags and «read also» as ``other`` has them."""
        self.set_relations(
            bylines=list(other.bylines.all()),
            tags=list(other.tags.all()),
            related_ids=list(other.related_stories.values_list("pk", flat=True)),
        )

    def set_relations(self, *, bylines, tags, related_ids):
        """Bylines (copied from others'), tags and «read also» as given."""
        self.related_stories.set(Article.objects.stories().filter(pk__in=related_ids))
        self.tags.set(tags)
        self.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(
                article=self,
                author_id=byline.author_id,
                role=byline.role,
                position=byline.position,
                **story_state(self),
            )
            for byline in bylines
        )
        self.copy_state_to_listings()
        # The story's versions and pages follow its bylines and tags (articles/caching.py).
        from articles.caching import new_versions

        new_versions([f"article:{self.pk}"])

    def publish_changes(self, user=None, *, moment=None, comment=None):
        """
        This working copy's content becomes its story's: readers see it from now
        on, marked as updated at ``moment``. The copy is gone afterwards.
        """
        moment = moment or timezone.now()
        with transaction.atomic(), reversion.create_revision():
            story = Article.objects.select_for_update().get(pk=self.copy_of_id)
            story.take_content_from(self)
            story.corrected_at = moment
            story.updated_by = user
            story.changes_published = True  # the audit log's word for this save
            reversion.set_user(user)
            reversion.set_comment(
                comment or gettext("Published the changes from the working copy.")
            )
            # Relations first: the revision saved with the story follows its new bylines and tags.
            story.take_relations_from(self)
            story.save()
            # The copy's share links end with it: what they showed is before readers now.
            self.delete()
        return story

    def publish_scheduled_changes(self):
        """Publish these scheduled changes if no other process has taken them first."""
        moment = self.changes_go_live_at
        with transaction.atomic():
            # Whoever clears the moment first publishes; the others find nothing to do.
            taken = Article.objects.filter(pk=self.pk, changes_go_live_at=moment).update(
                changes_go_live_at=None
            )
            if not taken:
                return None
            self.changes_go_live_at = None
            comment = gettext("Published the changes scheduled for %(moment)s.") % {
                "moment": date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
            }
            try:
                with transaction.atomic():
                    return self.publish_changes(
                        self.changes_scheduled_by, moment=moment, comment=comment
                    )
            except (IntegrityError, ValidationError, Article.DoesNotExist):
                # A reader's request got here: it must not fail. The copy stays, unscheduled,
                # for an editor to look at (another story took its address meanwhile, …).
                logger.exception("Scheduled changes to story %s could not go live", self.copy_of_id)
                return None

    def take_down(self, user, reason):
        """Take a story away from readers, with the reason kept in its history and the audit log."""
        with transaction.atomic(), reversion.create_revision():
            self.status = self.Status.UNPUBLISHED
            self.is_top = False
            self.updated_by = user
            self.takedown_reason = reason
            reversion.set_user(user)
            reversion.set_comment(gettext("Taken down: %(reason)s") % {"reason": reason})
            self.save()
            # Shared previews of its working copy stop too: it is off the record now.
            now = timezone.now()
            PreviewLink.objects.filter(article__copy_of=self, expires_at__gt=now).update(
                expires_at=now
            )

    # The same rules as the querysets', read on the story in memory.
    @property
    def is_published(self):
        return follows(self, reader_rule())

    @property
    def is_scheduled(self):
        return follows(self, scheduled_rule())

    def is_bylined_to(self, user):
        return self.created_by_id == user.pk or self.bylines.filter(author__user=user).exists()

    @property
    def lead_photo_text(self):
        """The caption of this use of the lead photo."""
        if not self.lead_photo:
            return ""
        return self.lead_photo_caption or self.lead_photo.description

    @property
    def lead_photo_alt(self):
        """Alt text as the reference story composes it: caption, publisher, time."""
        if not self.lead_photo:
            return ""
        what = self.lead_photo_caption or self.lead_photo.alt_text
        if not self.published_at:
            return what
        return gettext("%(what)s, photo by %(publisher)s of %(when)s") % {
            "what": what,
            "publisher": settings.NEWSROOM_PUBLISHER,
            "when": date_format(timezone.localtime(self.published_at), "SHORT_DATETIME_FORMAT"),
        }


def author_pages(language=None):
    """
    Authors with a page in an edition: bylined on one of its published stories,
    or credited for a photo in one (the credit links to the page).
    """
    return (
        Byline.objects.published().in_language(language).owners()
        | Article.objects.published().in_language(language).photographers()
    )


class BylineQuerySet(ListingQuerySet):
    def with_portraits(self):
        """With each author's portrait and its photographer: a story's byline box draws both."""
        return self.select_related("author__portrait__creator_author")


class Byline(StoryStateCopy):
    """An author's credit on a story, in the order the story prints them."""

    class Role(models.TextChoices):
        TEXT = "text", _("Text")
        PHOTO = "photo", _("Photos")
        TRANSLATION = "translation", _("Translation")
        EDITING = "editing", _("Editing")

    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="bylines"
    )
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="bylines"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TEXT)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    story_field = "article"
    owner_field = "author"

    objects = BylineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author", "role"],
                name="byline_unique_author_role",
            ),
        ]
        indexes = [
            models.Index(
                fields=[
                    "author", "story_language", "story_status", "-story_published_at", "-article",
                ],
                name="byline_listing_idx",
            ),
        ]  # fmt: skip

    def __str__(self):
        # History stores this in English when the byline is added: the role would stay English.
        return str(self.author)


class WorkingSave(models.Model):
    """
    Ties a saved version of a working copy to its story, so that the story's
    history lists its working saves after the copy itself has been published.
    """

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="working_save"
    )
    story = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="working_saves")

    class Meta:
        verbose_name = _("working save")
        verbose_name_plural = _("working saves")

    def __str__(self):
        return f"{self.story_id}: {self.revision_id}"


class BodyPhoto(models.Model):
    """A library photo placed in a story's text."""

    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="body_photos"
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("photo"), on_delete=models.PROTECT, related_name="body_uses"
    )

    class Meta:
        verbose_name = _("photo in the text")
        verbose_name_plural = _("photos in the text")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "photo"],
                name="body_photo_once_per_story",
            )
        ]

    def __str__(self):
        return str(self.article)

    @property
    def usage_target(self):
        return self.article


def preview_link_hours():
    """How long a share link may work: the setting's default, never past the cap."""
    return min(settings.NEWSROOM_PREVIEW_LINK_HOURS, settings.NEWSROOM_PREVIEW_LINK_MAX_HOURS)


def preview_link_expiry():
    return timezone.now() + timedelta(hours=preview_link_hours())


class PreviewLink(models.Model):
    """
    A share link to a story readers have not seen yet: signed, expiring,
    revocable by deleting it. It stops for good when the story is published
    (a scheduled one at its moment), unpublished or deleted.
    """

    SALT = "articles.preview-link"

    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="preview_links"
    )
    expires_at = models.DateTimeField(_("works until"), default=preview_link_expiry)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self):
        return self.get_absolute_url() if self.pk else gettext("new share link")

    def get_absolute_url(self):
        return reverse("articles:preview-link", kwargs={"token": self.token})

    def clean(self):
        if self.expires_at is None:
            return
        start = self.created_at or timezone.now()
        longest = timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_MAX_HOURS)
        if self.expires_at > start + longest:
            raise ValidationError(
                {
                    "expires_at": _(
                        "A share link works for %(hours)s hours at most: choose a moment "
                        "before %(latest)s."
                    )
                    % {
                        "hours": settings.NEWSROOM_PREVIEW_LINK_MAX_HOURS,
                        "latest": date_format(
                            timezone.localtime(start + longest), "SHORT_DATETIME_FORMAT"
                        ),
                    }
                }
            )

    @property
    def token(self):
        return signing.dumps(self.pk, salt=self.SALT)

    @classmethod
    def find(cls, token):
        """
        The live link a token stands for; None if forged, expired, revoked, or
        if its story is no longer unseen (published, scheduled and come, taken
        down). Links made before the cap are held to it too.
        """
        try:
            pk = signing.loads(token, salt=cls.SALT)
        except signing.BadSignature:
            return None
        if not isinstance(pk, int):
            return None
        now = timezone.now()
        return (
            cls.objects.select_related("article")
            .filter(
                unseen_rule("article__"),
                pk=pk,
                expires_at__gt=now,
                created_at__gt=now - timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_MAX_HOURS),
            )
            .first()
        )

    @classmethod
    def stop_for(cls, story):
        """A story before readers (or taken down from them) ends its links for good."""
        # Readers saw it until this save (articles/caching.py notes it before every
        # save): a scheduled story whose moment came, now sent back to a draft.
        seen = getattr(story, "_was_published", False)
        if not (
            seen or follows(story, reader_rule()) or story.status == Article.Status.UNPUBLISHED
        ):
            return
        now = timezone.now()
        cls.objects.filter(article=story, expires_at__gt=now).update(expires_at=now)


def reading_hour(moment=None):
    """The hour a reading is counted in, by its first moment (UTC)."""
    moment = moment or timezone.now()
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


# «The last 24 hours» of the most-read list: the hour under way and the 23 before it.
READING_DAY = timedelta(hours=24)


class ReadingQuerySet(models.QuerySet):
    def last_day(self, now=None):
        return self.filter(hour__gt=reading_hour(now) - READING_DAY)


class Reading(models.Model):
    """
    How many times a story was read in one hour, as the story page's beacon
    counts it (articles/readings.py). The story's own row is never
    written for a reading: its page is cached, and a hot story would queue every
    reader behind one row lock. No reader is recorded, only the count.
    """

    story = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="readings"
    )
    hour = models.DateTimeField(
        _("hour"), help_text=_("Readings from this moment on, for an hour.")
    )
    count = models.PositiveIntegerField(_("readings"), default=0)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        ordering = ["-hour", "story"]
        verbose_name = _("readings in an hour")
        verbose_name_plural = _("readings by the hour")
        constraints = [
            models.UniqueConstraint(fields=["story", "hour"], name="reading_story_hour_unique"),
        ]
        # The most-read list reads the day's rows by their hour. The count is in no
        # index, so that adding a reading rewrites one row and no index entry.
        indexes = [models.Index(fields=["hour"], name="reading_hour_idx")]

    def __str__(self):
        return f"{self.story_id}: {self.hour:%Y-%m-%d %H}:00 UTC, {self.count}"

    @classmethod
    def add(cls, story_id, hour, count=1):
        """Add readings to a story's hour: one UPDATE, and an INSERT for the hour's first."""
        rows = cls.objects.filter(story_id=story_id, hour=hour)
        if rows.update(count=F("count") + count):
            return
        try:
            with transaction.atomic():
                cls.objects.create(story_id=story_id, hour=hour, count=count)
        except IntegrityError:
            # Another request counted the hour's first reading at the same moment
            # (or the story was deleted just now: then there is nothing to add to).
            rows.update(count=F("count") + count)


# What a working copy carries: the story's content. The edition, the translation
# link and the publication state belong to the story and change only there.
WORKING_COPY_FIELDS = [
    "title", "slug", "section", "lead", "body", "lead_photo", "lead_photo_caption",
    "source_name", "source_url", "correction_note",
]  # fmt: skip


# The story's state copied onto bylines and tags follows the story, not its history.
reversion.register(Byline, exclude=STORY_STATE_FIELDS)
reversion.register(TaggedArticle, exclude=STORY_STATE_FIELDS)
reversion.register(
    Article,
    follow=["bylines", "taggedarticle_set"],
    # Derived from the body on every save, restored ones included.
    exclude=["edit_token", "body_text", "search_vector"],
)
