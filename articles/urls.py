from django.urls import path

from . import views, views_search

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/", views.article_index, name="article-index"),
    path("wiki/<uslug:slug>/", views.article_detail, name="article-detail"),
    path("tags/<uslug:slug>/", views.term_detail, {"kind": "tag"}, name="tag-detail"),
    path("languages/<uslug:slug>/", views.term_detail, {"kind": "language"}, name="language-detail"),
    path("religions/<uslug:slug>/", views.term_detail, {"kind": "religion"}, name="religion-detail"),
    path("search/", views_search.search, name="search"),
]
