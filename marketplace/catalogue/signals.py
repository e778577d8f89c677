"""What the catalogue tells the layers above it (search) without importing them."""

from django.dispatch import Signal

# Products whose stock or sales changed by a bulk update that sends no post_save
# (checkout's allocation under lock). Arguments: product_ids.
goods_changed = Signal()
