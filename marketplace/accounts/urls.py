"""Served ahead of Oscar's own patterns at the same addresses (see __init__)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.LoginRegistrationView.as_view(), name="login"),
    path("accounts/register/", views.RegistrationView.as_view(), name="register"),
    path("accounts/periksa-email/", views.check_email, name="check-email"),
    path("accounts/aktifkan/<str:uidb64>/<str:token>/", views.activate, name="activate"),
    path("accounts/alerts/create/<int:pk>/", views.AlertCreateView.as_view(), name="alert-create"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
]
