from django.urls import path

from . import views

urlpatterns = [
    path("kelola/pesanan/", views.manager_orders, name="manager-orders"),
    path("kelola/pesanan/cetak/", views.manager_packing_slips, name="manager-packing-slips"),  # before <number>
    path("kelola/pesanan/<str:number>/cetak/", views.manager_packing_slip, name="manager-packing-slip"),
    path("kelola/pesanan/<str:number>/", views.manager_order_advance, name="manager-order-advance"),
    path("kelola/komplain/", views.complaints_queue, name="complaints"),
    path("kelola/komplain/<int:pk>/", views.complaint_manage, name="complaint-manage"),
    path("kelola/komplain/<int:pk>/putuskan/", views.complaint_decide_view, name="complaint-decide"),
    path("komplain/foto/<int:pk>/", views.complaint_photo, name="complaint-photo"),
    # A guest's way back to their order (the checkout's reference page is under pesanan/).
    path("lacak-pesanan/", views.order_lookup, name="order-lookup"),
    # The buyer's, under their order page: the checkout's reference is the key.
    path("pesanan/<str:reference>/<str:number>/diterima/", views.buyer_order_received, name="buyer-order-received"),
    path("pesanan/<str:reference>/<str:number>/komplain/", views.buyer_complaint, name="buyer-complaint"),
    path("pesanan/<str:reference>/<str:number>/komplain/batalkan/", views.buyer_complaint_withdraw,
         name="buyer-complaint-withdraw"),
]
