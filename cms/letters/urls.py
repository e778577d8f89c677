"""The resident's addresses; the form itself is the service page's own `ajukan/` route."""

from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("surat/lacak/", views.lookup, name="lookup"),
    path("surat/<str:code>/<str:secret>/", views.tracking, name="tracking"),
    path("surat/<str:code>/<str:secret>/berkas/<int:pk>/", views.document, name="document"),
    path("surat/<str:code>/<str:secret>/unduh/", views.letter_download, name="download"),
]
