"""Slack surface: Bolt AsyncApp listeners and pure Block Kit builders."""
