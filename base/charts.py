"""Bar charts drawn on the server as SVG (templates/components/bar_chart.html): the geometry of horizontal bars
with an interval on each, so a chart needs no JavaScript, prints, and reads the same as the table beside it."""

from dataclasses import dataclass

WIDTH = 720
BAR_LEFT = 0
BAR_SPAN = 400  # 0% to 100%, leaving room for the figures after the longest bar
ROW = 46  # the label above, the bar below
BAR_HEIGHT = 16
AXIS = 24


@dataclass
class Row:
    label: str
    text: str  # what the bar says, for example "62% (55% to 69%), 140 responses": 45 characters at most
    y: int
    value: float | None = None  # 0-100, or None for a group not shown
    low: float | None = None
    high: float | None = None

    @property
    def label_y(self):
        return self.y + 14

    @property
    def bar_y(self):
        return self.y + 20

    @property
    def middle_y(self):
        return self.bar_y + BAR_HEIGHT // 2

    @property
    def bar_width(self):
        return round(BAR_SPAN * (self.value or 0) / 100, 1)

    @property
    def low_x(self):
        return round(BAR_LEFT + BAR_SPAN * self.low / 100, 1)

    @property
    def high_x(self):
        return round(BAR_LEFT + BAR_SPAN * self.high / 100, 1)

    @property
    def text_x(self):
        """Just past the end of the bar or its interval, whichever is further right."""
        end = max(self.bar_width, self.high_x if self.high is not None else 0)
        return round(BAR_LEFT + end + 8, 1) if self.value is not None else BAR_LEFT


def bars(items):
    """items: (label, value, low, high, text) for each bar, value None for a bar not shown. Returns the rows,
    the chart's height and its axis ticks as (x, text)."""
    rows = [
        Row(label=label, text=text, y=index * ROW, value=value, low=low, high=high)
        for index, (label, value, low, high, text) in enumerate(items)
    ]
    height = len(rows) * ROW + AXIS
    ticks = [(round(BAR_LEFT + BAR_SPAN * percent / 100, 1), f"{percent}%") for percent in (0, 25, 50, 75, 100)]
    return {"rows": rows, "height": height, "width": WIDTH, "axis_y": len(rows) * ROW + 4, "ticks": ticks}
