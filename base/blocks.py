"""The free-content blocks an editor can add to the end of a register entry."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        form_classname = "title"
        description = _("A heading that starts a new section (shown as a level 2 heading).")
        preview_value = "What happens next"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        description = _("Ordinary text. Keep sentences short and use everyday words.")
        preview_value = "<p>We will write to every household before the cameras are switched on.</p>"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, help_text=_("Optional. A few words that say why this matters."))
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        description = _("Something people must not miss, set apart from the text around it.")
        preview_value = {"title": "Important", "text": "<p>You can still ask a person to check any decision.</p>"}


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(help_text=_("Say where the link goes, not 'click here'."))
    url = blocks.URLBlock()

    class Meta:
        icon = "link"


class LinkListBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(LinkBlock(), **kwargs)

    class Meta:
        icon = "list-ul"
        template = "blocks/link_list_block.html"
        description = _("A list of links to more information.")
        preview_value = [{"title": "The council's privacy notice", "url": "https://www.example.org/privacy"}]


class DataTableBlock(TableBlock):
    class Meta:
        icon = "table"
        template = "blocks/table_block.html"
        description = _("A simple table. Use the first row for column headings.")
        preview_value = {"first_row_is_table_header": True, "data": [["Year", "Checks"], ["2025", "1,204"]]}


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    callout = CalloutBlock()
    links = LinkListBlock()
    table = DataTableBlock()
