import pytest

from bot.nudges.hold_off import HoldOff, retry_after_seconds


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_a_held_key_waits_out_the_rest_of_its_pause_and_others_do_not() -> None:
    time = FakeTime()
    hold_off = HoldOff(clock=time.clock, sleep=time.sleep)
    hold_off.hold("T1", 30)
    time.now += 10
    await hold_off.wait("T2")
    assert time.slept == []
    await hold_off.wait("T1")
    assert time.slept == [20]
    await hold_off.wait("T1")  # the pause is over
    assert time.slept == [20]


async def test_a_shorter_hold_never_cuts_a_longer_one() -> None:
    time = FakeTime()
    hold_off = HoldOff(clock=time.clock, sleep=time.sleep)
    hold_off.hold("T1", 60)
    hold_off.hold("T1", 5)
    await hold_off.wait("T1")
    assert time.slept == [60]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), ("2.5", 2.5), (None, 3.0), ("soon", 3.0), ("0", 1.0), ("-4", 1.0)],
)
def test_retry_after_reads_seconds_with_a_default_and_a_floor(
    header: str | None, expected: float
) -> None:
    assert retry_after_seconds(header, default=3.0, at_least=1.0) == expected
