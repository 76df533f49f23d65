"""One visual style for every chart, on screen and in briefing PNGs: CJK font, RAG palette, sizes, margins."""

from __future__ import annotations

# Noto Sans CJK SC is installed by `make run` / `make test` (Debian fonts-noto-cjk); without it Chinese renders as boxes.
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans CJK, sans-serif"
FONT_NAME = "Noto Sans CJK SC"

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. Status is also written as text and,
# on bars, drawn with a pattern, so colour is never the only cue.
RAG = {
    "achieved": "#0072B2",  # blue
    "green": "#009E73",  # bluish green
    "amber": "#E69F00",  # orange
    "red": "#D55E00",  # vermillion
    "breached": "#882255",  # wine
    "missed": "#4A2511",  # dark brown: darker than red, so the verdict reads as worse than "behind" in grey print too
    "no_data": "#BBBBBB",  # grey
}
PATTERN = {"achieved": "", "green": "", "amber": "/", "red": "x", "breached": "+", "missed": "-", "no_data": "."}
INK = "#222222"
MUTED = "#666666"
GRID = "#E5E5E5"

SIZES = {"slide": (1600, 900), "a4": (1800, 1000)}  # 16:9 slide; A4 half page
SCALE = 2

TITLE_SIZE = 26
BODY_SIZE = 16
SMALL_SIZE = 13


SCREEN_TITLE_SIZE = 17
SCREEN_BODY_SIZE = 13
SCREEN_HEIGHT = 520


def base_layout(title: str, footer: str, width: int | None = None, height: int | None = None) -> dict:
    """Layout shared by every figure: title at top left, source line at bottom left, white background.

    With a size (export) the type is set for a full slide; without one (a page column) it is set smaller.
    """
    exported = bool(width and height)
    layout = {
        "title": {"text": title, "x": 0.01, "xanchor": "left",
                  "font": {"size": TITLE_SIZE if exported else SCREEN_TITLE_SIZE, "color": INK}},
        "font": {"family": FONT_FAMILY, "size": BODY_SIZE if exported else SCREEN_BODY_SIZE, "color": INK},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 40, "r": 40, "t": 90, "b": 130},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        "annotations": [{
            "text": footer, "xref": "paper", "yref": "paper", "x": 0, "y": -0.02, "xanchor": "left", "yanchor": "top",
            "showarrow": False, "font": {"size": SMALL_SIZE, "color": MUTED}, "yshift": -92,
        }],
    }
    if exported:
        layout.update(width=width, height=height)
    else:
        layout.update(height=SCREEN_HEIGHT)
    return layout
