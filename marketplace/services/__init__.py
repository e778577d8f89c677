"""Writes of the commerce domain, one module per stage of the flow."""

from .catalogue import ProductData, category_ensure, product_create, product_mark_flagship, village_product_class

__all__ = ["ProductData", "category_ensure", "product_create", "product_mark_flagship", "village_product_class"]
