"""Throughput of PHI redaction: the project regex layer alone vs the full redactor (+ Presidio).

Run with ``.venv/bin/python bench/bench_redaction.py [--rounds N] [--messages N] [--against REV]``.
Both paths redact the same realistic mix (the development datasets plus generated vents, most
without any identifier, some with several) in the same process, several rounds each, interleaved
so that machine noise hits both alike. Prints the median messages per second of each and their
ratio. ``--against REV`` also times the full redactor of ``bot/safety/redaction.py`` as it was at
git revision ``REV`` (with today's word lists), interleaved with the others: before and after in
the same run.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO / "tests" / "data" / "datasets"
sys.path.insert(0, str(REPO))

from bot.safety.redaction import Redactor  # noqa: E402

TARGET_PER_S = 2_000

# Everyday vents: counts, doses, times and drugs, no identifiers (the bulk of real traffic).
PLAIN = [
    "We filled {n} scripts on {day} by {time} with {k} techs and 1 pharmacist.",
    "The {drug} {dose} mg vials were out on {unit} for {k} days and nobody restocked.",
    "Pyxis on {unit} was empty again at {hhmm}, I ran {k} trips to the ED before the huddle.",
    "Third double this week. I'm exhausted and the {drug} backorder is not my fault.",
    "The carousel went down at {hhmm} and we hand-counted {n} orders till {time}.",
    "Nobody trained the {k} new techs on the IV room workflow, so I did it on my lunch.",
    "Manager said raises are frozen until Q{k} 2027 even though we cover {n} scripts a day.",
    "Nursing keeps calling about missing {drug} doses when it's in the tube system.",
    "DUR rejects and a PA queue of {n} today, phones ringing nonstop since open.",
    "I caught a {drug} {dose} mg vs {dose2} mg mix-up before it went out. Nobody noticed.",
    "Short {k} techs on {day}, {n} scripts in queue at {time} and the drive-thru line out the door",
    "vanco {dose} mg IV q12h batch remade twice at {hhmm} because the label printer jammed",
]
# Vents that carry identifiers of one kind or another.
WITH_PHI = [
    "Pt {first} {last} MRN {mrn} DOB {dob} called {phone} about Rx# {rx}.",
    "Mrs. {last}'s daughter emailed {email} asking why the {drug} refill was late.",
    "patient named {first} {last} in room {room} needed {drug} {dose} mg and the cabinet was empty",
    "member id {member} kept rejecting at the counter for {drug}, {n} minutes on hold",
    "caller {first} {last} wanted her husband's results, I told her to call {phone}",
    "Rx {rx} and rx#{rx2} both for Mr. {last}, filled wrong strength of {drug}",
    "her SSN {ssn} was printed on the label by mistake, {n} labels went out",
    "NPI 1234567893 and DEA AB1234563 were on the hard copy faxed to the wrong store",
]
FIRST = ["John", "Maria", "Harold", "Linda", "Thi", "DeShawn", "Olga", "Priya", "Sean", "Ana"]
LAST = ["Smith", "Okafor", "Kim", "Park", "Nguyen", "O'Brien", "McDonald", "Alvarez", "Ortiz"]
DRUG = ["Eliquis", "heparin", "Ozempic", "insulin glargine", "vancomycin", "oxycodone", "Xarelto"]
DAY = ["Monday", "Friday", "Saturday", "Sunday"]
UNIT = ["4 West", "5 East", "the ICU", "3 North", "L&D"]


def generated_messages(count: int, seed: int = 7) -> list[str]:
    """Return ``count`` vents: about three in four without identifiers, the rest with some."""
    rng = random.Random(seed)
    messages = []
    for _ in range(count):
        template = rng.choice(PLAIN if rng.random() < 0.75 else WITH_PHI)
        messages.append(
            template.format(
                n=rng.randint(12, 480),
                k=rng.randint(1, 4),
                day=rng.choice(DAY),
                time=f"{rng.randint(1, 11)}pm",
                hhmm=f"{rng.randint(0, 23):02d}00",
                drug=rng.choice(DRUG),
                dose=rng.choice([5, 10, 20, 40, 1000]),
                dose2=rng.choice([2.5, 15, 80]),
                unit=rng.choice(UNIT),
                first=rng.choice(FIRST),
                last=rng.choice(LAST),
                mrn=rng.randint(10_000_000, 99_999_999),
                dob=f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/19{rng.randint(30, 99)}",
                phone=f"({rng.randint(201, 989)}) 555-{rng.randint(100, 9999):04d}",
                rx=rng.randint(1_000_000, 9_999_999),
                rx2=rng.randint(1_000_000, 9_999_999),
                email=f"{rng.choice(FIRST).lower()}.{rng.randint(1, 99)}@example.org",
                room=rng.randint(100, 999),
                member=f"XJ{rng.randint(10_000_000, 99_999_999)}",
                ssn=f"{rng.randint(100, 899)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
            )
        )
    return messages


def dataset_messages() -> list[str]:
    """Return the vents and PHI cases of the development datasets."""
    texts: list[str] = []
    for name in ("phi-dev.jsonl", "coaching-dev.jsonl"):
        with (DATASETS / name).open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    return texts


def redactor_at(revision: str) -> Any:
    """The full redactor of ``bot/safety/redaction.py`` at git ``revision``, built now."""
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{revision}:bot/safety/redaction.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    name = f"redaction_at_{revision.replace('-', '_')}"
    module = types.ModuleType(name)
    sys.modules[name] = module  # dataclasses look their module up while the source runs
    exec(compile(source, f"{revision}:bot/safety/redaction.py", "exec"), module.__dict__)
    return module.Redactor()


def rate(redact: Callable[[str], object], messages: list[str]) -> float:
    """Messages per second for one pass of ``redact`` over ``messages``."""
    started = time.perf_counter()
    for message in messages:
        redact(message)
    return len(messages) / (time.perf_counter() - started)


def main() -> int:
    """Measure both paths and print medians; exit 1 when the full path misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--messages", type=int, default=2_000, help="generated messages")
    parser.add_argument("--against", metavar="REV", help="also time the redactor at this revision")
    args = parser.parse_args()

    messages = dataset_messages() + generated_messages(args.messages)
    random.Random(11).shuffle(messages)

    started = time.perf_counter()
    full = Redactor()
    setup_s = time.perf_counter() - started
    baseline = Redactor(use_presidio=False)
    before = redactor_at(args.against) if args.against else None

    # One untimed pass each: first-use costs are not throughput.
    rate(baseline.redact, messages)
    rate(full.redact, messages)
    if before is not None:
        rate(before.redact, messages)

    baseline_rates, full_rates, before_rates = [], [], []
    for _ in range(args.rounds):
        baseline_rates.append(rate(baseline.redact, messages))
        full_rates.append(rate(full.redact, messages))
        if before is not None:
            before_rates.append(rate(before.redact, messages))

    base_median = statistics.median(baseline_rates)
    full_median = statistics.median(full_rates)
    with_identifiers = sum(bool(full.redact(m).redactions) for m in messages)
    print(f"messages per round    {len(messages)} ({with_identifiers} with identifiers)")
    print(f"rounds                {args.rounds}")
    print(f"Redactor() setup      {setup_s:.2f} s (includes importing Presidio/spaCy)")
    print(f"baseline (regex only) {base_median:,.0f} msg/s (median)")
    print(f"full (regex+Presidio) {full_median:,.0f} msg/s (median)")
    print(f"full / baseline       {full_median / base_median:.2f}")
    if before_rates:
        before_median = statistics.median(before_rates)
        print(f"full at {args.against:<13} {before_median:,.0f} msg/s (median)")
        print(f"full now / before     {full_median / before_median:.2f}")
    met = full_median >= TARGET_PER_S
    print(f"target                {TARGET_PER_S:,} msg/s: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
