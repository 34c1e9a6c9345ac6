"""The Atom feed of recently changed articles."""

from django.contrib.syndication.views import Feed
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import wikitext
from .api import FEED_SUMMARY_WORDS, SITE_NAME, plain_text
from .models import Article

FEED_SIZE = 50


class PlainSummaryAtomFeed(Atom1Feed):
    """Atom with ``<summary type="text">``: Atom1Feed marks the summary as
    HTML, but ours is plain text (the lead with its tags stripped), so a
    reader must not interpret a ``<`` in it as markup."""

    def add_item_elements(self, handler, item):
        summary = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})


class RecentArticlesFeed(Feed):
    feed_type = PlainSummaryAtomFeed
    title = f"{SITE_NAME}: recently changed articles"
    subtitle = f"The {FEED_SIZE} most recently changed articles of the {SITE_NAME}."
    author_name = SITE_NAME

    def link(self):
        return reverse("home")

    def get_object(self, request, *args, **kwargs) -> str:
        # The host, for the entries' ids; kept per request, never on the
        # feed instance that all requests share.
        domain, _port = split_domain_port(request.get_host())
        return domain

    def items(self, obj: str):
        articles = list(
            Article.objects.published()
            .only("pk", "title", "slug", "lead_html", "created", "updated")
            .order_by("-updated", "-pk")[:FEED_SIZE]
        )
        for article in articles:
            article.feed_host = obj
        return articles

    # xml_safe: the forms and the import refuse what XML 1.0 cannot hold,
    # but one such character that reached the database some other way must
    # not make the whole feed unparseable.
    def item_title(self, item: Article) -> str:
        return wikitext.xml_safe(item.title)

    def item_description(self, item: Article) -> str:
        return wikitext.xml_safe(plain_text(item.lead_html, FEED_SUMMARY_WORDS))

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        # Stable across renames, unlike the link (RFC 4151 tag URI).
        return f"tag:{item.feed_host},{item.created:%Y-%m-%d}:article/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Article):
        return item.created

    def item_updateddate(self, item: Article):
        return item.updated
