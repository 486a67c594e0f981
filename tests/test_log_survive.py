"""``log.survive.SurvivingLoop``: a loop's body that raises is logged once per kind a minute, and the loop goes on."""
import logging

from netbox_userscripts.log.survive import SurvivingLoop


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_failure_is_logged_once_per_kind_a_minute_with_the_repeats_counted(caplog):
    clock = Clock()
    guard = SurvivingLoop("tests.survive", "the test loop", clock=clock)

    def locked():
        raise RuntimeError("database is locked")

    def refused():
        raise ConnectionError("connection refused")

    with caplog.at_level(logging.ERROR, logger="tests.survive"):
        for _ in range(240):  # a minute at four turns a second
            assert guard.run(locked) is None
            clock.now += 0.25
        guard.run(refused)
        guard.run(locked)
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "the test loop failed: RuntimeError: database is locked; it goes on",
        "the test loop failed: ConnectionError: connection refused; it goes on",
        "the test loop failed: RuntimeError: database is locked; it goes on (239 more times since the last report)",
    ]
    assert caplog.records[0].exc_info[0] is RuntimeError  # the traceback is in the record


def test_a_body_that_returns_gives_its_value():
    assert SurvivingLoop("tests.survive", "the test loop").run(lambda a, b=0: a + b, 1, b=2) == 3
