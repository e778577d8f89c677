"""Oscar's dashboard catalogue: one view replaced by name (see the dashboard fork's docstring)."""
