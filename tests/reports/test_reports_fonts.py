"""Fonts: a system TrueType CJK font is found and embedded; what cannot be embedded is refused clearly."""
import pytest

from ipdesk.errors import IpdeskError
from ipdesk.reports import fonts


def test_system_fonts_found_and_truetype():
    found = fonts.find_fonts()
    for choice in (found.title, found.body):
        assert choice.path.lower().endswith((".ttf", ".ttc"))
        from reportlab.pdfbase import pdfmetrics

        assert 0x4E2D in pdfmetrics.getFont(choice.name).face.charToGlyph  # has 中


def test_no_font_names_what_to_install(tmp_path):
    with pytest.raises(IpdeskError) as err:
        fonts.find_fonts(dirs=[tmp_path])
    assert "找不到" in err.value.zh and "simfang.ttf" in err.value.zh and "fonts-wqy-microhei" in err.value.zh


def test_font_without_chinese_is_refused(tmp_path):
    with pytest.raises(IpdeskError) as err:
        fonts.register("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    assert "不含中文" in err.value.zh


def test_unreadable_or_cff_font_is_refused(tmp_path):
    fake = tmp_path / "NotoSansCJK-Regular.otf"
    fake.write_bytes(b"OTTO" + b"\0" * 200)  # CFF-flavoured OpenType header
    with pytest.raises(IpdeskError) as err:
        fonts.register(fake)
    assert "不能嵌入" in err.value.zh
    with pytest.raises(IpdeskError) as err:
        fonts.register(tmp_path / "missing.ttf")
    assert "不存在" in err.value.zh


def test_setting_overrides_system_font(desk):
    desk.set_setting("print_font", "/usr/share/fonts/truetype/arphic/uming.ttc")
    desk.set_setting("print_title_font", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    chosen = fonts.fonts_for(desk)
    assert chosen.body.path.endswith("uming.ttc") and chosen.title.path.endswith("wqy-microhei.ttc")
    desk.set_setting("print_font", "/nowhere/simfang.ttf")
    with pytest.raises(IpdeskError):
        fonts.fonts_for(desk)
