from django.urls import path

from . import views, views_people, views_search

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/", views.article_index, name="article-index"),
    path("wiki/<uslug:slug>/", views.article_detail, name="article-detail"),
    path("tags/<uslug:slug>/", views.term_detail, {"kind": "tag"}, name="tag-detail"),
    path("languages/<uslug:slug>/", views.term_detail, {"kind": "language"}, name="language-detail"),
    path("religions/<uslug:slug>/", views.term_detail, {"kind": "religion"}, name="religion-detail"),
    path("search/", views_search.search, name="search"),
    # People and places list the articles that name them: see views_people.
    path("people/<uslug:slug>/", views_people.person_detail, name="person-detail"),
    path("places/<uslug:slug>/", views_people.place_detail, name="place-detail"),
]
