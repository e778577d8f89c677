"""The commerce pages under /toko/, one list per stage; Oscar's own come after them."""

from .catalogue import urls as catalogue
from .checkout import urls as checkout
from .orders import urls as orders
from .payments import urls as payments
from .settlements import urls as settlements

app_name = "marketplace"

urlpatterns = [
    *checkout.urlpatterns,
    *orders.urlpatterns,
    *payments.urlpatterns,
    *settlements.urlpatterns,
    *catalogue.urlpatterns,
]
