"""Coaching: turn a vent into a problem / proposed fix / my role draft, safely."""
