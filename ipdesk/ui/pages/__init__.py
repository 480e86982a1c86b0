"""The page registry: every page of the main window's navigation, in order, in one place.

A page is a QWidget class taking ``(ctx: AppContext)`` with ``refresh(changes)``;
``changes`` is a :class:`ipdesk.desk.Changes`, or None for "reload everything"
(first show, or changes made while the page was hidden). Pages are imported and
created only when first shown. To add a page, add one line here.
"""
from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    key: str
    title: str
    module: str
    class_name: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "工作台", "ipdesk.ui.pages.home", "HomePage"),
    PageSpec("cases", "案件台账", "ipdesk.ui.pages.cases", "CasesPage"),
    PageSpec("inspections", "检查记录", "ipdesk.ui.pages.inspections", "InspectionsPage"),
    PageSpec("work_items", "其他工作", "ipdesk.ui.pages.work_items", "WorkItemsPage"),
    PageSpec("annex1", "附件1 统计表", "ipdesk.ui.pages.annex1", "Annex1Page"),
    PageSpec("annex2", "附件2 明细表", "ipdesk.ui.pages.annex2", "Annex2Page"),
    PageSpec("submissions", "报送", "ipdesk.ui.pages.submissions", "SubmissionsPage"),
    PageSpec("settings", "设置", "ipdesk.ui.pages.settings", "SettingsPage"),
)


def page_spec(key: str) -> PageSpec:
    return next(p for p in PAGES if p.key == key)
