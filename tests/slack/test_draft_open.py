"""App Home: "Open" on a saved draft makes it the current draft again, in the person's DM."""

import json

import pytest
from sqlalchemy import delete, func, select

from bot.app import create_services
from bot.slack import ids
from bot.slack.listeners.draft_actions import NO_SUCH_DRAFT
from bot.store.models import DraftRecord
from bot.store.people import PersonRef, resolve_person
from tests.fakes.slack_api import Call
from tests.helpers.slack_signing import interactivity_body, load_payload
from tests.helpers.slack_stack import SlackStack

TEAM, USER, OTHER = "T123ABC456", "U123ABC456", "U0OTHER"
WHO = PersonRef("slack", TEAM, USER)
DM = "D123ABC456"  # the fake's DM channel with USER
PROBLEM = "ADC par levels on 4 West run out every weekend"
FIX = "raise the weekend pars for heparin flushes"
ROLE = "pull the last 8 weeks of usage from the cabinet report"
SECRET = "the night float pharmacist keeps skipping the controlled count"


async def _saved(slack: SlackStack, who: PersonRef = WHO, problem: str = PROBLEM) -> int:
    async with slack.runtime.sessions() as session, session.begin():
        person = await resolve_person(session, who)
        record = DraftRecord(
            workspace_id=person.workspace_id,
            person_id=person.id,
            problem=problem,
            proposed_fix=FIX,
            my_role=ROLE,
            themes=["adc_stockouts"],
        )
        session.add(record)
        await session.flush()
        return record.id


async def _drafts(slack: SlackStack) -> int:
    async with slack.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(DraftRecord)) or 0)


async def _open(slack: SlackStack, value: str, user: str = USER) -> None:
    """Press "Open" on the Home tab, as Slack sends it (a view container, no channel)."""
    payload = load_payload(
        "block_actions.json",
        team=TEAM,
        user=user,
        action_id=ids.DRAFT_OPEN,
        value=value,
        container={"type": "view", "view_id": "V0HOME"},
    )
    payload.pop("channel")
    payload.pop("response_url")
    payload["view"] = {"id": "V0HOME", "type": "home", "team_id": TEAM}
    response = await slack.send(interactivity_body(payload))
    assert response.status_code == 200


async def _press_in_dm(slack: SlackStack, action_id: str, ref: str) -> None:
    payload = load_payload(
        "block_actions.json",
        team=TEAM,
        user=USER,
        action_id=action_id,
        value=ref,
        channel={"id": DM, "name": "directmessage"},
        container={"type": "message", "message_ts": "1700000000.000100", "channel_id": DM},
    )
    assert (await slack.send(interactivity_body(payload))).status_code == 200


def _button_values(call: Call, action_id: str) -> list[str]:
    found = []
    for block in call.params["blocks"]:
        for element in block.get("elements", []):
            if isinstance(element, dict) and element.get("action_id") == action_id:
                found.append(element["value"])
    return found


def _everything_sent(slack: SlackStack) -> str:
    return json.dumps([call.params for call in slack.fake.calls])


async def test_open_posts_the_saved_draft_to_the_dm_with_working_buttons(
    slack: SlackStack,
) -> None:
    draft_id = await _saved(slack)

    await _open(slack, str(draft_id))
    [shown] = await slack.fake.wait_for("chat.postMessage")

    assert shown.ok and shown.response["channel"] == DM
    sent = json.dumps(shown.params["blocks"])
    assert PROBLEM in sent and FIX in sent and ROLE in sent
    assert f"saved draft #{draft_id}" in sent
    [ref] = _button_values(shown, ids.DRAFT_COPY_FOR_MANAGER)
    assert _button_values(shown, ids.DRAFT_SAVE) == [ref]
    state = await create_services(slack.runtime).conversations.state(WHO)
    assert state.ref == ref
    assert state.draft is not None and state.draft.problem == PROBLEM
    assert state.saved_draft_id == draft_id

    # The buttons on it act on it: "Copy for my manager" answers with this draft.
    await _press_in_dm(slack, ids.DRAFT_COPY_FOR_MANAGER, ref)
    posts = await slack.fake.wait_for("chat.postMessage", 2)
    manager = json.dumps(posts[-1].params)
    assert FIX in manager and ROLE in manager
    assert slack.fake.calls_to("chat.postEphemeral") == []  # not the stale-draft note
    assert await _drafts(slack) == 1


async def test_an_unsaved_draft_in_progress_is_saved_before_another_is_opened(
    slack: SlackStack,
) -> None:
    conversations = create_services(slack.runtime).conversations
    draft_id = await _saved(slack)
    turn = await conversations.message(
        WHO, "We were short two techs on nights and the IV queue backed up for three hours."
    )
    assert turn.reply.kind == "draft" and turn.reply.draft is not None
    in_progress = turn.reply.draft

    await _open(slack, str(draft_id))
    [shown] = await slack.fake.wait_for("chat.postMessage")

    assert await _drafts(slack) == 2
    async with slack.runtime.sessions() as session:
        kept = await session.scalar(select(DraftRecord).where(DraftRecord.id != draft_id))
    assert kept is not None
    assert (kept.problem, kept.proposed_fix) == (in_progress.problem, in_progress.proposed_fix)
    assert f"saved as draft #{kept.id}" in json.dumps(shown.params["blocks"])
    assert (await conversations.state(WHO)).saved_draft_id == draft_id

    # Opening it again sets nothing aside: the draft in progress is already a saved one.
    await _open(slack, str(draft_id))
    await slack.fake.wait_for("chat.postMessage", 2)
    assert await _drafts(slack) == 2


async def test_someone_elses_draft_is_not_opened_or_shown(slack: SlackStack) -> None:
    theirs = await _saved(slack, PersonRef("slack", TEAM, OTHER), problem=SECRET)
    await _saved(slack)

    await _open(slack, str(theirs))
    [note] = await slack.fake.wait_for("chat.postMessage")

    assert note.params["channel"] == USER
    assert note.params["text"] == NO_SUCH_DRAFT
    assert SECRET not in _everything_sent(slack)
    conversations = create_services(slack.runtime).conversations
    assert (await conversations.state(WHO)).draft is None
    assert (await conversations.state(PersonRef("slack", TEAM, OTHER))).draft is None


async def test_a_deleted_draft_is_a_friendly_note(slack: SlackStack) -> None:
    draft_id = await _saved(slack)
    async with slack.runtime.sessions() as session, session.begin():
        await session.execute(delete(DraftRecord).where(DraftRecord.id == draft_id))

    await _open(slack, str(draft_id))
    [note] = await slack.fake.wait_for("chat.postMessage")

    assert note.params["text"] == NO_SUCH_DRAFT
    assert (await create_services(slack.runtime).conversations.state(WHO)).draft is None


@pytest.mark.parametrize("value", ["", "draft-1", "-1", "1e3", "٣", "1" * 40])
async def test_a_malformed_value_is_a_friendly_note(slack: SlackStack, value: str) -> None:
    await _saved(slack)

    await _open(slack, value)
    [note] = await slack.fake.wait_for("chat.postMessage")

    assert note.params["text"] == NO_SUCH_DRAFT
    assert PROBLEM not in _everything_sent(slack)
