"""The calendar on screen (demo office, today 2026-11-22): the 工作台 warns that 2027's 放假调休安排 is missing, due
dates on 2027 are marked 估算 in the case list, and 设置—节假日 imports a year's CSV (管理员 only)."""
from __future__ import annotations

from ipdesk.ui.models.case_table import COLUMNS

CSV_2027 = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,holiday,春节\n2027-02-20,workday,春节调休上班\n"


def test_home_warns_from_november_and_import_in_settings_clears_it(window, demo_desk, tmp_path):
    home = window.navigate("home")
    assert home.calendar_note.isVisibleTo(home) and "尚未录入2027年放假调休安排" in home.calendar_note.text()
    model = window.navigate("cases").model  # demo cases filed in November run into 2027
    col = next(i for i, c in enumerate(COLUMNS) if c.key == "deadline")
    shown = [model.index(r, col).data() for r in range(model.rowCount())]
    assert any(text and text.startswith("剩") and text.endswith("（估算）") for text in shown)
    assert any(text and text.startswith("剩") and not text.endswith("（估算）") for text in shown)
    tab = window.navigate("settings").tab("节假日")
    assert tab.import_button.isEnabled()
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name\n2027-02-30,holiday,春节\n", encoding="utf-8")
    tab.import_file(str(bad))
    assert "第2行" in tab.message.text() and demo_desk.limits.holidays(2027) == []
    good = tmp_path / "2027.csv"
    good.write_text(CSV_2027, encoding="utf-8")
    tab.year.setValue(2027)
    tab.import_file(str(good))
    assert tab.table.rowCount() == 3 and "导入节假日 2027年（3天）" in tab.message.text()
    home = window.navigate("home")
    home.refresh(None)
    assert not home.calendar_note.isVisibleTo(home)
    # A clerk sees the calendar but cannot change it.
    demo_desk.office.add_user("赵丽娜", "填报人", "pw-赵丽娜", own_password="pw-admin")
    demo_desk.user = "赵丽娜"
    tab.refresh(None)
    assert not tab.import_button.isEnabled() and "只有管理员" in tab.import_button.toolTip()


def test_first_month_is_set_in_unit_settings(window, demo_desk):
    tab = window.navigate("settings").tab("单位与联系人")
    tab.first_month.setText("2026-13")
    assert tab.unsaved()
    tab.save()
    assert "启用月份应为一个月份" in tab.message.text() and demo_desk.setting("first_month") is None
    tab.first_month.setText("2026-3")
    tab.save()
    assert demo_desk.setting("first_month") == "2026-03" and tab.first_month.text() == "2026-03"
    assert not tab.unsaved() and "已保存" in tab.message.text()
