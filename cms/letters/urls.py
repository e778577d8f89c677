from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    # Public: anyone holding a letter checks it here (the QR code on the letter points here).
    path("verifikasi/<str:code>/", views.letter_verify, name="verify"),
]
