"""Oscar's dashboard catalogue: its app config closes the product lookup to managers (apps.py);
its product editor view is replaced by name through the dashboard fork (views.py)."""
