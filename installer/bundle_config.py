"""What goes into the bundle: excluded Qt modules, the file filter, and the generated version resource and icon.

Shared by ``ipdesk.spec`` (PyInstaller) and ``build.py``; no PyInstaller import here.
"""
from __future__ import annotations

import fnmatch
import os
import re
import struct
from pathlib import Path

# Qt modules ipdesk uses: QtCore, QtGui, QtWidgets, QtPrintSupport, QtPdf, QtPdfWidgets, QtCharts, QtSvg
# (and QtSvg's icon engine). Everything else is excluded from the Python analysis…
_UNUSED_QT = (
    "Qt3DAnimation Qt3DCore Qt3DExtras Qt3DInput Qt3DLogic Qt3DRender QtAxContainer QtBluetooth QtCanvasPainter "
    "QtConcurrent QtDBus QtDataVisualization QtDesigner QtGraphs QtGraphsWidgets QtHelp QtHttpServer "
    "QtLabsStyleKit QtLocation QtMultimedia QtMultimediaWidgets QtNetwork QtNetworkAuth QtNfc QtOpenGL "
    "QtOpenGLWidgets QtPositioning QtQml QtQmlFeatures QtQuick QtQuick3D QtQuickControls2 QtQuickTest "
    "QtQuickWidgets QtRemoteObjects QtScxml QtSensors QtSerialBus QtSerialPort QtSpatialAudio QtSql "
    "QtStateMachine QtSvgWidgets QtTest QtTextToSpeech QtUiTools QtWebChannel QtWebEngineCore QtWebEngineQuick "
    "QtWebEngineWidgets QtWebSockets QtWebView QtXml QtAsyncio"
).split()
EXCLUDED_MODULES = [] if os.environ.get("IPDESK_BUNDLE_FULL") else [f"PySide6.{m}" for m in _UNUSED_QT] + [
    "tkinter", "_tkinter", "unittest", "pydoc", "pytest", "_pytest", "hypothesis", "pytestqt",
    "IPython", "numpy", "matplotlib", "setuptools", "pkg_resources", "distutils",
]

# …and their shared libraries, plugins, QML files and translations are dropped from the collected files.
# Patterns match the destination path inside the bundle (forward slashes, case-insensitive).
_QT_LIB_WORDS = (
    "Qml", "Quick", "VirtualKeyboard", "3D", "WebEngine", "WebChannel", "WebSockets", "WebView", "Multimedia",
    "Bluetooth", "Positioning", "Location", "Sensors", "SerialPort", "SerialBus", "Designer", "Test", "Help",
    "Nfc", "RemoteObjects", "Scxml", "StateMachine", "TextToSpeech", "SpatialAudio", "DataVisualization",
    "Graphs", "CanvasPainter", "HttpServer", "NetworkAuth", "Sql", "ShaderTools", "LabsStyleKit", "Wayland",
    "Concurrent",
)
DROP_PATTERNS = [
    "*/qml/*",
    *[f"*/plugins/{d}/*" for d in (
        "assetimporters", "canbus", "designer", "geometryloaders", "geoservices", "multimedia", "position",
        "qmltooling", "renderers", "renderplugins", "sceneparsers", "scxmldatamodel", "sensors", "sqldrivers",
        "texttospeech", "webview", "wayland-decoration-client", "wayland-graphics-integration-client",
        "wayland-graphics-integration-server", "wayland-shell-integration", "egldeviceintegrations",
        "platforminputcontexts", "networkinformation", "tls", "vectorimageformats", "generic")],
    # Only the platforms the app runs on: windows (Windows), xcb + offscreen (Linux check, self-test).
    *[f"*/plugins/platforms/*{p}*" for p in ("wayland", "eglfs", "linuxfb", "minimal", "vnc", "vkkhrdisplay")],
    "*/plugins/xcbglintegrations/*egl*",
    # Image formats beyond PNG (built in), JPEG, ICO and SVG.
    *[f"*/plugins/imageformats/*{f}*" for f in ("gif", "icns", "tga", "tiff", "wbmp", "webp", "qpdf")],
    # Linux: the GTK theme plugin and the GTK stack it drags in (the bundle is only a check there).
    "*/plugins/platformthemes/*gtk3*",
    *[f"lib{n}*.so*" for n in ("gtk-3", "gdk-3", "pango", "harfbuzz", "atk-", "cairo", "gdk_pixbuf", "gio-2",
                                "gobject-2", "fribidi", "thai", "graphite2", "pixman", "xrender", "xext",
                                "gmodule", "mount", "selinux", "datrie", "blkid")],
    "*Qt6EglFs*", "*Qt6Wl*",
    # Pillow (reportlab needs PIL.Image only): no AVIF, WebP, colour management, Tk; nor their libraries.
    *[f"PIL/_{m}*" for m in ("avif", "webp", "imagingcms", "imagingtk", "imagingft", "imagingmath", "imagingmorph")],
    *[f"pillow.libs/lib{n}*" for n in ("avif", "webp", "sharpyuv", "lcms2", "harfbuzz", "freetype", "brotli", "aom",
                                       "dav1d", "rav1e", "SvtAv1")],
    # Windows: software OpenGL and the Direct3D shader compiler serve Qt Quick / RHI, not raster widgets.
    "*opengl32sw.dll", "*d3dcompiler_*.dll",
    # Translations: Chinese only, and only for modules that stay.
    "*/translations/*",
    *[f"*Qt6{w}*" for w in _QT_LIB_WORDS],
    *[f"*Qt{w}.*" for w in _QT_LIB_WORDS],
    "*/PySide6/Qt/lib/*libavcodec*", "*/PySide6/Qt/lib/*libavformat*", "*/PySide6/Qt/lib/*libavutil*",
    "*/PySide6/Qt/lib/*libswscale*", "*/PySide6/Qt/lib/*libswresample*",
]
# Our own files are never filtered (resources/translations/qtbase_zh_CN.qm is Qt's Chinese, loaded by the app).
KEEP_PATTERNS = ["resources/*"]


def _dest(entry) -> str:
    return str(entry[0]).replace("\\", "/")


def dropped(dest: str) -> bool:
    d = dest.replace("\\", "/")
    low = d.lower()
    if any(fnmatch.fnmatch(low, p.lower()) for p in KEEP_PATTERNS):
        return False
    return any(fnmatch.fnmatch(low, p.lower()) or fnmatch.fnmatch("/" + low, p.lower()) for p in DROP_PATTERNS)


def keep(entries):
    """The TOC entries ``(dest, source, kind)`` that survive the filter (all with IPDESK_BUNDLE_FULL=1)."""
    if os.environ.get("IPDESK_BUNDLE_FULL"):
        return list(entries)
    return [e for e in entries if not dropped(_dest(e))]


def project_version(repo: Path) -> str:
    text = (repo / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    if not match:
        raise SystemExit("pyproject.toml has no version")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", version)[:4]]
    return tuple((numbers + [0, 0, 0, 0])[:4])


def write_version_info(version: str, path: Path) -> Path:
    """The Windows version resource (file properties: 产品名称, 文件版本, 版权)."""
    v = version_tuple(version)
    strings = {
        "CompanyName": "内蒙古自治区市场监督管理局（知识产权局）",
        "FileDescription": "知识产权行政保护工作台",
        "FileVersion": version,
        "InternalName": "ipdesk",
        "LegalCopyright": "ipdesk",
        "OriginalFilename": "ipdesk.exe",
        "ProductName": "知识产权行政保护工作台 ipdesk",
        "ProductVersion": version,
    }
    entries = ",\n          ".join(f"StringStruct({k!r}, {s!r})" for k, s in strings.items())
    path.write_text(f"""# Generated by installer/bundle_config.py from pyproject.toml — do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(filevers={v}, prodvers={v}, mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1,
                    subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080404b0', [
          {entries}])]),
    VarFileInfo([VarStruct('Translation', [2052, 1200])])
  ]
)
""", encoding="utf-8")
    return path


def write_icon(png: Path, ico: Path) -> Path | None:
    """A Windows .ico holding the PNG as is (PNG-in-ICO, Windows Vista and later)."""
    if not png.exists():
        return None
    data = png.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{png} is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    if width > 256 or height > 256:
        raise SystemExit(f"{png} is {width}x{height}; an icon is at most 256x256")
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", width % 256, height % 256, 0, 0, 1, 32, len(data), 6 + 16)
    ico.write_bytes(header + entry + data)
    return ico


def write_iss_defines(version: str, path: Path) -> Path:
    """``#define``s the Inno Setup script includes (the version comes from pyproject, nowhere else)."""
    path.write_text(f'; Generated by installer/build.py — do not edit.\n#define AppVersion "{version}"\n',
                    encoding="utf-8")
    return path
