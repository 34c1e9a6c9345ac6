"""The "Editors" group: staff who write and correct articles.

Editors add, change and view articles, people, places, the infobox terms
(languages, religions) and tags, and may delete the rows inside an article
(sections, See also rows, infobox rows, population places and figures,
languages and religions of an article, mentions) and a person's aliases:
removing those is editing. Only superusers delete articles, people, places,
languages, religions and tags, which other pages link to. Editors may read
the revision history (django-reversion) and get no auth permissions at all:
they cannot see or change users or groups.

Permissions are created by a post_migrate signal, after every migration has
run, so on a fresh database they do not exist yet here: they are created
first, from this migration's historical models.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Editors"

ADD_CHANGE_VIEW = ("add", "change", "view")
ALL_ACTIONS = ("add", "change", "delete", "view")

# (app label, model name) -> the actions editors may take.
EDITOR_ACTIONS = {
    ("articles", "article"): ADD_CHANGE_VIEW,
    ("articles", "language"): ADD_CHANGE_VIEW,
    ("articles", "religion"): ADD_CHANGE_VIEW,
    ("articles", "section"): ALL_ACTIONS,
    ("articles", "seealso"): ALL_ACTIONS,
    ("articles", "infoboxrow"): ALL_ACTIONS,
    ("articles", "populationplace"): ALL_ACTIONS,
    ("articles", "articlelanguage"): ALL_ACTIONS,
    ("articles", "articlereligion"): ALL_ACTIONS,
    ("articles", "populationfigure"): ALL_ACTIONS,
    ("articles", "personmention"): ALL_ACTIONS,
    ("articles", "placemention"): ALL_ACTIONS,
    ("people", "person"): ADD_CHANGE_VIEW,
    ("people", "place"): ADD_CHANGE_VIEW,
    ("people", "alias"): ALL_ACTIONS,
    ("taggit", "tag"): ADD_CHANGE_VIEW,
}
# Reading the history of an article; only when django-reversion is installed.
REVERSION_ACTIONS = {
    ("reversion", "version"): ("view",),
    ("reversion", "revision"): ("view",),
}

REVERSION_INSTALLED = global_apps.is_installed("reversion")


def _installed(apps, label: str) -> bool:
    try:
        apps.get_app_config(label)
    except LookupError:
        return False
    return True


def editor_actions(apps) -> dict:
    actions = dict(EDITOR_ACTIONS)
    if _installed(apps, "reversion"):
        actions.update(REVERSION_ACTIONS)
    return actions


def create_editors_group(apps, schema_editor):
    grant_actions(apps, schema_editor, editor_actions(apps))


def grant_actions(apps, schema_editor, actions: dict) -> None:
    """Give the Editors group (made if missing) these actions on these
    models; later migrations call it for the models they add."""
    using = schema_editor.connection.alias

    # Create the content types and permissions of the apps involved now;
    # post_migrate would only do it after the last migration.
    for label in sorted({app_label for app_label, _ in actions}):
        app_config = apps.get_app_config(label)
        # create_permissions() skips apps without a models module, which the
        # migration state's stand-in app configs never have.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(app_config, apps=apps, verbosity=0, using=using)
        finally:
            app_config.models_module = models_module

    group, _ = apps.get_model("auth", "Group").objects.using(using).get_or_create(name=GROUP_NAME)
    # Adding keeps any permission an administrator gave the group by hand;
    # running this again adds nothing twice.
    group.permissions.add(*_permissions(apps, using, actions))


def revoke_actions(apps, schema_editor, actions: dict) -> None:
    using = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(using).filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, using, actions))


def _permissions(apps, using: str, actions: dict) -> list:
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    permissions = []
    for (app_label, model_name), model_actions in actions.items():
        content_type = ContentType.objects.db_manager(using).get(
            app_label=app_label, model=model_name
        )
        for action in model_actions:
            permissions.append(
                Permission.objects.using(using).get(
                    content_type=content_type, codename=f"{action}_{model_name}"
                )
            )
    return permissions


def delete_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_index"),
        ("people", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]
    if REVERSION_INSTALLED:
        dependencies.append(("reversion", "0002_add_index_on_version_for_content_type_and_db"))

    operations = [
        migrations.RunPython(create_editors_group, delete_editors_group),
    ]
