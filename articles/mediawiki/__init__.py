"""MediaWiki pages into our wiki-text: ``convert`` turns one page's markup
into an :class:`~articles.wikitext.ArticleDoc` (plus its tags, interlanguage
links, short description and what it dropped). Pure Python, no Django."""

from .convert import ConvertError, Converted, convert

__all__ = ["ConvertError", "Converted", "convert"]
