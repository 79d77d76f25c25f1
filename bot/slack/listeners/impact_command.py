"""``/impact [period] [md|pdf|csv]``: the impact summary, privately, with exports to the DM."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.errors import UserError
from bot.impact.export import default_filename, render
from bot.impact.periods import accepted_forms
from bot.impact.summary import ImpactSummary
from bot.slack import blocks, ids
from bot.slack.listeners.common import person_from, post, post_ephemeral
from bot.store.people import PersonRef

FORMATS = {"md": "md", "markdown": "md", "pdf": "pdf", "csv": "csv"}
USAGE = f"Usage: `/impact [period] [md|pdf|csv]` — period: {accepted_forms()}."

Ack = Callable[..., Awaitable[None]]


def parse_args(text: str) -> tuple[str | None, str | None]:
    """Split ``/impact`` text into (period, format); either may be absent."""
    period: str | None = None
    fmt: str | None = None
    for word in text.split():
        if word.lower() in FORMATS:
            fmt = FORMATS[word.lower()]
        elif period is None:
            period = word
        else:
            raise UserError(USAGE)
    return period, fmt


async def _dm(client: AsyncWebClient, user: str) -> str:
    return str((await client.conversations_open(users=user))["channel"]["id"])


async def upload_summary(
    client: AsyncWebClient, who: PersonRef, summary: ImpactSummary, fmt: str
) -> None:
    """Upload ``summary`` in ``fmt`` to the person's DM with the bot."""
    await client.files_upload_v2(
        channel=await _dm(client, who.user),
        content=render(summary, fmt),
        filename=default_filename(summary, fmt),
        title=f"Impact summary — {summary.period_label}",
        initial_comment="Here's your impact summary. Every line cites the win it comes from.",
    )


async def send_file(
    services: Services, client: AsyncWebClient, who: PersonRef, period: str | None, fmt: str
) -> ImpactSummary:
    """Build the summary and upload it in ``fmt`` to the DM (nothing is uploaded when empty).

    Returns:
        The summary, so the caller can say what happened.
    """
    summary = await services.impact.build(who, period)
    if not summary.empty:
        await upload_summary(client, who, summary, fmt)
    return summary


def register(app: AsyncApp, services: Services) -> None:
    """Register ``/impact``, the Home tab's build button and the export buttons."""

    @app.command(ids.CMD_IMPACT)
    async def impact_command(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        text = str(body.get("text") or "")
        if text.strip().lower() in ("help", "?"):
            await ack(**blocks.build_note(USAGE).as_kwargs())
            return
        try:
            period, fmt = parse_args(text)
        except UserError as exc:
            await ack(**blocks.build_note(str(exc)).as_kwargs())
            return
        await ack()  # within 3 s; the summary may take longer
        who = person_from(body)
        channel = str(body["channel_id"])
        try:
            summary = await services.impact.build(who, period)
        except UserError as exc:
            await post_ephemeral(client, channel, who.user, blocks.build_note(str(exc)))
            return
        if fmt is not None and not summary.empty:
            await upload_summary(client, who, summary, fmt)
            note = blocks.build_note(f"Sent your {fmt.upper()} summary to our DM.")
            await post_ephemeral(client, channel, who.user, note)
            return
        # An empty period is not an error: the message says so and offers to log a win.
        await post_ephemeral(client, channel, who.user, blocks.build_impact_message(summary))

    @app.action(ids.IMPACT_BUILD)
    async def build_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        who = person_from(body)
        summary = await services.impact.build(who, str(action.get("value") or "") or None)
        await post(client, await _dm(client, who.user), blocks.build_impact_message(summary))

    for action_id, fmt in ((ids.IMPACT_SEND_MARKDOWN, "md"), (ids.IMPACT_SEND_PDF, "pdf")):

        async def export(
            ack: Ack,
            body: dict[str, Any],
            action: dict[str, Any],
            client: AsyncWebClient,
            fmt: str = fmt,
        ) -> None:
            await ack()
            who = person_from(body)
            await send_file(services, client, who, str(action.get("value") or "") or None, fmt)

        app.action(action_id)(export)
