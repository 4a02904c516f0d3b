"""The connections picture of a dossier: an SVG laid out at build time, no JavaScript."""

from __future__ import annotations

import math

WIDTH, HEIGHT = 640, 400
SHOWN = 12  # the strongest connections drawn; the ranked list shows them all
LABEL = 24  # characters of a name drawn; the full name is the node's tooltip


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
    nodes = []
    for i, item in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * i / len(shown)
        weight = item["count"] / strongest
        distance = 165 - 55 * weight  # stronger ties sit closer
        x, y = cx + distance * math.cos(angle) * 1.1, cy + distance * math.sin(angle) * 0.95
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else ("start" if math.cos(angle) > 0 else "end")
        label = item["name"] if len(item["name"]) <= LABEL else item["name"][:LABEL - 1].rstrip() + "…"
        nodes.append({"name": item["name"], "label": label, "url": item["url"], "kind": item["kind"],
                      "count": item["count"], "related": item.get("related"),
                      "x": round(x, 1), "y": round(y, 1), "r": round(5 + 7 * weight, 1),
                      "stroke": round(1 + 5 * weight, 1), "anchor": anchor,
                      "lx": round(x + (12 if anchor == "start" else -12 if anchor == "end" else 0), 1),
                      "ly": round(y + (4 if anchor != "middle" else (-14 if y < cy else 22)), 1)})
    return {"width": WIDTH, "height": HEIGHT, "cx": cx, "cy": cy, "center": center["name"],
            "center_kind": center["kind"], "nodes": nodes, "stated": any(n["related"] for n in nodes)}
