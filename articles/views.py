from django.shortcuts import get_object_or_404, render
from django.views.generic import ListView

from articles import wikitext

from .models import Article
from .selectors import infobox_lines, page_sections


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 50

    def get_queryset(self):
        return Article.objects.published().order_by("title").only(
            "title", "slug", "group_name", "population", "population_note"
        )


def article_detail(request, slug: str):
    article = get_object_or_404(Article.objects.published().for_page(), slug=slug)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "infobox": infobox_lines(article),
            "lead": wikitext.split_blocks(article.lead),
            "sections": page_sections(article),
            "see_also": article.see_also.all(),
        },
    )
