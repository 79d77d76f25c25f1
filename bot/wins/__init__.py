"""Win capture: parse free text into wins, keep goals, and turn colleagues' thanks into wins."""
