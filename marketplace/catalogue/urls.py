from django.urls import path

from . import views

urlpatterns = [
    path("kelola/toko/", views.shop_profile, name="shop-profile"),
    path("kelola/produk/baru/", views.product_new, name="product-new"),
    path("kelola/produk/impor/", views.product_import, name="product-import"),
]
