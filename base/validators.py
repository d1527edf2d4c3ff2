"""Validators shared by models in several apps."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _relative_luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour):
    """WCAG contrast ratio of white text on this colour."""
    return 1.05 / (_relative_luminance(hex_colour) + 0.05)


def validate_brand_colour(value):
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(_("Enter a colour as a # followed by six hexadecimal digits, like #1d4f91."))
    ratio = contrast_with_white(value)
    if ratio < 4.5:
        raise ValidationError(
            _(
                "White text on this colour is hard to read (contrast %(ratio).1f to 1). "
                "Choose a darker colour with a contrast of at least 4.5 to 1."
            ),
            params={"ratio": ratio},
        )


@deconstructible
class ChoiceListValidator:
    """A list field's validator: a list whose every item is one of ``values``."""

    def __init__(self, values):
        self.values = tuple(values)

    def __call__(self, value):
        if not isinstance(value, list) or any(item not in self.values for item in value):
            raise ValidationError(_("Choose only from the list."), code="invalid_choice")

    def __eq__(self, other):
        return isinstance(other, ChoiceListValidator) and self.values == other.values
