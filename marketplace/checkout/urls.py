from django.urls import path

from . import views

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/ringkasan/", views.checkout_review, name="checkout-review"),
    path("pesanan/<str:reference>/", views.checkout_detail, name="checkout-detail"),
    path("bukti-transfer/<int:pk>/", views.checkout_proof, name="checkout-proof"),
    path("wilayah/", views.areas, name="areas"),
]
