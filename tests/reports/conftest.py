"""Fixtures for the report tests: a desk with demo data, a desk with many cases in one year."""
import pytest


@pytest.fixture
def demo_desk(make_desk):
    from ipdesk.demo import generate_demo

    desk = make_desk()
    desk.office.update_unit(contact_person="赵丽娜", phone="0477-8321234")
    generate_demo(desk, 24, 3)
    return desk


