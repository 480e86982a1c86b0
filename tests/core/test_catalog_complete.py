"""The catalogue is the one definition: headline cells, the dates measures count by (and so the locks),
附件2's columns, flag labels and the column grouping all come from it."""
from ipdesk.catalog import CURRENT
from ipdesk.catalog.model import column_runs
from ipdesk.domain import enums
from ipdesk.domain.fields import CASE_FIELD_MAP, CASE_FIELDS
from ipdesk.recordbook import _count_dates


def test_headline_cells_are_cells_of_the_catalogue():
    heads = CURRENT.headlines
    cells = CURRENT.cells()
    for cid in heads.home + heads.bulletin + heads.bulletin_ytd + heads.rank_by:
        assert cid in cells, cid
    grid = CURRENT.grid()
    assert {heads.filed, heads.closed, *heads.by_category} <= {c.id for c in grid.columns}
    assert CURRENT.total_cell(heads.filed) == "B.total.filed"


def test_locks_follow_the_dates_the_measures_count_by():
    dates = CURRENT.count_dates()
    assert set(dates["cases"]) == {"filed_date", "closed_date", "decision_date", "referral_date"}
    assert dates["inspections"] == ("date",) and dates["work_items"] == ("date",) and dates["manual_cells"] == ()
    assert set(_count_dates("cases")) == set(dates["cases"]) and _count_dates("explanations") == ()


def test_annex2_columns_name_their_case_field():
    for col in CURRENT.annex2_columns:
        assert col.align in ("left", "center")
        if col.source:
            assert col.source in CASE_FIELD_MAP, col
    assert CURRENT.annex2_listed_label in CURRENT.annex2_notes[2]
    assert CURRENT.annex2_annex1_label in CURRENT.annex2_notes[2]


def test_flag_labels_are_written_once():
    flags = {f.name: f.label for f in CASE_FIELDS if f.name.startswith("flag_")}
    assert flags == enums.CASE_FLAGS
    columns = {c.measure.where[0][0]: c.label for c in CURRENT.grid().columns
               if c.is_flag and c.measure.where and c.measure.where[0][1:] == ("=", 1)}
    assert columns == enums.CASE_FLAGS


def test_column_runs_group_consecutive_columns_only():
    runs = column_runs(CURRENT.grid().columns)
    assert sum(len(r) for r in runs) == len(CURRENT.grid().columns)
    assert all(len({c.group for c in run}) == 1 for run in runs)
    # 案件数 comes twice: 立案其中 sits between 立案 and 结案, so it is two header cells
    assert [r[0].group for r in runs].count("案件数") == 2
    part_c = CURRENT.part("C")
    assert [len(r) for r in column_runs(part_c.indicators)][:2] == [2, 1]
