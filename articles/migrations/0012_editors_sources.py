"""Editors get the rows added since their group was made (0003): they
edit an article's related groups, references and citations like its other
rows (all actions), and add, change and view the shared sources. Deleting
a source, which other articles may cite, is left to superusers."""

from importlib import import_module

from django.db import migrations

editors_group = import_module("articles.migrations.0003_editors_group")

ACTIONS = {
    ("articles", "relatedgroup"): editors_group.ALL_ACTIONS,
    ("articles", "articlereference"): editors_group.ALL_ACTIONS,
    ("articles", "citation"): editors_group.ALL_ACTIONS,
    ("articles", "source"): editors_group.ADD_CHANGE_VIEW,
}


def grant(apps, schema_editor):
    editors_group.grant_actions(apps, schema_editor, ACTIONS)


def revoke(apps, schema_editor):
    editors_group.revoke_actions(apps, schema_editor, ACTIONS)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_sources")]

    operations = [migrations.RunPython(grant, revoke)]
