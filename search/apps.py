"""Oscar's search app, forked so that there is one search and it is ours.

Oscar's search runs on django-haystack; this fork keeps its app label, URLs and
the catalogue views Oscar asks it for (`search.views`), and answers them from
`search.backends` instead (PostgreSQL full text, or Elasticsearch when set). It also
keeps the index in step with the catalogue (`search.indexing`).
"""

import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "search"
    default_auto_field = "django.db.models.AutoField"

    def get_urls(self):
        from django.urls import path

        from .views import suggestions

        return [path("saran/", suggestions, name="suggestions"), *super().get_urls()]

    def ready(self):
        super().ready()
        from . import indexing

        indexing.connect()
