"""The terminal surface: a chat with the same services Slack and Teams use."""
