"""A BUMKam's own application to sell in the mall: a public form that makes a pending shop
through `shops.services.bumkam_apply`; the regency admin approves it in the Wagtail admin."""
