"""Reading the answer to a check-in question ("Are you thinking about suicide?").

The answer is short and conversational: "no, just work", "nah im ok", "yeah kind of", "maybe".
Only its opening words are read. Anything that is not clearly a no or a yes is neither: the
conversation then treats it as an ordinary message (the crisis gate still runs first). When in
doubt between the two ("idk", "not sure"), the answer counts as a yes: a caring reply with
resources costs little.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.safety.sanitize import clean

__all__ = ["Answer", "answer"]

Answer = Literal["yes", "no"]

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
# Unsure or partial answers first: "not sure" must not read as a "no".
_YES = re.compile(
    r"^(?:yes+|yeah+|yea|yep|yup|ya|yah|y(?= *(?:$|[.!,]))|kind of|kinda|sort of|sorta|maybe"
    r"|a little|a bit"
    r"|sometimes|i think so|i guess|idk|i don'?t know|dont know|not sure|i'?m not sure|im not sure"
    r"|honestly yes|honestly yeah|often|lately)\b"
)
_NO = re.compile(
    r"^(?:no+|nope|nah+|naw|nay|n(?= *(?:$|[.!,]))|not really|not at all|of course not"
    r"|definitely not|god no"
    r"|i'?m not|im not|never|no way|i'?m (?:ok|okay|fine|good|alright|all right)"
    r"|im (?:ok|okay|fine|good|alright|all right)|it'?s (?:just )?(?:work|the job)"
    r"|its (?:just )?(?:work|the job)|just (?:work|tired|venting|the job))\b"
)

_BUT = re.compile(r"\b(?:but|except|although|though|sometimes)\b")


def answer(text: str) -> Answer | None:
    """Return whether ``text`` answers a check-in question with a yes or a no.

    Args:
        text: The person's message after the check-in question.

    Returns:
        ``"yes"`` (including unsure and partial answers), ``"no"``, or ``None`` when the message
        is not an answer.
    """
    words = clean(text).translate(_APOSTROPHES).casefold().lstrip(" \t\n.,!-*_\"'")
    if _YES.match(words):
        return "yes"
    # "No, but I keep thinking about it" is not a plain no.
    if _NO.match(words) and _BUT.search(words) is None:
        return "no"
    return None
