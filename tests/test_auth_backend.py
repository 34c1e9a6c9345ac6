"""encyclopedia.auth.PermissionsBackend: ModelBackend's permissions, read in
one query."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User

from encyclopedia.auth import PermissionsBackend

pytestmark = pytest.mark.django_db


def perms(codename: str) -> Permission:
    return Permission.objects.get(codename=codename, content_type__app_label="articles")


@pytest.fixture
def editor():
    user = User.objects.create_user("editor", password="pw-1234567890", is_staff=True)
    user.user_permissions.add(perms("view_article"))
    group = Group.objects.create(name="Writers")
    group.permissions.add(perms("add_article"), perms("view_article"))
    user.groups.add(group)
    return user


def test_own_and_groups_permissions_as_model_backend_reads_them(editor, django_assert_num_queries):
    expected = ModelBackend().get_all_permissions(User.objects.get(pk=editor.pk))
    assert expected == {"articles.view_article", "articles.add_article"}
    user = User.objects.get(pk=editor.pk)
    with django_assert_num_queries(1):
        assert PermissionsBackend().get_all_permissions(user) == expected
        assert user.has_perm("articles.add_article")
        assert not user.has_perm("articles.delete_article")


def test_superusers_inactive_users_and_objects(editor):
    root = User.objects.create_superuser("root", "r@example.org", "pw-1234567890")
    assert PermissionsBackend().get_all_permissions(root) == ModelBackend().get_all_permissions(
        User.objects.get(pk=root.pk))
    assert len(PermissionsBackend().get_all_permissions(root)) == Permission.objects.count()
    editor.is_active = False
    editor.save()
    assert PermissionsBackend().get_all_permissions(User.objects.get(pk=editor.pk)) == set()
    assert PermissionsBackend().get_all_permissions(editor, obj=editor) == set()


def test_a_permission_taken_away_is_gone_on_the_next_request(editor, client):
    client.force_login(editor)
    assert client.get("/admin/articles/article/add/").status_code == 200
    editor.groups.clear()
    assert client.get("/admin/articles/article/add/").status_code == 403
