"""The search page's parameters, validated: a bad filter is ignored, never an error page."""

from django import forms
from django.conf import settings

from newsdesk.search.query import MAX_QUERY_CHARS, SearchQuery

MAX_PAGE = 500


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search for", strip=True)
    tag = forms.SlugField(required=False, label="Tag", max_length=200)
    source = forms.SlugField(required=False, label="Source", max_length=200)
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(self, data, *args, **kwargs):
        # The URL says from= and to=; Python cannot name a field "from".
        data = data.copy()
        for url_name, field_name in (("from", "date_from"), ("to", "date_to")):
            if url_name in data:
                data[field_name] = data.get(url_name)
        super().__init__(data, *args, **kwargs)

    def search_query(self) -> SearchQuery:
        """The query from the valid fields; an invalid field counts as not given."""
        self.is_valid()
        values = {name: self.cleaned_data.get(name) for name in self.fields}
        return SearchQuery(
            text=(self.data.get("q") or "")[:MAX_QUERY_CHARS],
            tag=values["tag"] or "",
            source=values["source"] or "",
            date_from=values["date_from"],
            date_to=values["date_to"],
            page=values["page"] or 1,
            per_page=settings.ARTICLES_PER_PAGE,
        )
