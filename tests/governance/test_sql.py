"""The SQL helpers of the governance queries run on SQLite and PostgreSQL alike."""

from outreach.governance.selectors import _in, fetch_rows


def test_an_empty_in_list_matches_nothing_on_every_database(db):
    """PostgreSQL refuses `IN ()` (a commissioner's page over no teams answered 500 there):
    an empty list matches no row instead."""
    sql, params = _in([])
    assert fetch_rows(f"SELECT 1 AS x WHERE 1 IN {sql}", params) == []
    sql, params = _in([1, 2])
    assert fetch_rows(f"SELECT 1 AS x WHERE 1 IN {sql}", params) == [{"x": 1}]
