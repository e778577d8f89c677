"""Oscar's checkout app, forked so that it routes only our checkout.

Oscar's own pages (shipping address, shipping and payment method, payment details,
preview, place order, thank-you) placed an Oscar order with no `Checkout`, no shop
order, no payment and stock allocated outside our lock. The fork keeps the app label
and the `checkout` namespace, so `checkout:index` (Oscar's basket's "Proceed to checkout"
button) still reverses, now to `marketplace.checkout.views.checkout`; every other address of
Oscar's checkout is gone (404), and nothing else can place an order. The app has no
models, so the fork brings no migrations; its context processor reads only settings. Our override
of Oscar's thank-you template went with the page that rendered it.
"""
