"""Impact summaries as files in Teams: a consent card, then an upload to the person's OneDrive.

A Teams bot cannot attach a file to a 1:1 chat. It offers one with a file consent card (name,
size, what it is); when the person allows it, Teams sends ``fileConsent/invoke`` with an upload
URL in their OneDrive, Step Up uploads the bytes there and posts a file card that opens it.
Declining posts a short note. The file is built again when the person accepts, for the period and
format the button named, so it holds their wins as they are at that moment. Only in the 1:1 chat:
a summary is private.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import httpx
from microsoft_teams.api.activities.invoke.file_consent import FileConsentInvokeActivity
from microsoft_teams.api.activities.message.message import MessageActivityInput
from microsoft_teams.api.models.attachment.attachment import Attachment
from microsoft_teams.apps import ActivityContext, App

from bot.app import Services
from bot.errors import UserError
from bot.impact.export import default_filename, parse_format, render
from bot.teams import verbs
from bot.teams.handlers.common import arrive
from bot.teams.handlers.guard import message_handler
from bot.teams.turn import Turn

log = logging.getLogger(__name__)

CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
UPLOAD_TIMEOUT_S = 30.0
DESCRIPTIONS = {
    "pdf": "Your impact summary with a chart of wins by month",
    "csv": "Your wins as a spreadsheet, one row per win",
    "md": "Your impact summary as Markdown text",
}
PRIVATE = "Your impact summary is private: ask me for it in our 1:1 chat."
NOT_SAVED = "I couldn't save the file to your OneDrive ({reason}). Use Download again to retry."


def register(app: App, services: Services) -> None:
    """Answer the person's choice on a file consent card."""

    @app.on_file_consent
    @message_handler
    async def on_consent(ctx: ActivityContext[FileConsentInvokeActivity]) -> None:
        turn = await arrive(ctx, services)
        assert turn is not None
        value = ctx.activity.value
        context = value.context if isinstance(value.context, dict) else {}
        if value.action != "accept":
            await ctx.send("No problem: nothing was saved. Download is on the summary any time.")
            return
        info = value.upload_info
        if info is None or not info.upload_url:
            raise UserError(NOT_SAVED.format(reason="Teams sent no upload address"))
        _check_upload_url(info.upload_url, allow_http=services.settings.teams_dev_unauthenticated)
        period, fmt = _choice(context)
        summary = await services.impact.build(turn.who, period)
        data = render(summary, fmt)
        await _upload(info.upload_url, data)
        card = Attachment(
            content_type=FILE_INFO,
            content_url=info.content_url,
            name=info.name or default_filename(summary, fmt),
            content={"uniqueId": info.unique_id, "fileType": info.file_type or fmt},
        )
        await ctx.send(MessageActivityInput().add_attachments(card))


async def offer(ctx: Any, services: Services, turn: Turn, data: dict[str, Any]) -> str:
    """Send the file consent card for the summary the button names; return a note for the card.

    Raises:
        UserError: Not in the 1:1 chat, or an unknown period or format.
    """
    if not turn.personal:
        raise UserError(PRIVATE)
    period, fmt = _choice(data)
    summary = await services.impact.build(turn.who, period)
    size = len(render(summary, fmt))
    choice = {verbs.PERIOD: period, verbs.FORMAT: fmt}
    consent = Attachment(
        content_type=CONSENT,
        name=default_filename(summary, fmt),
        content={
            "description": f"{DESCRIPTIONS[fmt]} ({summary.period_label}).",
            "sizeInBytes": size,
            "acceptContext": choice,
            "declineContext": choice,
        },
    )
    await ctx.send(MessageActivityInput().add_attachments(consent))
    return "Allow the file below and Teams saves it to your OneDrive."


def _choice(data: dict[str, Any]) -> tuple[str, str]:
    period = str(data.get(verbs.PERIOD) or "90d").strip()[:20]
    fmt = parse_format(str(data.get(verbs.FORMAT) or "pdf"))
    if fmt not in DESCRIPTIONS:
        raise UserError("Pick PDF, CSV or Markdown.")
    return period, fmt


def _check_upload_url(url: str, *, allow_http: bool) -> None:
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise UserError(NOT_SAVED.format(reason="Teams sent an upload address I can't use"))


async def _upload(url: str, data: bytes) -> None:
    """PUT ``data`` to a OneDrive upload session in one piece, as Teams' file upload expects."""
    headers = {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}
    try:
        async with httpx.AsyncClient(timeout=UPLOAD_TIMEOUT_S) as client:
            response = await client.put(url, content=data, headers=headers)
    except httpx.HTTPError as exc:
        log.warning("teams: file upload failed: %s", type(exc).__name__)
        raise UserError(NOT_SAVED.format(reason="OneDrive could not be reached")) from None
    if response.status_code >= 300:
        log.warning("teams: file upload refused: %s", response.status_code)
        reason = f"OneDrive answered {response.status_code}"
        raise UserError(NOT_SAVED.format(reason=reason))
