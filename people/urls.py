from django.urls import path

from . import views

urlpatterns = [
    path("people/<uslug:slug>/", views.person_detail, name="person-detail"),
    path("places/<uslug:slug>/", views.place_detail, name="place-detail"),
]
