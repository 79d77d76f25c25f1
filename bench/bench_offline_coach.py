"""Benchmark: the offline coach's replies per second on one core.

Measures, in the same run and over the same texts (the dev dataset's vents, repeated):

- floor: lower-casing each text and one regex pass over it (the least any text pipeline does);
- coach: ``OfflineCoach.reply_sync`` on a prepared ``CoachRequest`` (the coach alone; redaction
  and the crisis gate are the service's and are benchmarked separately).

It prints the median replies per second of each over several rounds, their ratio, and whether
the coach meets its targets (500 replies/s required; 1,500 replies/s aimed for, so that the
service with redaction still clears 500).

    python bench/bench_offline_coach.py
    python bench/bench_offline_coach.py --rounds 9 --repeat 50
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.coaching.models import CoachRequest
from bot.coaching.offline import OfflineCoach

DATASET = Path(__file__).resolve().parents[1] / "tests" / "data" / "datasets" / "coaching-dev.jsonl"
REQUIRED = 500.0
AIMED = 1500.0
_WORDS = re.compile(r"[a-z0-9']+")


def load_texts(path: Path) -> list[str]:
    """Return the vents of a JSON Lines dataset."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def rate(work: Callable[[], int]) -> float:
    """Run ``work`` once and return the items it handled per second."""
    started = time.perf_counter()
    count = work()
    return count / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DATASET, help="JSON Lines of vents")
    parser.add_argument("--rounds", type=int, default=7, help="rounds to take the median of")
    parser.add_argument("--repeat", type=int, default=40, help="passes over the texts per round")
    args = parser.parse_args(argv)

    texts = load_texts(args.dataset)
    requests = [CoachRequest(messages=[text]) for text in texts]
    coach = OfflineCoach()  # compiles the playbook once, outside the measurement
    for request in requests:  # warm-up: first-use costs stay out of the figures
        coach.reply_sync(request)

    def floor() -> int:
        count = 0
        for _ in range(args.repeat):
            for text in texts:
                _WORDS.findall(text.lower())
                count += 1
        return count

    def replies() -> int:
        count = 0
        for _ in range(args.repeat):
            for request in requests:
                coach.reply_sync(request)
                count += 1
        return count

    floor_rates, coach_rates = [], []
    for _ in range(args.rounds):
        floor_rates.append(rate(floor))
        coach_rates.append(rate(replies))
    floor_median = statistics.median(floor_rates)
    coach_median = statistics.median(coach_rates)

    source = f"{len(texts)} texts from {args.dataset.name}"
    print(f"{source}, x{args.repeat} per round, {args.rounds} rounds")
    print(f"floor (lower + one regex pass): {floor_median:>12,.0f} texts/s")
    print(f"offline coach (reply_sync):     {coach_median:>12,.0f} replies/s")
    ratio = floor_median / coach_median
    print(f"  {1e6 / coach_median:.0f} µs per reply; floor/coach ratio {ratio:.0f}x")
    print(f"  required {REQUIRED:,.0f}/s: {'met' if coach_median >= REQUIRED else 'NOT MET'}")
    print(f"  aimed    {AIMED:,.0f}/s: {'met' if coach_median >= AIMED else 'not met'}")
    return 0 if coach_median >= REQUIRED else 1


if __name__ == "__main__":
    sys.exit(main())
