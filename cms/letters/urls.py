"""The resident's addresses; the form itself is the service page's own `ajukan/` route."""

from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    # Public: anyone holding a letter checks it here (the QR code on the letter points here).
    path("verifikasi/<str:code>/", views.letter_verify, name="verify"),
    path("verifikasi/<str:code>/sertifikat-kabupaten.crt", views.authority_certificate, name="authority_certificate"),
    path("surat/lacak/", views.lookup, name="lookup"),
    path("surat/<str:code>/<str:secret>/", views.tracking, name="tracking"),
    path("surat/<str:code>/<str:secret>/berkas/<int:pk>/", views.document, name="document"),
    path("surat/<str:code>/<str:secret>/unduh/", views.letter_download, name="download"),
]
