from django.urls import path

from . import views

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("wiki/<uslug:slug>/", views.article_detail, name="article-detail"),
]
