from django.urls import path

from . import views

urlpatterns = [
    path("kelola/pesanan/", views.manager_orders, name="manager-orders"),
    path("kelola/pesanan/<str:number>/", views.manager_order_advance, name="manager-order-advance"),
]
