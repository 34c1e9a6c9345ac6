"""sitemap.xml: the published articles, people, places and the lists.

Every address is listed in each interface language (``/wiki/x/``,
``/ru/wiki/x/``, ``/fa-af/wiki/x/``, ``/ps/wiki/x/``), each with the others
and ``x-default`` as ``hreflang`` alternates (Django's sitemap i18n), the
tags written as BCP 47 as the pages write them (``fa-AF``).

An article's alternates also name its translations (``articles.
translations``): for an interface language the group has a translation
in, the alternate is that translation shown in that language (a Russian
reader is best served by the Russian article, not by the English one in
the Russian interface); a translation in a language with no interface is
added with its own tag. A tag never names two addresses.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import translation

from encyclopedia.locale import bcp47, interface_codes, path_in
from people.models import Person, Place

from .models import Article
from .translations import groups_translations


class InterfaceLanguages(Sitemap):
    """Each item in every interface language, with the others as alternates."""

    i18n = True
    alternates = True
    x_default = True

    @property
    def languages(self) -> list[str]:
        return interface_codes()

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            for alternate in url["alternates"]:
                if alternate["lang_code"] != "x-default":
                    alternate["lang_code"] = bcp47(alternate["lang_code"])
        return urls


class StaticViewSitemap(InterfaceLanguages):
    """The home page, the A–Z index and the index pages."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home", "article-index", "person-index", "place-index", "languages-index",
                "religions-index", "tag-index"]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(InterfaceLanguages):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (Article.objects.published().only("pk", "slug", "updated", "translation_group")
                .order_by("pk"))

    def lastmod(self, item: Article):
        return item.updated

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of reading every article.
        return Article.objects.published().aggregate(latest=Max("updated"))["latest"]

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        # The translations of the page's articles, in one query (none when
        # no article of the page is in a group).
        with translation.override(settings.LANGUAGE_CODE):
            groups = groups_translations(
                url["item"][0].translation_group_id for url in urls
                if url["item"][0].translation_group_id is not None
            )
        for url in urls:
            article = url["item"][0]
            for other in groups.get(article.translation_group_id, ()):
                if other.slug == article.slug:
                    continue
                taken = next((a for a in url["alternates"]
                              if a["lang_code"].casefold() == other.language.casefold()), None)
                if taken is not None:
                    code = next(c for c in interface_codes() if bcp47(c) == taken["lang_code"])
                    taken["location"] = f"{protocol}://{domain}{path_in(code, other.url)}"
                else:
                    url["alternates"].append(
                        {"location": f"{protocol}://{domain}{other.url}", "lang_code": other.language}
                    )
        return urls


class PersonSitemap(InterfaceLanguages):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Person.objects.only("pk", "slug").order_by("pk")


class PlaceSitemap(InterfaceLanguages):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Place.objects.only("pk", "slug").order_by("pk")


SITEMAPS = {
    "pages": StaticViewSitemap,
    "articles": ArticleSitemap,
    "people": PersonSitemap,
    "places": PlaceSitemap,
}
