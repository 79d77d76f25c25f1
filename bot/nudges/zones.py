"""The time zones nudge settings offer first, with the names people know them by."""

from __future__ import annotations

from typing import Final

US_ZONES: Final[tuple[tuple[str, str], ...]] = (
    ("America/New_York", "Eastern (New York)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Arizona (Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
    ("Pacific/Guam", "Chamorro (Guam)"),
    ("Pacific/Pago_Pago", "Samoa (Pago Pago)"),
)
"""(zone, label) of the United States' zones, offered first on every surface."""
