"""Oscar's dashboard catalogue: two views replaced by name through the dashboard fork (views.py)."""
