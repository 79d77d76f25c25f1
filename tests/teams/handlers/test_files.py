"""Impact summaries as files: the consent card, the upload to OneDrive, the file card."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.errors import UserError
from bot.teams import verbs
from bot.teams.handlers.files import CONSENT, FILE_INFO, _check_upload_url
from tests.helpers.teams_stack import TeamsStack
from tests.http import serve


@dataclass
class FakeOneDrive:
    """An upload session endpoint: records each PUT, answers ``status``."""

    status: int = 201
    uploads: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    url: str = ""

    def app(self) -> Starlette:
        async def put(request: Request) -> Response:
            self.uploads.append((await request.body(), dict(request.headers)))
            return JSONResponse({"id": "file-1"}, status_code=self.status)

        return Starlette(routes=[Route("/upload/{session}", put, methods=["PUT"])])


@contextlib.asynccontextmanager
async def onedrive() -> AsyncIterator[FakeOneDrive]:
    fake = FakeOneDrive()
    async with serve(fake.app()) as base:
        fake.url = base
        yield fake


def _consent(activity: dict[str, Any]) -> dict[str, Any]:
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == CONSENT
    return attachment


def _answer(teams: TeamsStack, action: str, context: dict[str, Any], url: str) -> dict[str, Any]:
    kind, conversation_id = teams.pat.where(False)
    activity = teams.pat._base(kind, conversation_id) | {
        "type": "invoke",
        "name": "fileConsent/invoke",
        "value": {"type": "fileUpload", "action": action, "context": context},
    }
    if action == "accept":
        activity["value"]["uploadInfo"] = {
            "name": "impact.pdf",
            "uploadUrl": f"{url}/upload/session-1",
            "contentUrl": "https://contoso-my.sharepoint.com/personal/pat/impact.pdf",
            "uniqueId": "1A2B3C",
            "fileType": context.get("format", "pdf"),
        }
    return activity


async def _offer(teams: TeamsStack, fmt: str) -> dict[str, Any]:
    await teams.say("win caught a tenfold heparin dose error before it reached 4 West")
    body = await teams.press(verbs.IMPACT_EXPORT, {verbs.PERIOD: "90d", verbs.FORMAT: fmt})
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "OneDrive" in body["value"]
    return _consent(teams.connector.activities()[-1])


async def test_a_pdf_is_offered_then_uploaded_and_linked_when_accepted(teams: TeamsStack) -> None:
    consent = await _offer(teams, "pdf")
    assert consent["name"].startswith("impact-") and consent["name"].endswith(".pdf")
    content = consent["content"]
    assert content["sizeInBytes"] > 1000
    assert content["acceptContext"] == {verbs.PERIOD: "90d", verbs.FORMAT: "pdf"}
    async with onedrive() as drive:
        response = await teams.post(_answer(teams, "accept", content["acceptContext"], drive.url))
    assert response.status_code == 200
    [(data, headers)] = drive.uploads
    assert data.startswith(b"%PDF")
    assert headers["content-range"] == f"bytes 0-{len(data) - 1}/{len(data)}"
    [card] = teams.connector.activities()[-1]["attachments"]
    assert card["contentType"] == FILE_INFO
    assert card["contentUrl"].endswith("/impact.pdf")
    assert card["content"] == {"uniqueId": "1A2B3C", "fileType": "pdf"}


async def test_a_csv_holds_the_wins(teams: TeamsStack) -> None:
    consent = await _offer(teams, "csv")
    async with onedrive() as drive:
        await teams.post(_answer(teams, "accept", consent["content"]["acceptContext"], drive.url))
    [(data, _)] = drive.uploads
    assert b"tenfold heparin" in data


async def test_declining_uploads_nothing(teams: TeamsStack) -> None:
    consent = await _offer(teams, "md")
    async with onedrive() as drive:
        await teams.post(_answer(teams, "decline", consent["content"]["declineContext"], drive.url))
    assert drive.uploads == []
    assert "nothing was saved" in teams.connector.activities()[-1]["text"]


async def test_a_refused_upload_is_explained(teams: TeamsStack) -> None:
    consent = await _offer(teams, "pdf")
    async with onedrive() as drive:
        drive.status = 507
        response = await teams.post(
            _answer(teams, "accept", consent["content"]["acceptContext"], drive.url)
        )
    assert response.status_code == 200
    note = teams.connector.activities()[-1]["text"]
    assert "couldn't save the file" in note and "507" in note


async def test_no_file_is_offered_in_a_channel_or_for_a_bad_format(teams: TeamsStack) -> None:
    body = await teams.press(
        verbs.IMPACT_EXPORT, {verbs.PERIOD: "90d", verbs.FORMAT: "pdf"}, channel=True
    )
    assert "private" in body["value"]
    body = await teams.press(verbs.IMPACT_EXPORT, {verbs.PERIOD: "90d", verbs.FORMAT: "exe"})
    assert "unknown format" in body["value"]
    body = await teams.press(verbs.IMPACT_EXPORT, {verbs.PERIOD: "forever", verbs.FORMAT: "pdf"})
    assert "forever" in body["value"]
    assert teams.connector.calls == []


def test_only_https_upload_addresses_outside_local_mode() -> None:
    _check_upload_url("https://contoso-my.sharepoint.com/upload/1", allow_http=False)
    _check_upload_url("http://127.0.0.1:9/upload/1", allow_http=True)
    for url in ("http://contoso.example/upload", "file:///etc/passwd", "https:///nohost"):
        with pytest.raises(UserError, match="upload address"):
            _check_upload_url(url, allow_http=False)
