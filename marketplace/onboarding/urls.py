from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("daftar-bumkam/", views.apply, name="apply"),
    path("daftar-bumkam/terkirim/", views.applied, name="applied"),
]
