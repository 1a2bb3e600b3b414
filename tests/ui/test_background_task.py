"""The worker thread behind fine-tuning: results, errors and Cancel come back as signals."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from digitpad.ui.background_task import MAX_NICE, WORKER_NICENESS, BackgroundTask, LatestOnly


def test_the_result_and_the_progress_arrive_on_the_gui_thread(qtbot):
    seen: list[tuple[float, str, bool]] = []
    gui = threading.get_ident()

    def work(progress, cancelled):
        progress(0.5, "half way")
        return threading.get_ident()

    task = BackgroundTask(work)
    task.progressed.connect(lambda f, text: seen.append((f, text, threading.get_ident() == gui)))
    with qtbot.waitSignal(task.succeeded) as succeeded, qtbot.waitSignal(task.finished):
        task.start_low_priority()

    assert succeeded.args[0] != gui, "the work ran on another thread"
    assert seen == [(0.5, "half way", True)]


def test_an_exception_comes_back_as_failed(qtbot):
    def work(progress, cancelled):
        raise ValueError("no samples")

    task = BackgroundTask(work)
    with qtbot.waitSignal(task.failed) as failed, qtbot.waitSignal(task.finished):
        task.start_low_priority()

    assert isinstance(failed.args[0], ValueError)
    assert str(failed.args[0]) == "no samples"


def test_cancel_is_seen_by_the_work(qtbot):
    started = threading.Event()

    def work(progress, cancelled):
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        return "stopped"

    task = BackgroundTask(work)
    with qtbot.waitSignal(task.succeeded) as succeeded:
        task.start_low_priority()
        assert started.wait(5)
        task.cancel()

    assert succeeded.args == ["stopped"]
    assert task.is_cancelled()
    task.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_the_work_runs_nicer_than_the_window(qtbot):
    def work(progress, cancelled):
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    task = BackgroundTask(work)
    with qtbot.waitSignal(task.succeeded) as succeeded, qtbot.waitSignal(task.finished):
        task.start_low_priority()

    window_nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert succeeded.args[0] == min(MAX_NICE, window_nice + WORKER_NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == window_nice


def test_latest_only_runs_the_newest_request_and_reports_only_it(qtbot):
    """Three requests while the first runs: the second is never run, only the third's
    answer is reported, and the first's (outdated) answer is dropped."""
    release = threading.Event()
    ran: list[str] = []

    def work(name, *, block=False):
        def run(progress, cancelled):
            ran.append(name)
            if block:
                release.wait(10)
            return name

        return run

    latest = LatestOnly()
    reported: list[object] = []
    latest.succeeded.connect(reported.append)
    latest.request(work("first", block=True))
    qtbot.waitUntil(lambda: ran == ["first"])
    latest.request(work("second"))
    latest.request(work("third"))
    assert latest.is_busy()
    release.set()
    assert latest.wait(10_000)

    assert ran == ["first", "third"]
    assert reported == ["third"]
    assert not latest.is_busy()


def test_latest_only_reports_nothing_after_cancel(qtbot):
    latest = LatestOnly()
    reported: list[object] = []
    latest.succeeded.connect(reported.append)
    latest.failed.connect(reported.append)
    latest.request(lambda progress, cancelled: "late")
    latest.cancel()
    assert not latest.is_busy()
    assert latest.wait(10_000)
    assert reported == []


def test_latest_only_waits_without_a_time_limit(qtbot):
    """``wait()`` with no limit blocks until the running request is done (Qt's wait takes
    unsigned milliseconds, so "forever" must not be passed on as -1)."""
    release = threading.Event()
    latest = LatestOnly()
    reported: list[object] = []
    latest.succeeded.connect(reported.append)

    def run(progress, cancelled):
        release.wait(10)
        return "done"

    latest.request(run)
    threading.Timer(0.2, release.set).start()
    assert latest.wait()
    assert reported == ["done"]
