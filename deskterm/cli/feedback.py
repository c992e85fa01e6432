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
        "numbers. Columns (header row required): ticket, csat (required), reliability, "
        "empathy, customer_focus, customer_knowledge, waiting_time, accessibility, "
        "phone_menu (1-5 or empty), comment, received_at (ISO 8601), kudos.")
    parser.add_argument("file", metavar="FILE.csv")

    parser = add_command(subparsers, "quality", quality,
                         "the team's quality per week and what drives satisfaction (leads)")
    parser.add_argument("--weeks", type=int, default=8, metavar="N", help="weeks (default 8)")
    parser.add_argument("--all-teams", action="store_true", help="the whole desk (admins)")


def import_(run: Run) -> None:
    from deskterm.services.feedback import import_csv

    report = import_csv(run.ctx, Path(run.args.file).expanduser())
    if run.out.as_json:
        run.out.json({"imported": report.imported, "kudos": report.kudos,
                      "bad": [{"line": line, "error": why} for line, why in report.bad]})
    else:
        run.out.line(f"Imported {report.imported} response(s)"
                     + (f", {report.kudos} compliment(s) shared as kudos" if report.kudos
                        else "")
                     + (f"; {len(report.bad)} bad row(s) skipped" if report.bad else ""))
        for line, why in report.bad:
            run.out.line(f"  line {line}: {why}")
    if report.bad and not report.imported:
        raise InvalidInput(f"no row of {run.args.file} could be imported")


def quality(run: Run) -> None:
    from deskterm.services.knowledge_gaps import escalation_topics
    from deskterm.services.quality import driver_impact
    from deskterm.sync.figures import quality_weeks

    ctx = run.ctx
    ctx.require_lead("see the quality figures")
    if not 1 <= run.args.weeks <= 52:
        raise InvalidInput("--weeks must be 1 to 52")
    if run.args.all_teams and ctx.actor.role.value != "admin":
        raise InvalidInput("--all-teams is for admins; leads see their own team")
    team_id = None if run.args.all_teams else ctx.actor.team_id
    weeks = quality_weeks(ctx, run.login, team_id=team_id, weeks=run.args.weeks)
    drivers = driver_impact(run.store(), team_id=team_id)
    gaps = escalation_topics(run.store(), team_id=team_id, weeks=run.args.weeks)
    if run.out.as_json:
        def rate(r: object) -> dict[str, object]:
            return {"value": getattr(r, "value", None), "count": getattr(r, "count", 0)}

        run.out.json({
            "weeks": [{"week": w.label, "first_contact_resolution":
                       rate(w.first_contact_resolution), "repeat_contacts":
                       rate(w.repeat_contacts), "reopen": rate(w.reopen),
                       "satisfaction": rate(w.satisfaction), "self_rating":
                       rate(w.self_rating)} for w in weeks],
            "drivers": [{"driver": d.driver, "correlation": d.correlation,
                         "responses": d.responses, "mean": d.mean} for d in drivers],
            "escalation_topics": [{"group": t.group, "kind": t.kind.value,
                                   "escalations": t.escalations,
                                   "with_article": t.with_article} for t in gaps.topics]})
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
    run.out.table(["driver", "r>", "responses>", "mean>"], [
        (d.driver.replace("_", " "), mean(d.correlation), str(d.responses), mean(d.mean))
        for d in drivers], title="What moves satisfaction (correlation with CSAT)")
    run.out.table(["group", "kind", "escalated>", "with article>", "without>"], [
        (t.group, t.kind.value, str(t.escalations), str(t.with_article), str(t.without_article))
        for t in gaps.topics],
        title=f"What 1st line could take on next: escalations of the last {gaps.weeks} weeks "
        f"({gaps.covered} of {len(gaps.topics)} topics have an article)",
        empty="no escalations")
    run.out.hint("Quality, not stopwatches: no handling times and no per-agent figures here.")
