"""Where the repository and the tests' own data live (helpers, not fixtures: plain paths)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DATASETS = DATA / "datasets"
"""Development datasets: coaching vents and PHI redaction cases (see ``data/README.md``)."""
SLACK_FIXTURES = DATA / "slack"
"""Slack's documented request payloads (see ``data/slack/README.md``)."""
CRISIS_DATA = DATA / "crisis"
"""The crisis-gate dataset: ``crisis-dev.jsonl`` to tune on, ``crisis-test.jsonl`` held out."""
