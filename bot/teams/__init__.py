"""The Microsoft Teams surface: the Teams SDK app on ``/api/messages``, cards, and nudge delivery.

The Teams SDK announces itself as experimental with a warning at import. Step Up pins and tests
the version it uses, so the notice is only noise in logs (and an error under ``-W error``): the SDK
is imported here, once, with that warning (a ``FutureWarning`` subclass) silenced for the import
only. Every ``bot.teams`` module is imported after this one.
"""

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)
    import microsoft_teams.apps  # noqa: F401
