"""The catalogue and search views Oscar looks up in `search.views`, and the suggestions
the search box offers as a buyer types."""

import math

from django.core.paginator import Page, Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from .backends import get_backend
from .facets import search_href, applied_filters, facets_for, without, without_filters
from .forms import PAGES, PRODUCTS, SORTS, SearchForm
from .pages import page_hits, pages_matching
from .text import fold, query_terms

Category = get_model("catalogue", "Category")
PER_PAGE = 24
MAX_PAGE = 100_000  # 2.4 million products deep: past any catalogue, within any integer column


class BaseSearchView(TemplateView):
    summary = ""

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET or None)
        return super().get(request, *args, **kwargs)

    def get_query_extra(self) -> dict:
        return {}

    def _page_number(self) -> int:
        """The page asked for, within reason: an absurd number is the last page, as any past the end."""
        try:
            return min(max(int(self.request.GET.get("page", 1)), 1), MAX_PAGE)
        except ValueError:
            return 1

    def search_products(self, query, number: int):
        """One page of products; a page number past the end shows the last page instead of a 404."""
        backend = get_backend()
        results = backend.search_products(query, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
        last = max(math.ceil(results.total / PER_PAGE), 1)
        if number > last:
            number = last
            results = backend.search_products(query, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
        paginator = Paginator(range(results.total), PER_PAGE)
        return results, paginator, Page(results.products, number, paginator)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.form.to_query(**self.get_query_extra())
        results, paginator, page = self.search_products(query, self._page_number())
        params = self.request.GET.copy()
        params.pop("page", None)
        applied = applied_filters(self.form, params)
        context.update({
            "form": self.form, "search_form": self.form, "summary": self.summary, "query": query.text,
            "products": results.products, "results": results, "paginator": paginator, "page_obj": page,
            "is_paginated": paginator.num_pages > 1, "querystring": params.urlencode(),
            "facets": facets_for(results.facets, query, params),
            "filter_fields": self.form.place_fields(), "applied": applied, "clear_filters": without_filters(params) if applied else "",
            "refused": [(message, without(params, name)) for name, message in self.form.refused()],
            "sorts": [(label, search_href(params, sort_by=None if value == "relevance" else value), value == query.sort)
                      for value, label in SORTS],
            "suggestion_href": search_href(params, q=results.suggestion) if results.suggestion else "",
            # typed, but nothing in it to search by (only emoji or punctuation): say so
            "no_words": bool(self.form.is_bound and (self.form.data.get("q") or "").strip() and not query_terms(query.text)),
        })
        return context


class FacetedSearchView(BaseSearchView):
    """Products, and the village sites' news and service pages in a tab of their own (?jenis=halaman)."""

    template_name = "oscar/search/results.html"
    summary = _("Hasil pencarian")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        query = self.form.to_query()
        places = {"kampung_slug": query.kampung_slug, "kecamatan_code": query.kecamatan_code}
        pages = pages_matching(context["query"], **places)
        page_count = pages.count()
        corrected = context["results"].corrected
        if not page_count and corrected:  # the typo the products' words corrected, for the pages too
            pages = pages_matching(corrected, **places)
            page_count = pages.count()
        kind = self.form.kind
        context.update({
            "kind": kind,
            "tabs": [
                (PRODUCTS, _("Produk"), context["paginator"].count, search_href(params, jenis=None), kind == PRODUCTS),
                (PAGES, _("Berita dan layanan"), page_count, search_href(params, jenis=PAGES), kind == PAGES),
            ],
            "pages_found": page_count, "pages_href": search_href(params, jenis=PAGES),
        })
        if kind == PAGES:
            paginator = Paginator(pages, PER_PAGE)
            page = paginator.get_page(self._page_number())
            context.update({"page_hits": page_hits(page.object_list, request=self.request), "paginator": paginator,
                            "page_obj": page, "is_paginated": paginator.num_pages > 1})
        return context


class CatalogueView(BaseSearchView):
    template_name = "oscar/catalogue/browse.html"
    summary = _("Semua produk")


class ProductCategoryView(BaseSearchView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            return redirect("catalogue:index")
        if request.path != self.category.get_absolute_url():
            return redirect(self.category.get_absolute_url(), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_query_extra(self):
        return {"category_id": self.category.pk}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["summary"] = self.category.name
        return context


@cache_control(max_age=60, public=True)
def suggestions(request):
    """Names for the search box's list as a buyer types (pasar.js); the plain form works without it."""
    text = fold(request.GET.get("q", ""))[:100]
    return JsonResponse({"q": text, "suggestions": get_backend().suggest(text) if text else []})
