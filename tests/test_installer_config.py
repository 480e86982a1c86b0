"""The bundle's file filter, version resource and icon (installer/bundle_config.py); the build itself runs in CI."""
import struct
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "installer"))
import bundle_config as cfg  # noqa: E402


@pytest.mark.parametrize("dest", [
    "PySide6/QtQml.abi3.so", "PySide6/Qt/lib/libQt6Quick.so.6", "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6",
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", "PySide6/Qt/qml/QtQuick/qmldir",
    "PySide6/Qt/translations/qtbase_de.qm", "PySide6/Qt/translations/qtbase_zh_CN.qm",
    "PySide6/Qt6WebEngineCore.dll", "PySide6/Qt63DRender.dll", "PySide6/Qt6Multimedia.dll", "PySide6/opengl32sw.dll",
    "PySide6/Qt/plugins/platforms/libqwayland-egl.so", "PySide6/plugins/imageformats/qtiff.dll",
    "PySide6\\Qt6Bluetooth.dll", "PySide6/Qt/lib/libQt6Positioning.so.6", "PySide6/QtTest.pyd",
])
def test_unused_qt_is_dropped(dest):
    assert cfg.dropped(dest)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6Pdf.so.6", "PySide6/Qt/lib/libQt6PdfWidgets.so.6", "PySide6/Qt/lib/libQt6Charts.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6", "PySide6/Qt/lib/libQt6PrintSupport.so.6", "PySide6/Qt/lib/libQt6Network.so.6",
    "PySide6/Qt/lib/libQt6DBus.so.6", "PySide6/Qt/lib/libQt6XcbQpa.so.6", "PySide6/QtPdfWidgets.abi3.so",
    "PySide6/QtCharts.pyd", "PySide6/Qt6PrintSupport.dll", "PySide6/plugins/platforms/qwindows.dll",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/plugins/styles/qmodernwindowsstyle.dll", "PySide6/Qt/plugins/imageformats/libqico.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so", "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    "resources/translations/qtbase_zh_CN.qm", "resources/data/holidays-cn.csv", "resources/icons/ipdesk.png",
    "PIL/_imaging.cpython-311-x86_64-linux-gnu.so", "libffi.so.8", "libsqlite3.so.0",
])
def test_what_the_app_uses_is_kept(dest):
    assert not cfg.dropped(dest)


def test_keep_filters_toc_entries():
    toc = [("PySide6/QtQml.abi3.so", "/x/QtQml.abi3.so", "EXTENSION"),
           ("PySide6/QtWidgets.abi3.so", "/x/QtWidgets.abi3.so", "EXTENSION")]
    assert cfg.keep(toc) == toc[1:]


def test_version_from_pyproject_and_resource(tmp_path):
    version = cfg.project_version(REPO)
    assert version and version[0].isdigit()
    assert cfg.version_tuple("1.2") == (1, 2, 0, 0)
    assert cfg.version_tuple("0.10.3rc1") == (0, 10, 3, 1)
    text = cfg.write_version_info(version, tmp_path / "version_info.txt").read_text(encoding="utf-8")
    assert f"filevers={cfg.version_tuple(version)}" in text
    assert "StringStruct('ProductVersion', " + repr(version) + ")" in text
    assert "知识产权行政保护工作台" in text
    # PyInstaller evaluates this file as one Python expression with its versioninfo classes in scope.
    compile(text, "version_info.txt", "eval")


def test_icon_is_a_png_in_an_ico(tmp_path, qapp):
    from PySide6.QtGui import QColor, QImage

    image = QImage(64, 48, QImage.Format.Format_ARGB32)
    image.fill(QColor("#c0392b"))
    png = tmp_path / "图标 icon.png"
    assert image.save(str(png))
    ico = cfg.write_icon(png, tmp_path / "安装 ipdesk.ico")
    data = ico.read_bytes()
    assert struct.unpack("<HHH", data[:6]) == (0, 1, 1)
    width, height, _, _, planes, bpp, size, offset = struct.unpack("<BBBBHHII", data[6:22])
    assert (width, height, planes, bpp, offset, size) == (64, 48, 1, 32, 22, png.stat().st_size)
    back = QImage(str(ico))  # Qt's ICO reader
    assert not back.isNull() and back.width() == 64 and back.pixelColor(10, 10).name() == "#c0392b"
    assert cfg.write_icon(tmp_path / "missing.png", tmp_path / "x.ico") is None


def test_iss_defines(tmp_path):
    text = cfg.write_iss_defines("1.2.3", tmp_path / "version.iss").read_text(encoding="utf-8")
    assert '#define AppVersion "1.2.3"' in text


def test_inno_setup_script_is_per_user_and_keeps_data():
    iss = (REPO / "installer" / "ipdesk.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in iss
    assert r"DefaultDirName={localappdata}\Programs\ipdesk" in iss
    assert "{userdesktop}" in iss and "{group}" in iss
    assert r"..\dist\ipdesk\*" in iss
    # Uninstall deletes only the install folder's own files, never the data folder.
    uninstall = "\n".join(line for line in iss.split("[UninstallDelete]")[1].splitlines()
                          if not line.startswith(";"))
    assert "{app}" in uninstall and "localappdata" not in uninstall.lower() and "ipdesk.db" not in uninstall
