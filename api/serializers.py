"""
What the read API gives for each thing. Links are full addresses (the site's
NEWSROOM_SITE_URL), photos come with their renditions and credit as the pages
show them: media/specs.py chooses the renditions, media/credits.py the credit.
"""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import override
from rest_framework import serializers

from articles.body import blocks, photos_in_body, story_body
from media import credits
from media.specs import PORTRAIT_IMAGE_SPEC, USAGES
from project.address import absolute_url

# Lead photos and photos in the text are drawn at the story page's widths.
PHOTO_USAGE = USAGES["lead"]


def api_url(name, **kwargs):
    return absolute_url(reverse(f"api:{name}", kwargs=kwargs or None))


class RenditionSerializer(serializers.Serializer):
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.URLField()


class RenditionSetSerializer(serializers.Serializer):
    jpeg = RenditionSerializer(many=True)
    webp = RenditionSerializer(many=True)
    avif = RenditionSerializer(many=True, required=False, help_text="Once every width is made.")


def rendition_set(photo):
    made = photo.made_spec_names
    return {
        file_format: [
            {"width": width, "height": height, "url": absolute_url(photo.rendition_url(spec, made))}
            for spec, (width, height) in candidates
        ]
        for file_format, candidates in PHOTO_USAGE.offered(photo.width, photo.height, made).items()
    }


class CreatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField(required=False, help_text="A staff photographer's page.")


class CreditSerializer(serializers.Serializer):
    """The schema.org ImageObject's credit, from media/credits.py."""

    creditText = serializers.CharField()  # noqa: N815 (schema.org's name)
    creator = CreatorSerializer(required=False)
    copyrightNotice = serializers.CharField(required=False)  # noqa: N815


def credit(photo):
    data = credits.structured_data(photo, absolute_url)
    if "creator" in data:
        data["creator"] = {k: v for k, v in data["creator"].items() if k != "@type"}
    return data


class PhotoSerializer(serializers.Serializer):
    """A photo as a story shows it: ``instance`` is (photo, caption)."""

    id = serializers.IntegerField()
    alt = serializers.CharField()
    caption = serializers.CharField(help_text="HTML in a figure of the text; plain for a lead.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    renditions = RenditionSetSerializer()
    credit = CreditSerializer()

    def to_representation(self, instance):
        photo, caption = instance
        return {
            "id": photo.pk,
            "alt": photo.alt_text,
            "caption": caption,
            "width": photo.width,
            "height": photo.height,
            "renditions": rendition_set(photo),
            "credit": credit(photo),
        }


class SectionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = serializers.URLField()
    stories = serializers.URLField(help_text="This section's stories in the API.")

    def to_representation(self, section):
        language = self.context["edition"]
        return {
            "slug": section.slug,
            "name": section.name_in(language),
            "url": absolute_url(url_in(section, language)),
            "stories": stories_of("section", section.slug, language),
        }


def stories_of(owner, slug, language):
    return f"{api_url('story-list')}?edition={language}&{owner}={slug}"


class TagSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = serializers.URLField()
    stories = serializers.URLField(help_text="This tag's stories in the API.")

    def to_representation(self, tag):
        language = self.context["edition"]
        return {
            "slug": tag.slug,
            "name": tag.name,
            "url": absolute_url(url_in(tag, language)),
            "stories": stories_of("tag", tag.slug, language),
        }


class PortraitSerializer(serializers.Serializer):
    """An author's portrait: a library photo, square around the face, with its credit."""

    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    credit = CreditSerializer()

    def to_representation(self, photo):
        return {
            "url": absolute_url(photo.rendition_url(PORTRAIT_IMAGE_SPEC)),
            "width": PORTRAIT_IMAGE_SPEC.width,
            "height": PORTRAIT_IMAGE_SPEC.width,
            "credit": credit(photo),
        }


class AuthorSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    job_title = serializers.CharField()
    portrait = PortraitSerializer(allow_null=True)
    url = serializers.URLField()
    stories = serializers.URLField(help_text="This author's stories in the API.")

    def to_representation(self, author):
        language = self.context["edition"]
        return {
            "slug": author.slug,
            "name": author.name,
            "job_title": author.job_title,
            # A reverse one-to-one: an author without a portrait has no attribute to read.
            "portrait": (
                PortraitSerializer(photo).data
                if (photo := getattr(author, "portrait", None))
                else None
            ),
            "url": absolute_url(url_in(author, language)),
            "stories": stories_of("author", author.slug, language),
        }


def url_in(owner, language):
    """An owner's page in an edition: /kk/tags/… for the Kazakh one."""
    with override(language):
        return owner.get_absolute_url()


class BylineSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=["text", "photo", "translation", "editing"])
    role_name = serializers.CharField(help_text="The role as the story prints it.")
    author = AuthorSerializer()

    def to_representation(self, byline):
        return {
            "role": byline.role,
            "role_name": byline.get_role_display(),
            "author": AuthorSerializer(byline.author, context=self.context).data,
        }


class StoryLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    edition = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()

    def to_representation(self, story):
        return {
            "id": story.pk,
            "edition": story.language,
            "title": story.title,
            "url": absolute_url(story.get_absolute_url()),
            "api_url": api_url("story-detail", pk=story.pk),
        }


class StorySerializer(serializers.Serializer):
    """A story in a list: everything but its text."""

    id = serializers.IntegerField()
    edition = serializers.CharField()
    title = serializers.CharField()
    lead = serializers.CharField()
    url = serializers.URLField(help_text="The story's page on the site.")
    api_url = serializers.URLField()
    section = SectionSerializer()
    published_at = serializers.DateTimeField()
    corrected_at = serializers.DateTimeField(allow_null=True)
    is_top = serializers.BooleanField()
    bylines = BylineSerializer(many=True)
    tags = TagSerializer(many=True)
    lead_photo = PhotoSerializer(allow_null=True)
    snippet = serializers.CharField(required=False, help_text="Search only: HTML, words marked.")

    def to_representation(self, story):
        context = self.context | {"edition": story.language}
        data = StoryLinkSerializer(story).data | {
            "lead": story.lead,
            "section": SectionSerializer(story.section, context=context).data,
            "published_at": serializers.DateTimeField().to_representation(story.published_at),
            "corrected_at": serializers.DateTimeField().to_representation(story.corrected_at)
            if story.corrected_at
            else None,
            "is_top": story.is_top,
            "bylines": BylineSerializer(bylines_of(story), many=True, context=context).data,
            "tags": TagSerializer(story.tags.all(), many=True, context=context).data,
            "lead_photo": PhotoSerializer((story.lead_photo, story.lead_photo_text)).data
            if story.lead_photo
            else None,
        }
        return data


def bylines_of(story):
    listed = getattr(story, "listed_bylines", None)  # for_listing()'s prefetch
    return listed if listed is not None else story.bylines.all()


class BlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["paragraph", "heading", "quote", "list", "figure"])
    html = serializers.CharField(required=False, help_text="Inline markup: links, emphasis.")
    text = serializers.CharField(required=False)
    level = serializers.IntegerField(required=False, help_text="Headings: 2 or 3.")
    ordered = serializers.BooleanField(required=False, help_text="Lists.")
    items = serializers.ListField(child=serializers.DictField(), required=False)
    photo = PhotoSerializer(required=False, help_text="Figures.")


class StoryDetailSerializer(StorySerializer):
    """A story with its text, as HTML and as blocks, its translations and corrections."""

    body_html = serializers.CharField(
        help_text="The sanitised text; each photo a figure with full addresses and its credit."
    )
    blocks = BlockSerializer(many=True)
    correction_note = serializers.CharField()
    source = serializers.DictField(allow_null=True)
    translations = StoryLinkSerializer(many=True)

    def to_representation(self, story):
        data = super().to_representation(story)
        photos = {photo.pk: photo for photo in photos_in_body(story)}
        story_blocks = []
        for block in blocks(story.body):
            if block["type"] == "figure":
                photo = photos.get(block.pop("photo_id"))
                if photo is None:
                    continue  # a photo since deleted from the library, as pages drop it
                block["photo"] = PhotoSerializer((photo, block.pop("caption"))).data
            story_blocks.append(block)
        return data | {
            "body_html": str(story_body(story, draw=figure)),
            "blocks": story_blocks,
            "correction_note": story.correction_note,
            "source": {"name": story.source_name, "url": story.source_url or None}
            if story.source_name
            else None,
            "translations": StoryLinkSerializer(self.context["translations"], many=True).data,
        }


def figure(photo, alt, caption):
    """A photo in body_html: self-contained, as feeds draw one, at the story page's widths."""
    jpeg = rendition_set(photo)["jpeg"]
    fallback = min(jpeg, key=lambda rendition: abs(rendition["width"] - PHOTO_USAGE.fallback_width))
    return format_html(
        '<figure><img src="{}" srcset="{}" alt="{}" width="{}" height="{}">'
        "<figcaption>{}{}</figcaption></figure>",
        fallback["url"],
        ", ".join(f"{rendition['url']} {rendition['width']}w" for rendition in jpeg),
        alt,
        fallback["width"],
        fallback["height"],
        format_html("{} ", caption) if caption else "",
        credits.credit_html(photo, feed=True),
    )


class PageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")
    next_cursor = serializers.CharField(allow_null=True)


class StoryPageSerializer(PageSerializer):
    results = StorySerializer(many=True)


class SearchPageSerializer(StoryPageSerializer):
    more = serializers.BooleanField(
        help_text="More stories match than are ranked: the newest matches are, as on the site."
    )


class SectionPageSerializer(PageSerializer):
    results = SectionSerializer(many=True)


class TagPageSerializer(PageSerializer):
    results = TagSerializer(many=True)


class AuthorPageSerializer(PageSerializer):
    results = AuthorSerializer(many=True)
