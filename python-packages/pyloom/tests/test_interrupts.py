"""An interruptible time.sleep: slices, checks between them, same contract as time.sleep."""

import time

from pyloom.interrupts import buffer_check, install, make_interruptible_sleep


def test_sleeps_the_whole_duration_in_slices():
    # A clock of its own: with the real one, a loaded machine oversleeps each slice and the count
    # of slices depends on the load (it failed under npm run test:stress).
    import types

    import pyloom.interrupts as interrupts

    now = [0.0]
    slices = []

    def fake_sleep(seconds):
        slices.append(seconds)
        now[0] += seconds

    real_time = interrupts.time
    interrupts.time = types.SimpleNamespace(monotonic=lambda: now[0])
    try:
        sleep = make_interruptible_sleep(fake_sleep, lambda: None, slice_seconds=0.02)
        sleep(0.1)
    finally:
        interrupts.time = real_time
    assert now[0] >= 0.1
    assert abs(sum(slices) - 0.1) < 1e-9
    assert len(slices) >= 5 and max(slices) <= 0.02


def test_an_interrupt_stops_the_sleep_at_the_next_slice():
    calls = {"n": 0}

    def check():
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt

    sleep = make_interruptible_sleep(time.sleep, check, slice_seconds=0.01)
    start = time.monotonic()
    try:
        sleep(60)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the sleep was not interrupted")
    assert time.monotonic() - start < 1


def test_keeps_time_sleep_contract():
    sleep = make_interruptible_sleep(time.sleep, lambda: None)
    sleep(0)
    try:
        sleep(-1)
    except ValueError as exc:
        assert "non-negative" in str(exc)
    else:
        raise AssertionError("negative sleep accepted")
    assert sleep.__name__ == "sleep"


def test_buffer_check_takes_the_signal_once():
    buffer = [0]
    check = buffer_check(buffer)
    check()
    buffer[0] = 2
    try:
        check()
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("SIGINT in the buffer did not raise")
    assert buffer == [0]
    check()  # taken: the next check passes


def _page_buffer():
    """A buffer like the page's: a JS Uint8Array under Pyodide, a list elsewhere."""
    try:
        from js import Uint8Array  # type: ignore[import-not-found]
    except ImportError:
        return [0]
    return Uint8Array.new(1)


def test_install_with_a_buffer_makes_sleep_stoppable_and_without_restores_it():
    buffer = _page_buffer()
    install(buffer)
    try:
        buffer[0] = 2
        start = time.monotonic()
        try:
            time.sleep(30)
        except KeyboardInterrupt:
            pass
        else:
            raise AssertionError("sleep ignored the interrupt buffer")
        assert time.monotonic() - start < 1
        assert buffer[0] == 0
    finally:
        install(None)
        try:
            import pyodide_js  # type: ignore[import-not-found]

            pyodide_js.setInterruptBuffer(None)  # the test's buffer must not outlive it
        except ImportError:
            pass
    assert time.sleep.__module__ == "time"
