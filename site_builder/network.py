"""The connections picture of a dossier: an SVG laid out at build time, no JavaScript.

Labels are placed, not just drawn: each label's box is measured (with widths at least those of
DejaVu Sans, the widest of the usual sans-serif faces), wrapped onto up to three lines and put
beside, above or below its node where it overlaps no other label, node or the centre, and stays
inside the picture; the picture grows taller when a label fits nowhere else."""

from __future__ import annotations

import math

WIDTH, HEIGHT = 720, 420
SHOWN = 12  # the strongest connections drawn; the ranked list shows them all
FONT, CENTER_FONT = 12, 14  # px, as style.css sets them
LINE = 15  # px from one label line to the next
ASCENT = 11  # px from a label box's top to its first baseline
WRAP = 132  # px: a longer label goes on more lines
MAX_LINES = 3
GAP = 4  # px kept free around every label and node
CENTER_R = 16
# Advance widths in em, rounded up from DejaVu Sans (Chromium's system-ui on Debian), so that the
# boxes hold the text in any of the usual faces (Helvetica, Arial, Segoe UI are narrower).
NARROW = {**dict.fromkeys("ijlI.,:;'!|J", 0.30), **dict.fromkeys("frt()[]-/ ", 0.42)}
WIDE = {**dict.fromkeys("mMW", 0.98), **dict.fromkeys("wOQGDHNU", 0.80)}


def text_width(text: str, size: float = FONT, bold: bool = False) -> float:
    """The width a line of text takes at this size, erring on the wide side."""
    em = sum(NARROW.get(c) or WIDE.get(c) or (0.74 if c.isupper() else 0.64) for c in text)
    return em * size * (1.08 if bold else 1.0)


def wrap(name: str, width: float = WRAP, size: float = FONT) -> list[str]:
    """The name on lines of at most `width` px (a longer word stays whole), at most MAX_LINES;
    what does not fit ends the last line with '…' (the full name is the node's tooltip)."""
    lines: list[str] = []
    for word in name.split():
        if lines and text_width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > MAX_LINES:
        last = " ".join(lines[MAX_LINES - 1:])
        while len(last) > 1 and text_width(last + "…", size) > width:
            last = last[:-1].rstrip()
        lines = lines[:MAX_LINES - 1] + [last + "…"]
    return lines


def layout(center: dict, connections: list, unconnected: list = ()) -> dict | None:
    """Coordinates for the entity in the middle and its strongest connections around it, with the
    parties of its stated relations ("related": their type) drawn too, even with no article in common."""
    shown = list(connections[:SHOWN])
    shown += [c for c in connections[SHOWN:] if c.get("related")][:SHOWN // 2]
    shown += list(unconnected)[:SHOWN // 2]
    if not shown:
        return None
    strongest = max(max(c["count"] for c in shown), 1)
    cx, cy = WIDTH / 2, HEIGHT / 2
    center_lines = wrap(center["name"], 2 * WRAP, CENTER_FONT)
    center_w = max(text_width(line, CENTER_FONT, bold=True) for line in center_lines)
    center_box = (cx - center_w / 2, cy + CENTER_R + GAP, cx + center_w / 2,
                  cy + CENTER_R + GAP + len(center_lines) * (LINE + 2))
    nodes, taken = [], [center_box, (cx - CENTER_R, cy - CENTER_R, cx + CENTER_R, cy + CENTER_R)]
    for i, item in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * i / len(shown)
        weight = item["count"] / strongest
        distance = 160 - 55 * weight  # stronger ties sit closer
        x, y = cx + distance * math.cos(angle) * 1.2, cy + distance * math.sin(angle) * 0.95
        r = round(5 + 7 * weight, 1)
        nodes.append({"name": item["name"], "url": item["url"], "kind": item["kind"], "count": item["count"],
                      "related": item.get("related"), "x": round(x, 1), "y": round(y, 1), "r": r,
                      "stroke": round(1 + 5 * weight, 1), "angle": angle})
        taken.append((x - r, y - r, x + r, y + r))
    height = HEIGHT
    for node in nodes:
        lines = wrap(node["name"])
        box, anchor = _place(node, lines, taken, height)
        if box is None:  # nowhere free: below everything, the picture taller
            w = max(text_width(line) for line in lines)
            top = max(b[3] for b in taken) + GAP
            left = min(max(node["x"] - w / 2, GAP), WIDTH - GAP - w)
            box, anchor = (left, top, left + w, top + len(lines) * LINE), "middle"
            height = math.ceil(box[3] + GAP)
        taken.append(box)
        lx = box[0] if anchor == "start" else box[2] if anchor == "end" else (box[0] + box[2]) / 2
        del node["angle"]
        node.update(label=" ".join(lines), lines=lines, anchor=anchor, lx=round(lx, 1),
                    ly=round(box[1] + ASCENT, 1), box=[round(v, 1) for v in box])
    return {"width": WIDTH, "height": height, "cx": cx, "cy": cy, "center": center["name"],
            "center_lines": center_lines, "center_box": [round(v, 1) for v in center_box],
            "center_kind": center["kind"], "nodes": nodes, "line": LINE,
            "stated": any(n["related"] for n in nodes)}


def _place(node: dict, lines: list[str], taken: list[tuple], height: float) -> tuple:
    """The first free box for a label: beside its node on the outer side, above, below, on the
    inner side, then the same a little higher or lower; (None, None) when none is free."""
    w = max(text_width(line) for line in lines)
    h = len(lines) * LINE
    x, y, r = node["x"], node["y"], node["r"]
    right = math.cos(node["angle"]) >= 0
    beside = [("start", x + r + GAP, y - h / 2), ("end", x - r - GAP - w, y - h / 2)]
    if not right:
        beside.reverse()
    upper = math.sin(node["angle"]) < 0
    vertical = [("middle", x - w / 2, y - r - GAP - h), ("middle", x - w / 2, y + r + GAP)]
    if not upper:
        vertical.reverse()
    candidates = ([beside[0], *vertical, beside[1]] if abs(math.cos(node["angle"])) > 0.3
                  else [*vertical, *beside])
    for shift in (0, -8, 8, -16, 16, -24, 24, -36, 36, -48, 48):
        for anchor, left, top in candidates:
            box = (left, top + shift, left + w, top + shift + h)
            if _inside(box, height) and not any(_overlap(box, other) for other in taken):
                return box, anchor
    return None, None


def _inside(box: tuple, height: float) -> bool:
    return box[0] >= GAP and box[1] >= GAP and box[2] <= WIDTH - GAP and box[3] <= height - GAP


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] + GAP and b[0] < a[2] + GAP and a[1] < b[3] + GAP and b[1] < a[3] + GAP
