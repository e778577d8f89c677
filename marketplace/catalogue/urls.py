from django.urls import path

from . import views

urlpatterns = [
    path("kelola/toko/", views.shop_profile, name="shop-profile"),
    path("kelola/produk/", views.product_list, name="product-list"),
    path("kelola/produk/baru/", views.product_new, name="product-new"),
    path("kelola/produk/impor/", views.product_import, name="product-import"),
    path("kelola/produk/impor/templat-produk.csv", views.product_import_template, name="product-import-template"),
    path("kelola/produk/<int:pk>/", views.product_edit, name="product-edit"),
    path("kelola/produk/<int:pk>/harga-stok/", views.product_quick_edit, name="product-quick-edit"),
    path("kelola/produk/<int:pk>/tayang/", views.product_set_public, name="product-set-public"),
]
