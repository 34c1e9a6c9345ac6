from django.urls import path

from . import views, views_people, views_search, views_sources
from .infobox import TERM_STORAGE

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/", views.article_index, name="article-index"),
    path("wiki/<uslug:slug>/", views.article_detail, name="article-detail"),
    path("tags/<uslug:slug>/", views.term_detail, {"kind": "tag-detail"}, name="tag-detail"),
    # Languages, religions: each list of terms the infobox declares.
    *(
        path(f"{s.path}/<uslug:slug>/", views.term_detail, {"kind": s.url_name}, name=s.url_name)
        for s in TERM_STORAGE
    ),
    path("search/", views_search.search, name="search"),
    # People and places list the articles that name them: see views_people.
    path("people/<uslug:slug>/", views_people.person_detail, name="person-detail"),
    path("places/<uslug:slug>/", views_people.place_detail, name="place-detail"),
    # Sources: those that published articles cite, and the articles citing each.
    path("sources/", views_sources.source_index, name="source-index"),
    path("sources/<uslug:slug>/", views_sources.source_detail, name="source-detail"),
]
