"""The Qt loop adapter, with PyQt5 (Debian's python3-pyqt5 under /usr/bin/python3, offscreen):
in a program with a QApplication, calls return their code at once and the handlers run later
on the main thread, inside whatever Qt loop the program runs. Run by test/system."""
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from PyQt5.QtCore import QEventLoop, QTimer  # noqa: E402
from PyQt5.QtWidgets import QApplication  # noqa: E402

from kiwoom_compat import APIServer  # noqa: E402

app = QApplication.instance() or QApplication(sys.argv)


class QtLoop(unittest.TestCase):
    def test_events_wait_for_the_programs_own_loop_and_exit_works_from_a_handler(self):
        seen = []
        loop = QEventLoop()

        def on_login(err):
            seen.append((err, threading.current_thread() is threading.main_thread()))
            loop.exit()

        api = APIServer()
        api.OnEventConnect.connect(on_login)
        api.api_init(sim_no=1, use_rest=False)
        try:
            self.assertEqual(api._ctl.loop.kind, "qt")
            self.assertEqual(api.CommConnect(block=False), 0)
            # The login finishes on the bridge; its handler waits for the Qt loop.
            self.assertTrue(api._ctl.delivery.wait(lambda: len(api._ctl.delivery) > 0, 30))
            self.assertEqual(seen, [])
            QTimer.singleShot(20000, loop.exit)
            loop.exec_()  # left by loop.exit() in the handler
            self.assertEqual(seen, [(0, True)])

            # A TR: the call returns its code; the answer's handler runs in the next loop.
            answers = []
            tr_loop = QEventLoop()

            def on_tr(screen, rqname, trcode, record, prev_next):
                answers.append(api.GetCommData(trcode, rqname, 0, "종목명").strip())
                tr_loop.exit()

            api.OnReceiveTrData.connect(on_tr)
            api.SetInputValue("종목코드", "005930")
            self.assertEqual(api.CommRqData("q", "opt10001", 0, "0101"), 0)
            self.assertEqual(answers, [])
            QTimer.singleShot(20000, tr_loop.exit)
            tr_loop.exec_()
            self.assertEqual(answers, ["삼성전자"])

            # CommConnect(block=True) runs a nested Qt loop until OnEventConnect was handled.
            self.assertEqual(api.CommConnect(block=True), 0)
            self.assertEqual(seen[-1], (0, True))
        finally:
            api.cleanup()


if __name__ == "__main__":
    unittest.main()
