from django.urls import path

from . import views

urlpatterns = [
    path("kelola/pesanan/<str:number>/tunai/", views.manager_order_cash, name="manager-order-cash"),
    path("kelola/pesanan/<str:number>/kembalikan/", views.manager_order_refund, name="manager-order-refund"),
    path("kelola/bermasalah/<str:reference>/", views.flagged_checkout_resolve, name="flagged-resolve"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
    path("kelola/transfer/", views.transfers, name="transfers"),
    path("kelola/transfer/<str:reference>/selisih/", views.transfer_difference, name="transfer-difference"),
    path("kelola/transfer/<str:reference>/kelebihan/", views.overpayment_refunded, name="overpayment-refunded"),
]
