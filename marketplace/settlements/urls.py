from django.urls import path

from . import views

urlpatterns = [
    path("kelola/penyelesaian/", views.settlement_list, name="settlements"),
    path("kelola/penyelesaian/<int:pk>/", views.settlement_detail, name="settlement-detail"),
    path("kelola/penyelesaian/jalankan/", views.settlements_run_now, name="settlements-run"),
    path("kelola/pembayaran/", views.payout_list, name="payouts"),
    path("kelola/pembayaran/bank/", views.payouts_bank_batch, name="payouts-bank-batch"),
    path("kelola/pembayaran/stripe-connect/", views.payouts_stripe_connect, name="payouts-stripe-connect"),
    path("kelola/pembayaran/<int:pk>/", views.payout_update, name="payout-update"),
    path("kelola/pembayaran/berkas/<int:pk>/", views.payout_batch_detail, name="payout-batch"),
    path("kelola/pembayaran/berkas/<int:pk>/unduh/", views.payout_batch_download, name="payout-batch-download"),
]
