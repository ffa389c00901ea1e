"""
The newsroom app is the lowest: people, roles and the site's own records. The
apps above it (articles, media) depend on it, never the other way round, and
that holds for migrations too: each app grants the newsroom's role groups the
permissions on its own models, so newsroom's migrations run without them.
The WordPress importer (wordpress) sits above them all, and nothing imports it.
"""

import ast
import re
from pathlib import Path

from django.contrib.auth.models import Group
from django.db.migrations.loader import MigrationLoader

import newsroom

ABOVE_NEWSROOM = {"articles", "media", "wordpress", "api"}
ROOT = Path(__file__).resolve().parents[2]
# Where newsroom still reaches up, each for a reason of its own: the project's
# URLconf mounts the readers' pages, and the audit log names stories.
REACHING_UP = {("urls.py", "articles"), ("audit.py", "articles")}


def imported_apps(path):
    """The top-level packages a module imports, anywhere in it (functions too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.partition(".")[0])
    return names


def test_newsroom_imports_no_app_above_it():
    # Authors' portraits are photos related from media (media.Photo.portrait_of):
    # people know nothing of photos, and no newsroom module imports media.
    root = Path(newsroom.__file__).parent
    reaching = {
        (str(path.relative_to(root)), app)
        for path in root.rglob("*.py")
        for app in imported_apps(path) & ABOVE_NEWSROOM
    }
    assert reaching == REACHING_UP


def test_newsroom_migrations_need_no_app_above_it():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    needed = set()
    for node in graph.leaf_nodes("newsroom"):
        needed |= set(graph.forwards_plan(node))
    assert {app for app, _ in needed} & ABOVE_NEWSROOM == set()


def test_each_app_grants_its_roles_after_the_groups_exist():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for node in [
        ("articles", "0007_role_permissions"),
        ("media", "0003_role_permissions"),
        ("api", "0002_role_permissions"),
    ]:
        assert ("newsroom", "0003_reporters") in graph.forwards_plan(node)


def permissions_of(name):
    return {
        (app_label, codename)
        for app_label, codename in Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_roles_hold_their_permissions_on_stories_and_photos(db):
    editors = permissions_of("Editors")
    assert {("articles", "publish_article"), ("media", "edit_any_photo")} <= editors
    assert ("media", "view_rendition") in editors

    reporters = permissions_of("Reporters")
    assert {("articles", "add_article"), ("media", "view_photo")} <= reporters
    assert ("articles", "publish_article") not in reporters
    assert ("media", "change_photo") not in reporters

    # Partners' API keys are the editors' alone.
    assert ("api", "add_partnerkey") in editors
    assert not {app for app, _ in reporters} & {"api"}

    photographers = permissions_of("Photographers")
    assert {("media", "add_photo"), ("media", "change_photo")} <= photographers
    assert ("media", "edit_any_photo") not in photographers
    assert {app for app, _ in photographers} == {"media"}


def test_nothing_imports_the_wordpress_importer():
    # The importer sits on top: it may import articles, media and newsroom, and
    # the site runs the same without it (its middleware is the one reference).
    imports = re.compile(r"^\s*(from|import) wordpress\b", re.MULTILINE)
    for app in ("articles", "media", "newsroom", "project"):
        for path in (ROOT / app).rglob("*.py"):
            assert not imports.search(path.read_text()), path


def test_no_other_app_needs_the_wordpress_migrations():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for app in ABOVE_NEWSROOM - {"wordpress"}:
        for node in graph.leaf_nodes(app):
            assert not {a for a, _ in graph.forwards_plan(node)} & {"wordpress"}
