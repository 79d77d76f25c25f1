"""``stepup win add|show|edit|delete``, ``stepup wins list`` and ``stepup goal …``.

The terminal face of the wins log and of certification goals; the services do the work.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from bot.commands.context import CommandContext
from bot.errors import UserError
from bot.impact.periods import accepted_forms, parse_period
from bot.prompts import render_text
from bot.store.models import Goal
from bot.wins import form
from bot.wins.categories import category_ids
from bot.wins.goals import GoalsService, goal_kinds
from bot.wins.identity import PersonRef
from bot.wins.service import WinsService, read_date
from bot.wins.text import win_details, win_line
from bot.wording import wording


def register(subparsers: Any) -> None:
    """Add ``win``, ``wins`` and ``goal``."""
    categories = ", ".join(category_ids())

    win = subparsers.add_parser("win", help="log, show, edit or delete a win")
    actions = win.add_subparsers(dest="win_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="log a win from free text",
        description='Log a win, e.g. stepup win add "trained 2 new techs on the IV hood".',
    )
    add.add_argument(
        "text", nargs="*", help=f"{_help(form.WHAT, categories)} (why and the result may follow)"
    )
    _win_options(add, categories)
    add.add_argument("--numbers", help=_help(form.NUMBERS, categories))
    add.add_argument("--share", action="store_true", help=_help(form.SHARED, categories))
    add.set_defaults(handler=_add)

    show = actions.add_parser("show", help="print one win in full")
    show.add_argument("id", type=int)
    show.set_defaults(handler=_show)

    edit = actions.add_parser("edit", help="change fields of a win")
    edit.add_argument("id", type=int)
    edit.add_argument("--what", help=_help(form.WHAT, categories))
    _win_options(edit, categories)
    edit.add_argument(
        "--share",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show (--share) or stop showing (--no-share) this win in the team's weekly roundup",
    )
    edit.set_defaults(handler=_edit)

    delete = actions.add_parser("delete", help="delete a win")
    delete.add_argument("id", type=int)
    delete.set_defaults(handler=_delete)

    wins = subparsers.add_parser("wins", help="list your wins")
    wins_actions = wins.add_subparsers(dest="wins_action", metavar="ACTION", required=True)
    listing = wins_actions.add_parser("list", help="list wins by period and category")
    listing.add_argument("--period", default="all", help=f"{accepted_forms()} (default: all)")
    listing.add_argument("--category", help=f"one of {categories}")
    listing.set_defaults(handler=_list)

    goal = subparsers.add_parser("goal", help="certification and education goals")
    goal_actions = goal.add_subparsers(dest="goal_action", metavar="ACTION", required=True)
    kinds = ", ".join(kind.id for kind in goal_kinds())
    goal_add = goal_actions.add_parser("add", help="add a goal")
    goal_add.add_argument("kind", help=kinds)
    goal_add.add_argument("--title", help="e.g. 'CPhT-Adv: 2 of 4 certificate programs'")
    goal_add.add_argument("--target", help="target date (YYYY-MM-DD)")
    goal_add.add_argument("--progress", type=int, default=0, help="percent done (0-100)")
    goal_add.set_defaults(handler=_goal_add)
    goal_list = goal_actions.add_parser("list", help="list goals")
    goal_list.add_argument("--all", action="store_true", help="include achieved and dropped")
    goal_list.set_defaults(handler=_goal_list)
    goal_progress = goal_actions.add_parser("progress", help="set a goal's progress")
    goal_progress.add_argument("id", type=int)
    goal_progress.add_argument("percent", type=int)
    goal_progress.set_defaults(handler=_goal_progress)
    achieve = goal_actions.add_parser("achieve", help="mark a goal reached (logs a win)")
    achieve.add_argument("id", type=int)
    achieve.add_argument("--date", help="when (default: today)")
    achieve.set_defaults(handler=_goal_achieve)
    drop = goal_actions.add_parser("drop", help="stop tracking a goal")
    drop.add_argument("id", type=int)
    drop.set_defaults(handler=_goal_drop)


def _help(field: str, categories: str) -> str:
    # The option help comes from the win form's one specification (prompts/ui.yaml).
    text = form.win_field(field).cli_help or form.win_field(field).label
    return render_text(text, categories=categories) if "{" in text else text


def _win_options(parser: argparse.ArgumentParser, categories: str) -> None:
    for field in (form.DATE, form.CATEGORY, form.WHY, form.RESULT, form.LEADERSHIP):
        parser.add_argument(f"--{field}", help=_help(field, categories))


def _who(context: CommandContext) -> PersonRef:
    return PersonRef(context.platform, context.workspace, context.user)


async def _wins(context: CommandContext) -> WinsService:
    runtime = await context.runtime()
    return WinsService(runtime.sessions, default_timezone=context.settings.default_timezone)


async def _goals(context: CommandContext) -> GoalsService:
    runtime = await context.runtime()
    return GoalsService(runtime.sessions, default_timezone=context.settings.default_timezone)


def _today(context: CommandContext) -> dt.date:
    return dt.datetime.now(context.settings.timezone).date()


def _date(text: str | None, context: CommandContext) -> dt.date | None:
    return read_date(text, today=_today(context)) if text else None


async def _add(args: argparse.Namespace, context: CommandContext) -> int:
    service = await _wins(context)
    captured = await service.add(
        _who(context),
        " ".join(args.text),
        source="command",
        occurred_on=_date(args.date, context),
        category=args.category,
        why=args.why,
        result=form.result_with_numbers(args.result, args.numbers),
        leadership=args.leadership,
        shared=args.share,
    )
    context.out(wording("logged", line=win_line(captured.win)))
    if captured.win.shared:
        context.out(wording("shared_note"))
    if captured.followup is None:
        return 0
    if context.stdin.isatty():
        # Asked once; whatever the answer (or "skip"), the win is already saved.
        context.out(captured.followup)
        answer = context.stdin.readline()
        updated = await service.complete_followup(_who(context), captured.win.id, answer)
        if updated.result != captured.win.result:
            context.out(wording("updated", line=win_line(updated)))
    else:
        context.out(
            f"{captured.followup.split(' (')[0]} Add it with: "
            f'stepup win edit {captured.win.id} --result "…"'
        )
    return 0


async def _show(args: argparse.Namespace, context: CommandContext) -> int:
    win = await (await _wins(context)).get(_who(context), args.id)
    for line in win_details(win):
        context.out(line)
    return 0


async def _edit(args: argparse.Namespace, context: CommandContext) -> int:
    changes = (
        args.what,
        args.why,
        args.result,
        args.category,
        args.date,
        args.leadership,
        args.share,
    )
    if all(value is None for value in changes):
        raise UserError(
            "nothing to change: give --what, --why, --result, --date, --category, --leadership "
            "or --share/--no-share"
        )
    win = await (await _wins(context)).update(
        _who(context),
        args.id,
        what=args.what,
        why=args.why,
        result=args.result,
        category=args.category,
        occurred_on=_date(args.date, context),
        leadership=args.leadership,
        shared=args.share,
    )
    context.out(wording("updated", line=win_line(win)))
    if args.share is not None:
        context.out(wording("shared_note" if win.shared else "not_shared_note"))
    return 0


async def _delete(args: argparse.Namespace, context: CommandContext) -> int:
    await (await _wins(context)).delete(_who(context), args.id)
    context.out(wording("deleted_win", id=args.id))
    return 0


async def _list(args: argparse.Namespace, context: CommandContext) -> int:
    period = parse_period(args.period, today=_today(context))
    wins = await (await _wins(context)).list_wins(
        _who(context), start=period.start, end=period.end, category=args.category
    )
    if not wins:
        context.out(
            f"No wins for {period.label}. Log one with: "
            'stepup win add "trained 2 new techs on the IV hood this week"'
        )
        return 0
    for win in wins:
        context.out(win_line(win))
    context.out(f"{len(wins)} win{'s' if len(wins) != 1 else ''} · {period.label}")
    return 0


def _goal_line(goal: Goal) -> str:
    target = f", target {goal.target_date.isoformat()}" if goal.target_date else ""
    state = (
        f"achieved {goal.achieved_on.isoformat()} (win #{goal.win_id})"
        if goal.status == "achieved" and goal.achieved_on
        else goal.status
        if goal.status != "active"
        else f"{goal.progress}% done{target}"
    )
    return f"#{goal.id}  {goal.kind}  {goal.title}  — {state}"


async def _goal_add(args: argparse.Namespace, context: CommandContext) -> int:
    target = None
    if args.target:
        try:
            target = dt.date.fromisoformat(args.target)
        except ValueError:
            raise UserError(
                f"cannot read the target date {args.target!r}: use YYYY-MM-DD"
            ) from None
    goal = await (await _goals(context)).add(
        _who(context), args.kind, title=args.title, target_date=target, progress=args.progress
    )
    context.out(f"Added goal: {_goal_line(goal)}")
    return 0


async def _goal_list(args: argparse.Namespace, context: CommandContext) -> int:
    goals = await (await _goals(context)).list_goals(
        _who(context), status=None if args.all else "active"
    )
    if not goals:
        context.out("No goals yet. Add one with: stepup goal add CPhT --target 2027-06-30")
    for goal in goals:
        context.out(_goal_line(goal))
    return 0


async def _goal_progress(args: argparse.Namespace, context: CommandContext) -> int:
    goal = await (await _goals(context)).progress(_who(context), args.id, args.percent)
    context.out(f"Updated: {_goal_line(goal)}")
    return 0


async def _goal_achieve(args: argparse.Namespace, context: CommandContext) -> int:
    goal, win = await (await _goals(context)).achieve(
        _who(context), args.id, on=_date(args.date, context)
    )
    context.out(f"Congratulations! {_goal_line(goal)}")
    context.out(wording("logged", line=win_line(win)))
    return 0


async def _goal_drop(args: argparse.Namespace, context: CommandContext) -> int:
    goal = await (await _goals(context)).drop(_who(context), args.id)
    context.out(f"Dropped: {_goal_line(goal)}")
    return 0
