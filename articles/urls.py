from django.urls import path

from . import views, views_search

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/", views.article_index, name="article-index"),
    path("wiki/<uslug:slug>/", views.article_detail, name="article-detail"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag-detail"),
    path("languages/<uslug:slug>/", views.language_detail, name="language-detail"),
    path("religions/<uslug:slug>/", views.religion_detail, name="religion-detail"),
    path("search/", views_search.search, name="search"),
]
