from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path, register_converter, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from articles.api import article_json
from articles.feeds import RecentArticlesFeed
from articles.sitemaps import SITEMAPS
from encyclopedia.converters import UnicodeSlugConverter
from encyclopedia.locale import interface_codes, path_in

register_converter(UnicodeSlugConverter, "uslug")

admin.site.site_header = _("Diaspora Encyclopedia")
admin.site.site_title = _("Diaspora Encyclopedia admin")
admin.site.index_title = _("Editing")



@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    # The admin in every interface language: /admin/, /ru/admin/, ...
    admins = [f"Disallow: {path_in(code, '/admin/')}" for code in interface_codes()]
    lines = ["User-agent: *", *admins, f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon_ico(request):
    # Browsers ask for /favicon.ico whatever the page links; the icon is the
    # SVG that base.html links (its hashed, immutable static address).
    return HttpResponseRedirect(static("favicon.svg"))


urlpatterns = [
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon_ico, name="favicon"),
    # For machines: the sitemap index and its sections, the Atom feed, JSON.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("feed/", RecentArticlesFeed(), name="article-feed"),
    path("api/articles/<uslug:slug>/", article_json, name="article-json"),
]
# The pages people read and the admin, in each interface language: English
# at the addresses it always had, the others under /ru/, /fa-af/, /ps/
# (encyclopedia.locale).
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    prefix_default_language=False,
)
