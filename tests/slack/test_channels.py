"""The announcement that proves Step Up can post in a channel, and taking it back."""

from __future__ import annotations

import pytest

from bot.settings import load_settings
from bot.slack.app import build_client
from bot.slack.channels import ChannelRefused, announced
from tests.fakes.slack_api import TEST_BOT_TOKEN, FakeSlack, fake_slack


def client_for(fake: FakeSlack):
    client = build_client(load_settings(slack_api_url=fake.url), token=TEST_BOT_TOKEN)
    client.proxy = None
    return client


async def test_a_failure_after_the_announcement_takes_it_back() -> None:
    async with fake_slack() as fake:
        with pytest.raises(RuntimeError, match="database down"):
            async with announced(client_for(fake), "C0PHARM", "Weekly win nudges are on"):
                raise RuntimeError("database down")
        [posted] = fake.calls_to("chat.postMessage")
        [deleted] = fake.calls_to("chat.delete")
    assert deleted.params["channel"] == "C0PHARM"
    assert deleted.params["ts"] == posted.response["ts"]


async def test_a_stored_schedule_keeps_its_announcement() -> None:
    async with fake_slack() as fake:
        async with announced(client_for(fake), "C0PHARM", "on") as ts:
            assert ts
        assert fake.calls_to("chat.delete") == []


async def test_a_refused_announcement_never_runs_the_block() -> None:
    ran = False
    async with fake_slack() as fake:
        fake.add_channel("C0GONE", is_archived=True)
        with pytest.raises(ChannelRefused) as refused:
            async with announced(client_for(fake), "C0GONE", "on"):
                ran = True
    assert not ran and refused.value.error == "is_archived"
