"""Word lists shared by redaction, the scope guard and the offline coach, kept as data files.

Each list lives once, in ``bot/vocabulary/lists/NAME.txt`` (one entry a line, ``#`` comments), and
is read on first use; see :func:`bot.vocabulary.words.load`.
"""
