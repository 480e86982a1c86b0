"""The case ledger's queries: the in-memory text search, year ranges and paging give exactly what the
plain SQL (LIKE on four columns, substr on dates, ORDER BY … IS NULL) gives."""
import pytest

from ipdesk.db.records import STATUS_SQL, CaseFilter
from ipdesk.demo import generate_demo


def _reference(desk, flt: CaseFilter, order="recent", descending=True) -> list[int]:
    """The ledger's rows the slow, obvious way: LIKE and substr over the whole table."""
    where, params = ["unit_code = ?"], [desk.unit["code"]]
    if flt.year:
        where.append("(substr(COALESCE(filed_date, lead_date), 1, 4) = ? OR substr(closed_date, 1, 4) = ?)")
        params += [str(flt.year)] * 2
    if flt.category:
        where.append("category = ?")
        params.append(flt.category)
    if flt.status:
        where.append(f"({STATUS_SQL}) = ?")
        params.append(flt.status)
    text = flt.text.strip().replace("%", "").replace("_", "")
    if text:
        where.append("(name LIKE ? OR party_name LIKE ? OR case_no LIKE ? OR right_holder LIKE ?)")
        params += [f"%{text}%"] * 4
    direction = "DESC" if descending else "ASC"
    col = f"({STATUS_SQL})" if order == "status" else "COALESCE(filed_date, lead_date)" if order == "recent" \
        else order
    return [r[0] for r in desk.db.execute(
        f"SELECT id FROM cases WHERE {' AND '.join(where)} ORDER BY {col} IS NULL, {col} {direction}, id {direction}",
        params).fetchall()]


def _all_pages(desk, flt, order="recent", descending=True, page=7) -> list[int]:
    out = []
    while True:
        rows = desk.records.list_cases(flt, order, descending, limit=page, offset=len(out))
        out += [r["id"] for r in rows]
        if len(rows) < page:
            return out


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    from datetime import date

    from ipdesk.desk import Desk

    desk = Desk.open(tmp_path_factory.mktemp("ledger") / "东胜 区.db", create=True, today=lambda: date(2026, 11, 22))
    desk.initialize("150602", "东胜区市场监督管理局", "150600")
    generate_demo(desk, months=30, seed=5)
    # Values the search must handle like LIKE: ASCII case, wildcards in the data, empty columns.
    desk.records.save("cases", {"name": "Nike运动鞋 100%纯棉_标签案", "category": "商标侵权", "lead_date": "2026-11-01",
                        "party_name": "ABC贸易商行", "right_holder": "NIKE Inc."})
    yield desk
    desk.close()


TERMS = ["鑫源", "恒通商贸", "商", "东胜区", "耐克创新有限合伙公司", "nike", "NIKE", "abc", "100%", "_标", "〔2025〕",
         "  鑫源 ", "不存在的名称", "%", "号"]


@pytest.mark.parametrize("term", TERMS)
def test_text_search_matches_like(filled, term):
    flt = CaseFilter(text=term)
    expected = _reference(filled, flt)
    assert _all_pages(filled, flt) == expected
    assert filled.records.count_cases(flt) == len(expected)


@pytest.mark.parametrize("flt", [
    CaseFilter(), CaseFilter(year=2025), CaseFilter(year=2026, category="商标侵权"), CaseFilter(year=2024),
    CaseFilter(status="已结案", text="商"), CaseFilter(year=2025, text="鑫源"), CaseFilter(category="假冒专利"),
])
@pytest.mark.parametrize("order,descending", [("recent", True), ("recent", False), ("filed_date", True),
                                              ("filed_date", False), ("closed_date", True),
                                              ("closed_date", False), ("name", False), ("status", True)])
def test_filters_orders_and_pages_match_plain_sql(filled, flt, order, descending):
    expected = _reference(filled, flt, order, descending)
    assert _all_pages(filled, flt, order, descending) == expected
    assert filled.records.count_cases(flt) == len(expected)


def test_search_sees_every_change(filled):
    flt = CaseFilter(text="独一无二商号")
    assert filled.records.count_cases(flt) == 0 and filled.records.list_cases(flt) == []
    changes = filled.records.save("cases", {"name": "独一无二商号涉嫌商标侵权案", "category": "商标侵权",
                                    "lead_date": "2026-11-02"})
    case_id = changes.record_id
    assert [r["id"] for r in filled.records.list_cases(flt)] == [case_id] and filled.records.count_cases(flt) == 1
    filled.records.save("cases", {"name": "改名后的案件"}, case_id)
    assert filled.records.count_cases(flt) == 0
    filled.records.save("cases", {"party_name": "独一无二商号"}, case_id)
    assert filled.records.count_cases(flt) == 1
    filled.records.undo_last()
    assert filled.records.count_cases(flt) == 0
    filled.records.save("cases", {"right_holder": "独一无二商号集团"}, case_id)
    assert filled.records.count_cases(flt) == 1
    filled.records.delete("cases", case_id)
    assert filled.records.count_cases(flt) == 0 and filled.records.list_cases(flt) == []


def test_search_sees_another_connections_writes(filled):
    from ipdesk.desk import Desk

    flt = CaseFilter(text="另一窗口")
    assert filled.records.count_cases(flt) == 0
    other = Desk.open(filled.path, today=filled.today)
    other.user = filled.user
    other.records.save("cases", {"name": "另一窗口录入的案件", "category": "商标侵权", "lead_date": "2026-11-03"})
    other.close()
    assert filled.records.count_cases(flt) == 1


@pytest.mark.parametrize("order", ["COALESCE(filed_date, lead_date)", "filed_date"])
def test_first_page_needs_no_sort_of_the_table(filled, order):
    """The default ledger order (and 立案日期) walk an index backwards: no temporary sort b-tree."""
    where, params = CaseFilter().sql(filled.unit["code"])
    plan = filled.db.execute(f"EXPLAIN QUERY PLAN SELECT id FROM cases WHERE {where} "
                             f"ORDER BY {order} DESC, id DESC", params).fetchall()
    assert not any("TEMP B-TREE" in row[-1] for row in plan), plan


@pytest.mark.parametrize("flt", [CaseFilter(text="鑫源"), CaseFilter(text="NIKE"), CaseFilter(year=2025, text="商"),
                                 CaseFilter(text="没有这个词"), CaseFilter(year=2025, category="商标侵权")])
@pytest.mark.parametrize("descending", [True, False])
def test_case_ids_match_plain_sql(filled, flt, descending):
    """The ledger model reads all ordered ids, then pages by id."""
    for order in ("recent", "filed_date"):
        assert filled.records.case_ids(flt, order, descending) == _reference(filled, flt, order, descending)


def test_open_cases_in_one_pass_equal_one_query_per_day(filled):
    from datetime import date

    from ipdesk.db import aggregate

    days = [date(2024, 6, 1), date(2025, 1, 1), date(2025, 12, 31), date(2026, 10, 31), date(2026, 11, 22)]
    points = [(d, inclusive) for d in days for inclusive in (False, True)]
    together = aggregate.open_cases_at(filled.db, filled.unit["code"], points)
    assert any(together)
    for (day, inclusive), counted in zip(points, together):
        assert counted == aggregate.open_cases_by_category(filled.db, filled.unit["code"], day, inclusive=inclusive)


@pytest.mark.parametrize("period", ["2026", "2025", "2026-10", "2026-11", "2025-01", "2026-Q3", "2026-H1", "2026-B5",
                                    "2024-12", "2024"])
def test_annex1_open_figures_from_flows_equal_direct_counts(filled, period):
    """附件1 derives 期初/期末 open cases from monthly flows; they must equal counting them directly."""
    from ipdesk.catalog.model import OPEN_AT_END, OPEN_AT_START
    from ipdesk.db import aggregate
    from ipdesk.domain.periods import Period

    p = Period.parse(period)
    prev = p.previous_year()
    table = filled.figures.annex1(p)
    unit = filled.unit["code"]

    def direct(day, inclusive, cats):
        counted = aggregate.open_cases_by_category(filled.db, unit, day, inclusive=inclusive)
        return sum(counted.get(c, 0) for c in cats)

    checked = 0
    for cid, cell in table.catalog.cells().items():
        m = cell.measure
        if m is None or m.agg not in (OPEN_AT_START, OPEN_AT_END):
            continue
        cats, v = cell.row.categories, table.values[cid]
        if m.agg == OPEN_AT_START:
            assert v.current == direct(p.start, False, cats)
            assert v.ytd == direct(p.ytd_start, False, cats)
            assert v.prev_current == direct(prev.start, False, cats)
            assert v.prev_ytd == direct(prev.ytd_start, False, cats)
        else:
            assert v.current == v.ytd == direct(p.end, True, cats)
            assert v.prev_current == v.prev_ytd == direct(prev.end, True, cats)
        checked += 1
    assert checked >= 12 and any(table.values[c].current for c in table.values)


def test_closing_leaves_planner_statistics(tmp_path):
    """PRAGMA optimize on close: a file that grew has statistics for its indexes next time."""
    from datetime import date

    from ipdesk.desk import Desk

    desk = Desk.open(tmp_path / "统计 信息.db", create=True, today=lambda: date(2026, 11, 22))
    desk.initialize("150602", "东胜区市场监督管理局", "150600")
    generate_demo(desk, months=6, seed=3)
    desk.close()
    desk = Desk.open(tmp_path / "统计 信息.db")
    indexes = {r[0] for r in desk.db.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'cases'").fetchall()}
    desk.close()
    assert {"cases_recent", "cases_filed", "cases_closed_stats"} <= indexes
