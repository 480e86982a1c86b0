"""Child process for the memory benchmark: the app on a database, every data page shown, then quit.

    python -m bench.gui_child DB
"""
from __future__ import annotations

import sys

PAGES = ("home", "cases", "annex1", "annex2")


def main(db: str) -> int:
    from PySide6.QtCore import QTimer

    from ipdesk.desk import Desk
    from ipdesk.ui.app import Launcher, make_app
    from ipdesk.ui.ops import OpRunner

    app = make_app()
    desk = Desk.open(db)
    ops = OpRunner(app)
    launcher = Launcher(desk, ops)
    pending = list(PAGES)

    def next_page(_=None):
        if not pending:
            # The 工作台's figures come from their own reader thread: wait for them too.
            home = launcher.window.pages["home"]
            QTimer.singleShot(0 if home.data is not None else 50, app.quit if home.data is not None else next_page)
            return
        launcher.window.navigate(pending.pop(0))
        app.processEvents()
        ops.run(lambda: None, next_page, emit_changes=False)  # after the page's own loads

    launcher.ready.connect(lambda window: next_page())
    launcher.start()
    code = app.exec()
    ops.shutdown()
    desk.close()
    print(peak_resident_bytes())
    return code


def peak_resident_bytes() -> int:
    """This process's own high-water resident set: VmHWM on Linux (reset at exec, unlike ru_maxrss, which
    keeps the forking parent's), else ru_maxrss."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
