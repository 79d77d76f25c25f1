"""Turning Step Up's card dicts into what the Teams SDK sends and answers.

Cards are built as plain JSON dicts (:mod:`bot.teams.cards`) and validated into the SDK's
``AdaptiveCard`` model only here, at the edge.
"""

from __future__ import annotations

from typing import Any

from microsoft_teams.api.activities.message.message import MessageActivityInput
from microsoft_teams.api.models.adaptive_card.adaptive_card_action_response import (
    AdaptiveCardActionCardResponse,
    AdaptiveCardActionMessageResponse,
)
from microsoft_teams.api.models.attachment.attachment import Attachment
from microsoft_teams.api.models.invoke_response import InvokeResponse
from microsoft_teams.api.models.task_module.task_module_continue_response import (
    TaskModuleContinueResponse,
)
from microsoft_teams.api.models.task_module.task_module_message_response import (
    TaskModuleMessageResponse,
)
from microsoft_teams.api.models.task_module.task_module_response import TaskModuleResponse
from microsoft_teams.api.models.task_module.task_module_task_info import CardTaskModuleTaskInfo
from microsoft_teams.cards import AdaptiveCard

Card = dict[str, Any]
SUMMARY_CHARS = 200
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


def adaptive(card: Card) -> AdaptiveCard:
    """Return ``card`` as the SDK's card model."""
    return AdaptiveCard.model_validate(card)


def card_message(card: Card, *, summary: str) -> MessageActivityInput:
    """Return a message carrying ``card``.

    ``summary`` is what Teams shows in notifications and the chat list.
    """
    message = MessageActivityInput(summary=summary[:SUMMARY_CHARS])
    return message.add_card(adaptive(card))


def replace_card(card: Card) -> InvokeResponse[Any]:
    """Answer an ``Action.Execute`` by showing ``card`` in place of the clicked one."""
    return InvokeResponse(status=200, body=AdaptiveCardActionCardResponse(value=adaptive(card)))


def toast(text: str) -> InvokeResponse[Any]:
    """Answer an ``Action.Execute`` with a short message and leave the card as it was."""
    return InvokeResponse(status=200, body=AdaptiveCardActionMessageResponse(value=text))


def dialog(card: Card, *, title: str) -> InvokeResponse[Any]:
    """Answer ``task/fetch`` (or a failed ``task/submit``) by showing ``card`` in a dialog."""
    info = CardTaskModuleTaskInfo(
        title=title,
        card=Attachment(content_type=CARD_CONTENT_TYPE, content=card),
        width="medium",
        height="large",
    )
    return InvokeResponse(
        status=200, body=TaskModuleResponse(task=TaskModuleContinueResponse(value=info))
    )


def dialog_done(text: str) -> InvokeResponse[Any]:
    """Close a dialog, showing ``text`` to the person who submitted it."""
    return InvokeResponse(
        status=200, body=TaskModuleResponse(task=TaskModuleMessageResponse(value=text))
    )
