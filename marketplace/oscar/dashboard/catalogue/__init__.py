"""Oscar's dashboard catalogue, forked for one view: a product is saved only with all its
formsets (views.ProductCreateUpdateView). It has no models, so the fork carries no migrations."""
