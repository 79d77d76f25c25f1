"""Recall of PHI redaction per identifier type, and survival of the words that must stay.

Run with ``.venv/bin/python bench/bench_phi_recall.py [--split dev|test|both] [--misses] [--json]``.

Scores ``tests/data/phi/phi-synth-{dev,test}.jsonl`` (made by ``bench/phi_generate.py``) and
``tests/data/phi/must-keep.txt`` through the public call only::

    get_redactor().redact(text) -> result.text, result.redactions

When is an identifier caught? Texts are compared case-folded. A span is **caught** when none of
these survive in ``result.text``:

1. its whole text (verbatim);
2. any 4 consecutive digits of it, separators ignored (the span's digits "5552345678" against
   the digits of each number-like run of the redacted text, such as "(555) 234-5678");
3. any of its words of 2 or more letters (names, street names, e-mail local parts, the city and
   country of an address), except the format words in ``FORMAT_WORDS`` (street suffixes, "apt",
   directions, month names, state codes, honorifics and degrees, "the", "of", "and").

A digit window or word (or the whole text) counts as surviving only when it appears more often
in the redacted text than in the original with this one identifier blanked out: "Qty 1930"
elsewhere in the sentence does not turn a DOB into a miss, and a name left standing does not
count against the e-mail address made from it. A miss is **full** when rule 1 fails (the
identifier is there whole) and **partial** otherwise. A text whose redaction raises
``RedactionError`` is dropped by the caller (fail closed): its identifiers count as caught and
its words to keep as lost.

A must-keep word survives when it occurs in the redacted text at least as often as in the
original (whole-word match, case-folded).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PHI = REPO / "tests" / "data" / "phi"
sys.path.insert(0, str(REPO))

from bot.safety.redaction import RedactionError, get_redactor  # noqa: E402

#: Recall targets of the issue. NAME's target applies to names in patient context: the
#: pharmacy templates (row "NAME (patient context)"); presidio's names are reported beside it.
TARGETS: dict[str, float] = {
    "MRN": 0.99,
    "RX": 0.99,
    "PHONE": 0.99,
    "EMAIL": 0.99,
    "SSN": 0.99,
    "DOB": 0.99,
    "MEMBER_ID": 0.99,
    "ADDRESS": 0.99,
    "NAME (patient context)": 0.95,
}
MUST_KEEP_TARGET = 1.0
NEUTRAL = "Quick question about {w} before the 3 pm huddle."
MISSES_SHOWN = 15

_STATES = (
    "al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj "
    "nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc pr aa ae ap"
)
#: Words inside an identifier that say nothing about the person on their own.
_FORMAT = (
    "st street ave avenue rd road blvd boulevard dr drive ln lane ct court way pl place "
    "pkwy parkway hwy highway cir circle ter terrace sq square trl trail loop run pike "
    "apt suite ste unit fl floor box po rm room bldg building no "
    "north south east west n s e w ne nw se sw "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "ext x com org net edu gov mil us usa apo fpo dpo psc cmr "
    "the of and at on in to corner mr mrs ms dr md dds dvm phd jr sr ii iii iv"
)
FORMAT_WORDS = frozenset(_FORMAT.split()) | frozenset(_STATES.split())

_NUMBER_RUN = re.compile(r"\d(?:[\d ()./+#-]*\d)?")
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass
class Miss:
    """One identifier that survived, in full or in part."""

    id: str
    type: str
    source: str
    span: str
    full: bool
    left: list[str]
    redacted: str


@dataclass
class Tally:
    """Counts for one row of the table."""

    total: int = 0
    caught: int = 0
    full: int = 0
    partial: int = 0

    @property
    def recall(self) -> float:
        return self.caught / self.total if self.total else float("nan")


@dataclass
class SplitScore:
    """Everything measured on one split."""

    rows: dict[str, dict[str, Tally]] = field(default_factory=dict)
    misses: dict[str, list[Miss]] = field(default_factory=lambda: defaultdict(list))
    keep_total: int = 0
    keep_kept: int = 0
    keep_lost: Counter[str] = field(default_factory=Counter)
    sentences: int = 0
    errors: int = 0


def _digit_windows(text: str) -> Counter[str]:
    windows: Counter[str] = Counter()
    for run in _NUMBER_RUN.findall(text):
        digits = re.sub(r"\D", "", run)
        for i in range(len(digits) - 3):
            windows[digits[i : i + 4]] += 1
    return windows


def _words(text: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(text) if w not in FORMAT_WORDS)


def _blank_spans(text: str, spans: Iterable[dict[str, object]]) -> str:
    chars = list(text)
    for span in spans:
        for i in range(int(span["start"]), int(span["end"])):  # type: ignore[call-overload]
            chars[i] = " "
    return "".join(chars)


def survivors(span_text: str, redacted: str, outside: str) -> tuple[bool, list[str]]:
    """What of one identifier is left: (whole text left, the digit windows and words left).

    ``redacted`` and ``outside`` (the original with this identifier blanked) are case-folded.
    """
    span = span_text.casefold()
    whole = redacted.count(span) > outside.count(span)
    left: list[str] = []
    red_w, out_w = _digit_windows(redacted), _digit_windows(outside)
    span_digits = re.sub(r"\D", "", span)
    seen: set[str] = set()
    for i in range(len(span_digits) - 3):
        w = span_digits[i : i + 4]
        if w not in seen and red_w[w] > out_w[w]:
            left.append(w)
        seen.add(w)
    red_t, out_t = _words(redacted), _words(outside)
    for w in _words(span):
        if red_t[w] > out_t[w] and w not in left:
            left.append(w)
    return whole, left


def _count_word(word: str, text: str) -> int:
    pattern = (r"\b" if word[0].isalnum() else "") + re.escape(word)
    pattern += r"\b" if word[-1].isalnum() else ""
    return len(re.findall(pattern, text))


def _tally(score: SplitScore, kind: str, source: str) -> list[Tally]:
    by_source = score.rows.setdefault(kind, {})
    return [by_source.setdefault("all", Tally()), by_source.setdefault(source, Tally())]


def score_split(path: Path, redact: object) -> SplitScore:
    """Redact every sentence of one split file and count what survived."""
    score = SplitScore()
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        score.sentences += 1
        text: str = row["text"]
        try:
            redacted = redact(text).text  # type: ignore[operator]
        except RedactionError:
            score.errors += 1
            redacted = None
        original = text.casefold()
        for span in row["spans"]:
            outside = _blank_spans(text, [span]).casefold()
            kinds = [span["type"]]
            if span["type"] == "NAME" and row["source"] == "pharmacy":
                kinds.append("NAME (patient context)")
            if redacted is None:
                whole, left = False, []
            else:
                whole, left = survivors(span["text"], redacted.casefold(), outside)
            caught = not whole and not left
            for kind in kinds:
                for tally in _tally(score, kind, row["source"]):
                    tally.total += 1
                    tally.caught += caught
                    tally.full += whole
                    tally.partial += not caught and not whole
            if not caught:
                score.misses[span["type"]].append(
                    Miss(
                        row["id"],
                        span["type"],
                        row["source"],
                        span["text"],
                        whole,
                        left,
                        redacted or "",
                    )
                )
        for word in row["must_keep"]:
            score.keep_total += 1
            folded = word.casefold()
            if redacted is not None and _count_word(folded, redacted.casefold()) >= _count_word(
                folded, original
            ):
                score.keep_kept += 1
            else:
                score.keep_lost[word] += 1
    return score


def load_must_keep(path: Path = PHI / "must-keep.txt") -> list[str]:
    """The must-keep list, without comments and blank lines."""
    lines = (
        line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()
    )
    return [line for line in lines if line]


def score_must_keep(words: list[str], redact: object) -> dict[str, object]:
    """Each word alone and inside a neutral sentence."""
    lost_alone, lost_sentence = [], []
    for word in words:
        for text, lost in ((word, lost_alone), (NEUTRAL.format(w=word), lost_sentence)):
            try:
                out = redact(text).text  # type: ignore[operator]
            except RedactionError:
                out = ""
            if _count_word(word.casefold(), out.casefold()) < 1:
                lost.append(word)
    n = len(words)
    return {
        "words": n,
        "kept_alone": n - len(lost_alone),
        "kept_in_sentence": n - len(lost_sentence),
        "lost_alone": lost_alone,
        "lost_in_sentence": lost_sentence,
    }


def _order(kind: str) -> tuple[int, str]:
    targeted = list(TARGETS)
    return (targeted.index(kind) if kind in targeted else len(targeted), kind)


def _pct(x: float) -> str:
    return "—" if x != x else f"{100 * x:.1f} %"


def split_table(name: str, score: SplitScore) -> str:
    """The Markdown table of one split."""
    out = [
        f"### {name}: {score.sentences} sentences"
        + (f", {score.errors} redaction errors (dropped)" if score.errors else ""),
        "",
        "| type | n | recall | pharmacy | presidio | full leaks | partial | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    overall, targeted = Tally(), Tally()
    for kind in sorted(score.rows, key=_order):
        by = score.rows[kind]
        a = by["all"]
        target = TARGETS.get(kind)
        mark = (
            ""
            if target is None
            else (f"≥ {target:.0%} " + ("ok" if a.recall >= target else "**below**"))
        )
        cells = [_pct(by[s].recall) if s in by else "—" for s in ("pharmacy", "presidio")]
        out.append(
            f"| {kind} | {a.total} | {_pct(a.recall)} | {cells[0]} | {cells[1]} | "
            f"{a.full} | {a.partial} | {mark} |"
        )
        if kind == "NAME (patient context)":
            continue
        overall.total += a.total
        overall.caught += a.caught
        if kind in TARGETS or kind == "NAME":
            targeted.total += a.total
            targeted.caught += a.caught
    by_source: dict[str, Tally] = defaultdict(Tally)
    for kind, by in score.rows.items():
        if kind == "NAME (patient context)":
            continue
        for source in ("pharmacy", "presidio"):
            if source in by:
                by_source[source].total += by[source].total
                by_source[source].caught += by[source].caught
    out.append(
        f"| **all types** | {overall.total} | {_pct(overall.recall)} | "
        f"{_pct(by_source['pharmacy'].recall)} | {_pct(by_source['presidio'].recall)} | | | |"
    )
    out.append(
        f"| **targeted types** (incl. every NAME) | {targeted.total} | "
        f"{_pct(targeted.recall)} | | | | | |"
    )
    kept = score.keep_kept / score.keep_total if score.keep_total else float("nan")
    out += [
        "",
        f"Must-keep words in these sentences: {score.keep_kept}/{score.keep_total} kept "
        f"({_pct(kept)}; target {MUST_KEEP_TARGET:.0%}).",
    ]
    if score.keep_lost:
        lost = ", ".join(f"{w} ×{n}" for w, n in score.keep_lost.most_common(15))
        out.append(f"Most often lost: {lost}.")
    return "\n".join(out)


def misses_text(name: str, score: SplitScore) -> str:
    """The worst misses per type: full leaks first, then the most left over."""
    out = [f"### {name}: worst {MISSES_SHOWN} misses per type", ""]
    for kind in sorted(score.misses, key=_order):
        misses = sorted(score.misses[kind], key=lambda m: (not m.full, -len(m.left), m.id))
        out.append(f"**{kind}** ({len(misses)} missed)")
        for m in misses[:MISSES_SHOWN]:
            how = "FULL" if m.full else "part " + ",".join(m.left)
            out.append(f"- `{m.id}` [{how}] {m.span!r} -> {m.redacted!r}")
        out.append("")
    return "\n".join(out)


def _as_json(scores: dict[str, SplitScore], keep: dict[str, object], misses: bool) -> str:
    data: dict[str, object] = {"must_keep_list": keep, "targets": TARGETS}
    for name, score in scores.items():
        rows = {
            kind: {
                src: {
                    "n": t.total,
                    "caught": t.caught,
                    "recall": t.recall,
                    "full": t.full,
                    "partial": t.partial,
                }
                for src, t in by.items()
            }
            for kind, by in score.rows.items()
        }
        entry: dict[str, object] = {
            "sentences": score.sentences,
            "errors": score.errors,
            "types": rows,
            "must_keep": {
                "n": score.keep_total,
                "kept": score.keep_kept,
                "lost": dict(score.keep_lost),
            },
        }
        if misses:
            entry["misses"] = {kind: [m.__dict__ for m in ms] for kind, ms in score.misses.items()}
        data[name] = entry
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both")
    parser.add_argument(
        "--misses", action="store_true", help=f"show the worst {MISSES_SHOWN} misses per type"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--data", type=Path, default=PHI, help="folder of the jsonl files")
    args = parser.parse_args(argv)

    redactor = get_redactor()
    names = ("dev", "test") if args.split == "both" else (args.split,)
    scores = {n: score_split(args.data / f"phi-synth-{n}.jsonl", redactor.redact) for n in names}
    keep = score_must_keep(load_must_keep(), redactor.redact)

    if args.json:
        print(_as_json(scores, keep, args.misses))
        return 0
    for name, score in scores.items():
        print(split_table(name, score))
        print()
    n = int(keep["words"])  # type: ignore[call-overload]
    print(f"### must-keep.txt: {n} words and phrases")
    print()
    print(f"- alone: {keep['kept_alone']}/{n} kept")
    print(f'- in "{NEUTRAL}": {keep["kept_in_sentence"]}/{n} kept')
    for label in ("lost_alone", "lost_in_sentence"):
        if keep[label]:
            print(f"- {label.replace('_', ' ')}: {', '.join(keep[label])}")  # type: ignore[arg-type]
    if args.misses:
        for name, score in scores.items():
            print()
            print(misses_text(name, score))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
