"""Safety: sanitizing, the crisis gate, the scope guard and PHI redaction, for every text."""
