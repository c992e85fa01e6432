"""`deskterm feedback import FILE.csv` and `deskterm quality`: what customers say, per week."""

from __future__ import annotations

from pathlib import Path

from deskterm.cli.runtime import Run, Subparsers, add_command, add_group
from deskterm.domain.errors import InvalidInput


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "feedback", "customer feedback: CSAT and quality drivers")
    parser = add_command(
        group, "import", import_, "import survey responses from a CSV file (leads)",
        description="Import responses: good rows are kept, bad rows reported with their line "
        "numbers, responses already recorded counted once. Comma- or semicolon-separated "
        "(Excel). Columns (header row required): ticket, csat (required), reliability, "
        "empathy, customer_focus, customer_knowledge, waiting_time, accessibility, "
        "phone_menu (1-5 or empty), comment, received_at (ISO 8601), kudos.")
    parser.add_argument("file", metavar="FILE.csv",
                        help="the survey export (CSV with a header row)")

    parser = add_command(subparsers, "quality", quality,
                         "the team's quality per week and what drives satisfaction (leads)")
    parser.add_argument("--weeks", type=int, default=8, metavar="N", help="weeks (default 8)")
    parser.add_argument("--all-teams", action="store_true", help="the whole desk (admins)")


def import_(run: Run) -> None:
    from deskterm.services.feedback import import_csv

    report = import_csv(run.ctx, Path(run.args.file).expanduser())
    if run.out.as_json:
        run.out.json({"imported": report.imported, "kudos": report.kudos,
                      "already_recorded": report.duplicates,
                      "bad": [{"line": line, "error": why} for line, why in report.bad]})
    else:
        run.out.line(f"Imported {report.imported} response(s)"
                     + (f", {report.kudos} compliment(s) shared as kudos" if report.kudos
                        else "")
                     + (f"; {report.duplicates} already recorded, counted once"
                        if report.duplicates else "")
                     + (f"; {len(report.bad)} bad row(s) skipped" if report.bad else ""))
        for line, why in report.bad:
            run.out.line(f"  line {line}: {why}")
    if report.bad and not report.imported and not report.duplicates:
        raise InvalidInput(f"no row of {run.args.file} could be imported")


def quality(run: Run) -> None:
    from deskterm.services.drivers import driver_importance
    from deskterm.sync.figures import quality_weeks

    ctx = run.ctx
    ctx.require_lead("see the quality figures")
    if not 1 <= run.args.weeks <= 52:
        raise InvalidInput("--weeks must be 1 to 52")
    if run.args.all_teams and ctx.actor.role.value != "admin":
        raise InvalidInput("--all-teams is for admins; leads see their own team")
    team_id = None if run.args.all_teams else ctx.actor.team_id
    weeks = quality_weeks(ctx, run.login, team_id=team_id, weeks=run.args.weeks)
    analysis = driver_importance(run.store(), team_id=team_id)
    drivers = analysis.drivers
    if run.out.as_json:
        def rate(r: object) -> dict[str, object]:
            return {"value": getattr(r, "value", None), "count": getattr(r, "count", 0)}

        run.out.json({
            "weeks": [{"week": w.label, "first_contact_resolution":
                       rate(w.first_contact_resolution), "repeat_contacts":
                       rate(w.repeat_contacts), "reopen": rate(w.reopen),
                       "satisfaction": rate(w.satisfaction), "self_rating":
                       rate(w.self_rating)} for w in weeks],
            "drivers": [{"driver": d.driver, "share": d.share, "low": d.low, "high": d.high,
                         "responses": d.responses, "mean": d.mean, "note": d.note or None}
                        for d in drivers],
            "drivers_r_squared": analysis.r_squared, "drivers_responses": analysis.responses})
        return

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.0f}%"

    def mean(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}"

    run.out.table(["week", "FCR>", "repeat>", "reopen>", "CSAT>", "self>", "resolved>"], [
        (w.label, pct(w.first_contact_resolution.value), pct(w.repeat_contacts.value),
         pct(w.reopen.value), mean(w.satisfaction.value), mean(w.self_rating.value),
         str(w.first_contact_resolution.count)) for w in weeks],
        title="Quality per week")
    run.out.table(["driver", "share>", "95% interval>", "responses>", "mean>", ""], [
        (d.driver.replace("_", " "), pct(d.share),
         "—" if d.low is None or d.high is None else f"{pct(d.low)}–{pct(d.high)}",
         str(d.responses), mean(d.mean), d.note) for d in drivers],
        title="What drives satisfaction (share of the CSAT the drivers explain"
        + (f", R² {analysis.r_squared:.2f})" if analysis.r_squared is not None else ")"))
    run.out.hint("Quality, not stopwatches: no handling times and no per-agent figures here.")
