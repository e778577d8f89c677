"""The catalogue and search views Oscar looks up in `search.views`."""

from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.core.loading import get_model

from .backends import get_backend
from .forms import SearchForm

Category = get_model("catalogue", "Category")


class BaseSearchView(ListView):
    context_object_name = "products"
    paginate_by = 24
    summary = ""

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET or None)
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        # A page number past the end shows the last page instead of a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_query_extra(self) -> dict:
        return {}

    def get_queryset(self):
        return get_backend().search_products(self.form.to_query(**self.get_query_extra()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = context["search_form"] = self.form
        context["summary"] = self.summary
        context["query"] = self.form.to_query().text
        querystring = self.request.GET.copy()
        querystring.pop(self.page_kwarg, None)
        context["querystring"] = querystring.urlencode()
        return context


class FacetedSearchView(BaseSearchView):
    template_name = "oscar/search/results.html"
    summary = _("Hasil pencarian")


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
        ids = self.category.get_descendants_and_self().values_list("pk", flat=True)
        return {"category_ids": tuple(ids)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["summary"] = self.category.name
        return context
