from django.urls import path

from . import views, views_index, views_people, views_search, views_sources
from .infobox import TERM_STORAGE

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/", views.article_index, name="article-index"),
    path("random/", views_index.random_page, name="random-article"),
    path("wiki/<uslug:slug>/links/", views_index.what_links_here, name="article-links"),
    path("wiki/<uslug:slug>/", views.article_detail, name="article-detail"),
    # Wikipedia-style addresses (a title with spaces, any case, no slash):
    # each a permanent redirect to the article's own address.
    path("wiki/<str:title>/", views_index.wiki_address, name="wiki-address"),
    path("wiki/<str:title>", views_index.wiki_address, name="wiki-address-bare"),
    path("tags/", views_index.term_index_page, {"kind": "tag-detail"}, name="tag-index"),
    path("tags/<uslug:slug>/", views.term_detail, {"kind": "tag-detail"}, name="tag-detail"),
    # Languages, religions: each list of terms the infobox declares.
    *(
        path(f"{s.path}/", views_index.term_index_page, {"kind": s.url_name},
             name=f"{s.path}-index")
        for s in TERM_STORAGE
    ),
    *(
        path(f"{s.path}/<uslug:slug>/", views.term_detail, {"kind": s.url_name}, name=s.url_name)
        for s in TERM_STORAGE
    ),
    path("search/", views_search.search, name="search"),
    # People and places list the articles that name them: see views_people.
    path("people/", views_index.person_index, name="person-index"),
    path("people/<uslug:slug>/", views_people.person_detail, name="person-detail"),
    path("places/", views_index.place_index, name="place-index"),
    path("places/<uslug:slug>/", views_people.place_detail, name="place-detail"),
    # Sources: those that published articles cite, and the articles citing each.
    path("sources/", views_sources.source_index, name="source-index"),
    path("sources/<uslug:slug>/", views_sources.source_detail, name="source-detail"),
]
