"""Every body block renders with its own template, so no block points at a missing one."""

import pytest
from django.template.loader import get_template

from base.blocks import BodyStreamBlock


@pytest.mark.parametrize("name", list(BodyStreamBlock.base_blocks))
def test_every_block_has_an_icon_description_template_and_renders_its_preview(name):
    block = BodyStreamBlock.base_blocks[name]
    assert block.meta.icon and block.meta.icon != "placeholder"
    assert block.meta.description
    get_template(block.meta.template)
    html = block.render(block.to_python(block.get_preview_value()) if name == "table" else block.get_preview_value())
    assert html.strip()


def test_blocks_render_the_words_the_editor_wrote():
    stream = BodyStreamBlock()
    value = stream.to_python(
        [
            {"type": "heading", "value": "What happens next"},
            {"type": "paragraph", "value": "<p>We will write to you.</p>"},
            {"type": "callout", "value": {"title": "Important", "text": "<p>Ask a person.</p>"}},
            {"type": "links", "value": [{"title": "Privacy notice", "url": "https://www.example.org/privacy"}]},
            {
                "type": "table",
                "value": {"first_row_is_table_header": True, "data": [["Year", "Checks"], ["2025", "1,204"]]},
            },
        ]
    )
    html = stream.render(value)
    assert '<h2 class="govuk-heading-m">What happens next</h2>' in html
    assert "We will write to you." in html
    assert "Important" in html and "Ask a person." in html
    assert 'href="https://www.example.org/privacy"' in html and "Privacy notice" in html
    assert "<th" in html and "1,204" in html
