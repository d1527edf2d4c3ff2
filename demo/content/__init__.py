"""The demo's own information pages: accessibility statement, privacy notice and cookies (see demo.loader).

Each module's PAGE is (slug, title, intro, body), the body a list of (block type, value) blocks of
base.blocks.BodyStreamBlock. They are defaults for a council to edit: contact details, dates and test results
are the partnership's to fill in. The Welsh is in demo/cy/contentpage-<slug>.po (demo.welsh).
"""

import uuid


def link_list(*links):
    """A "links" block's value from (title, url) pairs, in the list format with item ids that wagtail-localize
    needs to offer the titles for translation (it skips lists in Wagtail's older plain format)."""
    return [{"type": "item", "value": {"title": title, "url": url}, "id": str(uuid.uuid4())} for title, url in links]
