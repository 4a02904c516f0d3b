import datetime as dt

import pytest

from site_builder.dates import DateError, parse_published, parse_span
from site_builder.i18n import words

ENGLISH, SPANISH = words("en"), words("es")


@pytest.mark.parametrize("written, shown", [
    ("2020-10-15", "15 October 2020"),
    ("2020-10", "October 2020"),
    ("2020", "2020"),
    ("2015-12/2017-02", "December 2015 – February 2017"),
    ("1992~", "c. 1992"),
    ("2020-10?", "October 2020 (?)"),
    ("2020-10-15%", "c. 15 October 2020 (?)"),
    ("2015-12/..", "since December 2015"),
    ("../2017", "until 2017"),
])
def test_contract_table_is_shown_as_written(written, shown):
    assert ENGLISH.span(parse_span(written)) == shown


@pytest.mark.parametrize("written, shown", [
    ("2020-10-15", "15 de octubre de 2020"),
    ("2020-10", "octubre de 2020"),
    ("2020", "2020"),
    ("2015-12/2017-02", "diciembre de 2015 – febrero de 2017"),
    ("1992~", "hacia 1992"),
    ("2020-10?", "octubre de 2020 (?)"),
    ("2015-12/..", "desde diciembre de 2015"),
])
def test_spanish_writes_the_table_the_cldr_way(written, shown):
    assert SPANISH.span(parse_span(written)) == shown


@pytest.mark.parametrize("bad", ["2020-13-45", "2020-02-30", "next week", "2020-13", "20201015",
                                 "2019-02-29", "0000", "2017/2015", "2015/2016/2017", "..", "2020-1-5"])
def test_invalid_dates_are_rejected_with_a_reason(bad):
    with pytest.raises(DateError) as err:
        parse_span(bad)
    assert bad in str(err.value)


def test_leap_day_is_a_date():
    assert ENGLISH.span(parse_span("2020-02-29")) == "29 February 2020"


def test_order_is_earliest_day_then_precision_then_single_before_interval():
    written = ["2020", "2020-01", "2020-01-01/2020-03", "2020-01-01", "2019-12-31", "2020-01-02", "1992~"]
    ordered = sorted(written, key=lambda w: parse_span(w).sort_key())
    assert ordered == ["1992~", "2019-12-31", "2020-01-01", "2020-01-01/2020-03", "2020-01", "2020", "2020-01-02"]


def test_approximate_and_uncertain_do_not_change_order():
    assert parse_span("2020-10~").sort_key() == parse_span("2020-10").sort_key() == parse_span("2020-10?").sort_key()


@pytest.mark.parametrize("written, expected", [
    ("2020-11-21", dt.datetime(2020, 11, 21, tzinfo=dt.UTC)),
    ("2020-11-18T16:40:00", dt.datetime(2020, 11, 18, 16, 40, tzinfo=dt.UTC)),
    ("2020-11-18 16:40", dt.datetime(2020, 11, 18, 16, 40, tzinfo=dt.UTC)),
    ("2020-11-18T16:40:00-06:00", dt.datetime(2020, 11, 18, 22, 40, tzinfo=dt.UTC)),
])
def test_publication_dates_take_an_optional_time_and_default_to_utc(written, expected):
    assert parse_published(written) == expected


@pytest.mark.parametrize("bad", ["2020-11", "2020-11-21T25:00", "yesterday", "2020-02-30"])
def test_publication_date_must_be_a_day(bad):
    with pytest.raises(DateError):
        parse_published(bad)
