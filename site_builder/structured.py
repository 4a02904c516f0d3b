"""JSON-LD (schema.org) for every page, built from the page's own plain-data context."""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = "https://schema.org"
TYPES = {"person": "Person", "organisation": "Organization"}


def for_page(template: str, page: dict, absolute: Callable[[str], str], site_title: str) -> dict:
    """The JSON-LD object of one page."""
    website = {"@type": "WebSite", "name": site_title, "url": absolute("/")}
    if template == "article.html":
        data = news_article(page, absolute, website)
    elif template == "dossier.html":
        data = entity(page, absolute, full=True)
    elif template == "home.html":
        data = {**website, "description": page.get("description") or None}
    else:
        data = {"@type": "CollectionPage", "name": page.get("title"), "url": absolute(page["url"]),
                "isPartOf": website}
    data.setdefault("inLanguage", page["site"]["language"])
    return {"@context": CONTEXT, **{k: v for k, v in data.items() if v not in (None, [], "")}}


def ref(item: dict, absolute: Callable[[str], str]) -> dict:
    """A person or organisation as a schema.org node that other pages can point to."""
    url = absolute(item["url"])
    return {"@type": TYPES[item["kind"]], "@id": url + "#id", "name": item["name"], "url": url}


def news_article(page: dict, absolute, website: dict) -> dict:
    named = page["people"] + page["organisations"]
    data = {
        "@type": "NewsArticle", "headline": page["title"], "url": absolute(page["url"]),
        "mainEntityOfPage": absolute(page["url"]), "datePublished": page["datetime"],
        "description": page.get("summary") or None, "isPartOf": website,
        "about": [ref(item, absolute) for item in named if item["about"]],
        "mentions": [ref(item, absolute) for item in named if not item["about"]],
        "keywords": [t["name"] for t in page["tags"]] or None,
        "isBasedOn": page.get("source_url") or None,
        "inLanguage": page.get("language") or page["site"]["language"],
        "dateModified": page.get("modified_iso"),
        "correction": [{"@type": "CorrectionComment", "text": c["text"], "datePublished": c["iso"]}
                       for c in page.get("corrections", ())],
    }
    if page.get("image"):
        data["image"] = image(page["image"])
    if page.get("author"):
        data["author"] = {"@type": "Person", "name": page["author"]}
    if page.get("source"):
        data["publisher"] = {"@type": "Organization", "name": page["source"]}
    return data


def entity(page: dict, absolute, full: bool) -> dict:
    """A Person with alternateName, dates and roles, or an Organization with its parent."""
    url = absolute(page["url"])
    dates = {d["key"]: d["iso"] for d in page["dates"]}  # by the content format's keys, not the labels shown
    facts = {f["key"]: f["value"] for f in page["facts"]}
    data = {"@type": TYPES[page["kind"]], "@id": url + "#id", "name": page["name"], "url": url,
            "alternateName": page["aliases"] or None, "sameAs": page["links"] or None,
            "image": image(page["image"]) if page.get("image") else None}
    if page["kind"] == "person":
        data.update(birthDate=dates.get("born"), deathDate=dates.get("died"), nationality=facts.get("nationality"),
                    memberOf=[_role(r, absolute) for r in page["roles"]] or None)
    else:
        data.update(foundingDate=dates.get("founded"), dissolutionDate=dates.get("dissolved"),
                    parentOrganization=ref(page["parent"], absolute) if page["parent"] else None,
                    subOrganization=[ref(c, absolute) for c in page["children"]] or None)
    return {k: v for k, v in data.items() if v is not None}


def _role(role: dict, absolute) -> dict:
    """schema.org's Role pattern: Person -memberOf-> Role -memberOf-> Organization."""
    data = {"@type": "Role", "roleName": role["title"], "startDate": role["from_iso"], "endDate": role["to_iso"]}
    if role["organisation"]:
        data["memberOf"] = ref(role["organisation"], absolute)
    return {k: v for k, v in data.items() if v is not None}


def image(picture: dict) -> dict:
    """A lead or dossier picture as a schema.org ImageObject."""
    data = {"@type": "ImageObject", "url": picture["absolute"], "contentUrl": picture["absolute"],
            "caption": picture["alt"], "creditText": picture["credit"], "width": picture["width"],
            "height": picture["height"]}
    return {k: v for k, v in data.items() if v is not None}
