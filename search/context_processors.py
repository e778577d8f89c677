from .forms import SearchForm


def search_form(request):
    """The header's search box, under a name of its own: Wagtail's admin headers render any
    `search_form` they are given, so Oscar's usual name put the shop's box into its report pages."""
    return {"site_search_form": SearchForm(request.GET or None)}
