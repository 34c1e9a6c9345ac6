"""An article's page as it was last rendered (render on write, as
MediaWiki's ParserCache): the whole page a reader gets, stored
compressed, so that a request reads one row instead of assembling the page
from a dozen queries.

``seq`` changes (to a new random value) whenever something the page shows
is written: the article, or what it links to, lists or names
(``articles.dependencies``); that write empties ``page``. A reader that
finds it empty renders the page and stores it only if ``seq`` is still the
one it read first, so that a page rendered from rows a concurrent write was
changing is never kept. ``generation`` is the page cache's generation the
render was made in: a write no service accounted for moves it on, and the
stored page with it; ``version`` that of the templates and code.
"""

import secrets
import zlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from .article import Article


def new_seq() -> int:
    return secrets.randbits(62)


class ArticleRender(models.Model):
    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="render"
    )
    seq = models.BigIntegerField(default=new_seq)
    generation = models.BigIntegerField(null=True, blank=True)
    # Of the templates and code that rendered it (articles.rendered): a
    # deploy that changes them makes every stored page render again.
    version = models.CharField(max_length=16, blank=True, default="")
    page = models.BinaryField(default=b"")  # zlib: the page's HTML is 10–60 KB

    shown_on_pages = False  # encyclopedia.pagecache: writing it changes no page

    class Meta:
        verbose_name = _("rendered page")
        verbose_name_plural = _("rendered pages")

    def __str__(self) -> str:
        return f"rendered page of {self.article_id}"

    @staticmethod
    def pack(html: str) -> bytes:
        return zlib.compress(html.encode(), 1)

    @staticmethod
    def unpack(data: bytes | memoryview) -> str:
        return zlib.decompress(bytes(data)).decode() if data else ""
