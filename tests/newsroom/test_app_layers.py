"""
The newsroom app is the lowest: people, roles and the site's own records. The
apps above it (articles, media) depend on it, never the other way round, and
that holds for migrations too: each app grants the newsroom's role groups the
permissions on its own models, so newsroom's migrations run without them.
"""

from django.contrib.auth.models import Group
from django.db.migrations.loader import MigrationLoader

ABOVE_NEWSROOM = {"articles", "media", "api"}


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
