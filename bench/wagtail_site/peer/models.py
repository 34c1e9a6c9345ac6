"""The peer's article: what a Wagtail site would model for an encyclopedia
page (rich-text lead, infobox rows, sections as StreamField blocks)."""

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page


class ArticlePage(Page):
    lead = RichTextField(blank=True)
    infobox = StreamField(
        [("row", blocks.StructBlock([("key", blocks.CharBlock()),
                                     ("value", blocks.CharBlock())]))],
        blank=True, use_json_field=True,
    )
    body = StreamField(
        [("section", blocks.StructBlock([("heading", blocks.CharBlock()),
                                         ("text", blocks.RichTextBlock())]))],
        blank=True, use_json_field=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("infobox"),
                      FieldPanel("body")]
