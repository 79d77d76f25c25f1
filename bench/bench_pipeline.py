"""Offline coach including the whole safety pipeline: replies per second on one core.

Measures, in the same run and over the same texts (the development vents):
- baseline: the raw regex redaction pass alone (``Redactor(use_presidio=False)``);
- pipeline: ``SafetyPipeline.reply_once`` — sanitize, crisis gate, scope guard, full redaction
  (regex + Presidio), the offline coach, and redaction of its reply.

Run: ``.venv/bin/python bench/bench_pipeline.py [--rounds N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

from bot.coaching.offline import OfflineCoach
from bot.coaching.pipeline import SafetyPipeline
from bot.safety.gate import SafetyGate
from bot.safety.redaction import Redactor, get_redactor

DATASET = Path(__file__).resolve().parents[1] / "tests" / "data" / "datasets" / "coaching-dev.jsonl"


def texts() -> list[str]:
    return [json.loads(line)["text"] for line in DATASET.read_text().splitlines() if line.strip()]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20, help="passes over the texts per round")
    args = parser.parse_args()
    sample = texts() * args.repeat
    baseline = Redactor(use_presidio=False)
    pipeline = SafetyPipeline(
        coach=OfflineCoach(), gate=SafetyGate(redactor=get_redactor(), eap_contact=None)
    )
    for text in sample[:50]:  # warm caches and lazy imports
        await pipeline.reply_once(text)
    base_rates, full_rates = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for text in sample:
            baseline.redact(text)
        base_rates.append(len(sample) / (time.perf_counter() - start))
        start = time.perf_counter()
        for text in sample:
            await pipeline.reply_once(text)
        full_rates.append(len(sample) / (time.perf_counter() - start))
    base, full = statistics.median(base_rates), statistics.median(full_rates)
    print(
        f"{len(sample)} texts per round ({len(texts())} vents x{args.repeat}), {args.rounds} rounds"
    )
    print(f"baseline (regex redaction only): {base:>10,.0f} texts/s (median)")
    print(f"offline coach + safety pipeline: {full:>10,.0f} replies/s (median)")
    print(f"  {1e6 / full:,.0f} µs per reply; pipeline/baseline {full / base:.3f}")
    print(f"  target 500 replies/s: {'met' if full >= 500 else 'MISSED'}")


if __name__ == "__main__":
    asyncio.run(main())
