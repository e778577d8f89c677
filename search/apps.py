"""Oscar's search app, forked so that there is one search and it is ours.

Oscar's search runs on django-haystack; this fork keeps its app label, URLs and
the catalogue views Oscar asks it for (`search.views`), and answers them from
`search.backends` instead (PostgreSQL full text, or Elasticsearch when set).
"""

import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "search"
