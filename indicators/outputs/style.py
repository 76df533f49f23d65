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
# The colour of a count written on a bar of each status: dark on the light orange, vermillion and grey (with their
# hatching drawn thin), white on the dark blue, green, wine and brown.
LABEL_ON = {"achieved": "white", "green": "white", "amber": "#222222", "red": "#222222", "breached": "white",
            "missed": "white", "no_data": "#222222"}
INK = "#222222"
MUTED = "#666666"
GRID = "#E5E5E5"

# 16:9 slide; A4: a chart across the 16 cm text width of an A4 page, its type set so that printed there the
# smallest text is at least 9 pt (16 cm = 453.5 pt for 760 layout pixels: 16 px prints at 9.5 pt; see print_points),
# tall enough for 15 bars with their names at that size (13.5 cm: two charts to a page)
SIZES = {"slide": (1600, 900), "a4": (760, 640)}
SCALE = 2
A4_TEXT_WIDTH_CM = 16.0
MIN_PRINT_PT = 9.0

TITLE_SIZE = 26
BODY_SIZE = 16
SMALL_SIZE = 13
# (title, body, small) type in layout pixels per export size
TYPE = {"slide": (TITLE_SIZE, BODY_SIZE, SMALL_SIZE), "a4": (21, 17, 16)}


SCREEN_TITLE_SIZE = 17
SCREEN_BODY_SIZE = 13
SCREEN_HEIGHT = 600


def marker(status: str) -> dict:
    """A bar's fill for a status: its colour with its pattern, the hatching thin enough to read a label over it."""
    colour = RAG.get(status, RAG["no_data"])
    return {"color": colour, "pattern": {"shape": PATTERN.get(status, ""), "fgcolor": tint(colour, 0.45),
                                         "bgcolor": colour, "fillmode": "replace", "solidity": 0.22, "size": 10}}


def tint(colour: str, strength: float) -> str:
    """``colour`` mixed with white: strength 1 is the colour itself, 0 is white."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - (255 - c) * strength) for c in (red, green, blue)]
    return "#" + "".join(f"{c:02X}" for c in mix)


def text_width(text: str) -> int:
    """Width in half-width units: a CJK character or full-width mark counts two, a Latin letter or digit one."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def type_sizes(size: str | None) -> tuple[int, int, int]:
    """(title, body, small) type in layout pixels: an export size's, or the page's (None)."""
    return TYPE.get(size or "", (SCREEN_TITLE_SIZE, SCREEN_BODY_SIZE, SMALL_SIZE))


def print_points(font_px: float, layout_width_px: float, printed_width_cm: float) -> float:
    """How large ``font_px`` of a chart laid out ``layout_width_px`` wide prints when the image is placed
    ``printed_width_cm`` wide (the PNG's scale cancels out: pixels and layout grow together)."""
    return font_px / layout_width_px * printed_width_cm / 2.54 * 72


def title_chars(size: str | None, lang: str) -> int:
    """How wide (half-width units) a plan's name may be on a title's first line: a 1600-pixel slide at TITLE_SIZE
    exported, the A4 chart at its title type, half a page at SCREEN_TITLE_SIZE on screen."""
    return {"slide": 112, "a4": 60}.get(size or "", 64)


def footer_chars(size: str | None, lang: str) -> int:
    """How wide (half-width units) a line of the source line may be before it wraps."""
    return {"slide": 220, "a4": 84}.get(size or "", 88)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` half-width units, with an ellipsis when cut."""
    if text_width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch) > limit - 2:
            break
        out += ch
    return out.rstrip() + "…"


def wrap(text: str, limit: int) -> str:
    """Break a line at a separator (；, or a space in English) before ``limit`` half-width units, with <br> for plotly."""
    lines, rest = [], text
    while text_width(rest) > limit:
        fits = len(shorten(rest, limit + 2)) - 1 if text_width(rest) > limit else len(rest)  # characters that fit
        head = rest[:fits]
        cut = max(head.rfind(sep) for sep in ("；", "; ", "，", ", ", "、", " "))
        cut = cut + 1 if cut > fits // 3 else fits
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return "<br>".join([*lines, rest])


def base_layout(title: str, footer: str, width: int | None = None, height: int | None = None,
                size: str | None = None) -> dict:
    """Layout shared by every figure: title at top left, source line at bottom left, white background.

    With a size (export) the type is set for a full slide; without one (a page column) it is set smaller. The title
    may run to two lines and the source line too: the margins leave room for both, so neither is ever cut off.
    """
    exported = bool(width and height)
    title_px, body_px, small_px = type_sizes(size if exported else None)
    footer_lines = footer.count("<br>") + 1 if footer else 0
    # A4's narrower plot wraps a legend of five onto two or three rows: room for them above the source line
    bottom = 110 + (48 if size == "a4" else 0) + footer_lines * (small_px + 6) if exported else 90
    layout = {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "y": 1.0, "yref": "container", "yanchor": "top",
                  "pad": {"t": 24 if exported else 14},
                  "font": {"size": title_px, "color": INK}},
        "font": {"family": FONT_FAMILY, "size": body_px, "color": INK},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 40, "r": 40, "t": (110 if size != "a4" else 100) if exported else 80, "b": bottom},
        # the legend at the bottom, above the source line: at the top a legend of five statuses wrapped onto the title
        # exported, from the figure's left edge (from the plot's, a long y label left the legend too narrow a row)
        "legend": {"orientation": "h", "yref": "container", "xref": "container" if exported else "paper",
                   "yanchor": "bottom", "xanchor": "left", "x": 0.01,
                   "y": (footer_lines * (small_px + 6) + 12) / (height or SCREEN_HEIGHT), "valign": "middle"},
        "annotations": [],
    }
    if footer:  # exported: anchored at the plot's right edge and wrapped to fit the figure's width (left-anchored it
        # would start after the y labels, whose width only plotly knows, and could run off the right edge)
        layout["annotations"].append({
            "text": footer, "xref": "paper", "yref": "paper", "x": 1, "y": 0, "xanchor": "right", "yanchor": "bottom",
            "align": "left", "showarrow": False, "font": {"size": small_px, "color": MUTED}, "yshift": -(bottom - 8),
        })
    if exported:  # text plotly would shrink to fit a bar is hidden instead: what is printed stays legible
        layout.update(width=width, height=height, uniformtext={"minsize": small_px, "mode": "hide"})
    else:  # on a page too, a count too small to read in its bar is left out (the bar's length still says it)
        layout.update(height=SCREEN_HEIGHT, uniformtext={"minsize": 10, "mode": "hide"})
    return layout
