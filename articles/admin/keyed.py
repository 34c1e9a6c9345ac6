"""The admins' saves and deletes inside one ``content_change``: the page
cache and Varnish evict the pages the write changes, and only those
(``articles.dependencies``). The object is watched before the admin writes
anything, so that what other pages showed of it before the save is known."""

from django.contrib.admin.utils import unquote

from ..dependencies import Change, content_change, current


class KeyedWrites:
    """For a ModelAdmin: ``watch(change, pks)`` says what the object's save
    is about to change (``Change.articles``, ``people``, ...)."""

    def watch(self, change: Change, pks: list[int]) -> None:
        raise NotImplementedError

    def watch_created(self, change: Change, pks: list[int]) -> None:
        self.watch(change, pks)

    def _keyed(self, request, object_id, view, *args):
        if request.method != "POST":
            return view(request, object_id, *args)
        with content_change() as change:
            if object_id is not None:
                try:
                    pk = self.model._meta.pk.to_python(unquote(object_id))
                except Exception:
                    pk = None  # the admin answers an unknown id itself
                if pk is not None:
                    self.watch(change, [pk])
            return view(request, object_id, *args)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._keyed(request, object_id, super().changeform_view, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._keyed(request, object_id, super().delete_view, extra_context)

    def save_model(self, request, obj, form, change):
        adding = obj.pk is None
        super().save_model(request, obj, form, change)
        change_open = current()
        if adding and change_open is not None:
            self.watch_created(change_open, [obj.pk])
