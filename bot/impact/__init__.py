"""The impact summary: wins over a period, grouped and counted, every line citing its win."""
