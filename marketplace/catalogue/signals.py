"""What the catalogue tells the layers above it (search) without importing them."""

from django.dispatch import Signal

# Products changed by a write that sends no post_save: a bulk update (checkout's allocation
# under lock, the flagship mark moved from one product to another). Every such write sends
# it in its transaction, so search re-indexes them once that commits. Arguments: product_ids.
goods_changed = Signal()
