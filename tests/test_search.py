"""The search index: folding as the browser folds, and updates that equal a rewrite."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder import search
from site_builder.pages import Html


def test_words_are_folded_without_accents_or_capitals_and_single_letters_dropped():
    assert search.words("Daniel MILLÁN met İlker in São Paulo, a_b 2020") == [
        "daniel", "millan", "met", "ilker", "in", "sao", "paulo", "2020"]
    assert search.fold("Ñuñoa Œuvre") == "nunoa œuvre"


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("aZé9_ -’“”—…·«»\u00a0øΩжß1.,"), max_size=40) | st.text(max_size=40))
def test_words_are_the_runs_of_letters_and_digits_of_the_folded_text(text):
    assert search.words(text) == re.findall(r"[^\W_]{2,}", search.fold(text))


def test_an_article_document_weighs_its_title_above_its_body_and_keeps_a_short_excerpt():
    context = {"title": "Millán testifies", "summary": "", "source": "Wire", "people": [{"name": "Ana López"}],
               "organisations": [], "body": Html("<p>The <em>court</em> heard Millán &amp; others. " + "x" * 400),
               "date": "1 May 2020", "site": {"language": "en"}}
    doc = search.document("/articles/a/", "article.html", context)
    weights = doc.weights()
    assert weights["millan"] > weights["court"] and weights["lopez"] > weights["court"]
    assert "em" not in weights and "amp" not in weights  # markup is not indexed
    assert doc.meta["excerpt"].startswith("The court heard Millán & others.") and len(doc.meta["excerpt"]) < 200
    assert search.document("/tags/x/", "tag.html", context) is None


def test_a_document_id_depends_only_on_its_url():
    assert search.doc_id("/articles/a/") == search.doc_id("/articles/a/") != search.doc_id("/articles/b/")
    assert len(search.doc_id("/articles/a/")) == search.ID_CHARS


def make(url, terms, title="T"):
    meta = {"url": url, "title": title, "kind": "Article", "excerpt": ""}
    return search.Document.of(url, meta, dict(terms))


def apply(files, changes):
    files = dict(files)
    for rel, data in changes.items():
        if data is None:
            del files[rel]
        else:
            files[rel] = data
    return files


TERMS = st.dictionaries(st.sampled_from(["an", "ana", "ana2", "anabel", "court", "cocaine", "millan", "zeta", "2020",
                                         "жук", "жж", "ωμεγα"]),
                        st.integers(1, 30), max_size=5)
SITES = st.dictionaries(st.sampled_from([f"/articles/{n}/" for n in "abcdef"]), st.tuples(TERMS, st.booleans()),
                        max_size=6)


@settings(max_examples=150, deadline=None)
@given(before=SITES, after=SITES)
def test_updating_the_index_gives_the_files_of_writing_it_whole(before, after):
    old = {url: make(url, terms, "T" if flag else "U") for url, (terms, flag) in before.items()}
    new = {url: make(url, terms, "T" if flag else "U") for url, (terms, flag) in after.items()}
    files = dict(search.files(list(old.values())))
    changed = {url: doc for url, doc in new.items() if url not in old or old[url].entry() != doc.entry()}
    changed.update({url: None for url in old if url not in new})
    previous = {url: doc.entry() for url, doc in old.items()}
    updated = apply(files, search.update(files.get, previous, changed, len(new)))
    assert updated == dict(search.files(list(new.values())))


@settings(max_examples=50, deadline=None)
@given(site=SITES, parts=st.integers(2, 3))
def test_the_parts_of_the_index_written_by_each_process_make_the_whole_index(site, parts):
    docs = [make(url, terms, "T" if flag else "U") for url, (terms, flag) in site.items()]
    shares = [dict(search.files(docs, part, parts)) for part in range(parts)]
    assert sum(len(share) for share in shares) == len(whole := dict(search.files(docs)))
    assert {rel: data for share in shares for rel, data in share.items()} == whole


def test_a_term_file_that_is_not_what_the_state_says_stops_the_update():
    docs = [make("/articles/a/", {"ana": 3})]
    files = dict(search.files(docs))
    files["search/terms/616e.json"] = b"not json"
    changed = {"/articles/a/": make("/articles/a/", {"ana": 4})}
    try:
        search.update(files.get, {d.url: d.entry() for d in docs}, changed, 1)
    except search.SearchError as err:
        assert "616e.json" in str(err)
    else:
        raise AssertionError("a broken term file was patched")
