"""A run's options serve the next run only when that run ended in time: options the
supervisor may have terminated are never handed out again."""

from __future__ import annotations

from digitpad.core.recognition._run_watchdog import RunWatchdog


def test_options_of_a_run_that_ended_in_time_serve_the_next_run() -> None:
    watchdog = RunWatchdog()
    with watchdog.limit(60.0) as first:
        pass
    with watchdog.limit(60.0) as second:
        assert second is first
        assert not second.terminate
    with watchdog.limit(60.0) as outer, watchdog.limit(60.0) as inner:
        assert inner is not outer  # two runs at once never share options


def test_options_of_a_run_past_its_deadline_are_not_handed_out_again() -> None:
    watchdog = RunWatchdog()
    with watchdog.limit(0.0) as late:
        late.terminate = True  # as the supervisor may set it once the deadline passed
    with watchdog.limit(60.0) as fresh:
        assert fresh is not late
        assert not fresh.terminate
