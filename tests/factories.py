"""Plain functions that make what a test needs, with sensible defaults."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Byline, Section
from media.imaging import drawn_landscape, drawn_portrait
from media.models import Photo
from newsroom.models import Author

_numbers = itertools.count(1)


def make_section(name=None, **fields):
    number = next(_numbers)
    return Section.objects.create(name=name or f"Рубрика {number}", **fields)


def make_author(name=None, *, portrait=True, **fields):
    """An author, with a credited library photo as their portrait unless portrait=False."""
    number = next(_numbers)
    author = Author.objects.create(name=name or f"Автор Номер {number}", **fields)
    if portrait:
        Photo.objects.create_from_file(
            drawn_portrait(48, seed=number),
            f"author-{number}.jpg",
            portrait_of=author,
            alt_text=f"Фото {author.name}",
            credit_line="Фото редакции",
        )
    return author


def make_photo(data=None, name=None, *, uploaded_by=None, **fields):
    """A photo as the upload page makes it: checked, credited, with its admin thumbnails."""
    number = next(_numbers)
    # A drawn picture says nothing about itself; a real file's credit is its own.
    defaults = {
        "description": f"Описание фото {number}",
        "alt_text": f"Что на фото {number}",
        "credit_line": "akorda.kz",
    }
    if data is not None:
        defaults = {}
    return Photo.objects.create_from_file(
        data or drawn_landscape(64, 36, seed=number),
        name or f"photo-{number}.jpg",
        uploaded_by=uploaded_by,
        **(defaults | fields),
    )


def make_article(title=None, *, section=None, authors=(), tags=(), published=True, **fields):
    number = next(_numbers)
    defaults = {
        "title": title or f"Новость номер {number}",
        "lead": f"Лид новости {number}.",
        "body": f"<p>Текст новости {number}.</p>",
        "status": Article.Status.PUBLISHED if published else Article.Status.DRAFT,
        "published_at": timezone.now() - timedelta(hours=1) if published else None,
    }
    article = Article.objects.create(section=section or make_section(), **(defaults | fields))
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.set(tags)
    return article


def make_staff(username, group, author_name=None, password="x"):
    """A staff member in one of the newsroom's groups, with an author profile if named."""
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if author_name:
        Author.objects.create(name=author_name, user=user)
    return user


def make_editor(username="editor", password="correct horse battery"):
    return get_user_model().objects.create_superuser(username, f"{username}@example.org", password)
