"""`deskterm mood SCORE`: log how today went, 1-5. Private: only you ever see your own."""

from __future__ import annotations

from deskterm.cli import shapes
from deskterm.cli.runtime import Run, Subparsers, add_command
from deskterm.domain.wellbeing import SMILEYS
from deskterm.i18n import _
from deskterm.services.wellbeing import record_mood


def register(subparsers: Subparsers) -> None:
    scale = ", ".join(f"{score} {smiley}" for score, smiley in SMILEYS.items())
    parser = add_command(subparsers, "mood", mood, _("log today's mood (once a day, private)"),
                         description=_("Log today's mood, once a day: {scale}. Only you see "
                                       "your own; leads see the team's anonymous "
                                       "aggregate.").format(scale=scale))
    parser.add_argument("score", type=int, metavar="SCORE", help=_("1 (bad) to 5 (great)"))
    parser.add_argument("--note", metavar="TEXT", help=_("a few words, for yourself"))


def mood(run: Run) -> None:
    entry = record_mood(run.ctx, run.args.score, note=run.args.note)
    if run.out.as_json:
        run.out.json(shapes.mood(entry))
        return
    run.out.line(_("{smiley}  mood {score}/5 logged for {date}").format(
        smiley=SMILEYS[entry.score], score=entry.score, date=entry.local_date))
