"""Privacy: what happens to a workspace's and a person's data (uninstall, retention)."""
