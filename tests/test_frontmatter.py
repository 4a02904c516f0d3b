import pytest

from site_builder.frontmatter import FrontMatterError, parse


def test_values_stay_text_and_every_key_has_its_line():
    doc = parse(b"---\ntitle: 2020\ndate: 2020-11-21\nevents:\n  - date: 1992\n    text: yes\n---\nBody\n")
    assert doc.data == {"title": "2020", "date": "2020-11-21", "events": [{"date": "1992", "text": "yes"}]}
    assert doc.line("title") == 2
    assert doc.line("events", 0, "date") == 5
    assert doc.line("events", 0, "text") == 6
    assert doc.body == "Body\n" and doc.body_line == 8


def test_bom_and_crlf_are_accepted():
    doc = parse(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nLine one\r\nLine two\r\n")
    assert doc.data == {"title": "T"}
    assert doc.body == "Line one\nLine two\n"


def test_empty_values_are_none_but_quoted_ones_are_text():
    doc = parse(b'---\na:\nb: ~\nc: "~"\nd: ""\n---\n')
    assert doc.data == {"a": None, "b": None, "c": "~", "d": ""}


@pytest.mark.parametrize("raw, line, words", [
    (b"title: no front matter\n", 1, "no front matter"),
    (b"---\ntitle: never closed\n", 1, "not closed"),
    (b"---\ntitle: x\n  bad: indent\n---\n", 3, "YAML"),
    (b"---\ntitle: ok\ndate: 2020\ntitle: again\n---\n", 4, "twice"),
    (b"---\ntitle: ok\n\n\nbad: caf\xe9\n---\n", 5, "not UTF-8"),
])
def test_problems_name_their_line(raw, line, words):
    with pytest.raises(FrontMatterError) as err:
        parse(raw)
    assert err.value.line == line
    assert words in err.value.message


def test_alias_bombs_are_refused():
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{'b' * i}: &{'b' * i} [{', '.join(['*' + ('b' * (i - 1) if i > 1 else 'a')] * 10)}]")
    with pytest.raises(FrontMatterError) as err:
        parse(("\n".join(lines + ["---", ""])).encode())
    assert "too large" in err.value.message
