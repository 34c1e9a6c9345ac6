"""Tags for what search engines and link previews read: absolute URLs,
plain-text descriptions and schema.org JSON-LD.

    {% load seo %}
    {% absolute_url article.get_absolute_url as canonical %}
    {{ article.lead_html|plain_text:30 }}
    {% article_json_ld article url=canonical tags=page.tags %}
"""

from django import template

from articles import api

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """``path`` as an absolute URL on the host of the current request; with
    no request, on the context's ``origin`` (a page stored for every host:
    ``articles.rendered``), else the path itself."""
    request = context.get("request")
    if request is not None:
        return request.build_absolute_uri(path)
    return context.get("origin", "") + path


@register.filter(is_safe=False)
def plain_text(html_text: str, words=None) -> str:
    """Rendered HTML as plain text, cut to ``words`` words. Autoescaped when
    output, like any other string."""
    return api.plain_text(str(html_text or ""), int(words) if words else None)


@register.filter
def description_of(article) -> str:
    """What search engines show of ``article``: its description, or the
    lead's first words (the same as the JSON-LD's)."""
    return api.article_description(article)


@register.simple_tag(takes_context=True)
def article_json_ld(context, article, url: str = "", tags=None):
    """A ``<script type="application/ld+json">`` element describing
    ``article``; built as a dict and escaped like ``json_script``."""
    if not url:
        url = absolute_url(context, article.get_absolute_url())
    return api.json_ld_script(
        api.article_json_ld(
            article,
            url=url,
            tags=tags if tags not in (None, "") else None,
            place_url=lambda path: absolute_url(context, path),
        )
    )
