"""`deskterm feedback import|mine|follow-up` and `deskterm quality`: what customers say."""

from __future__ import annotations

from pathlib import Path

from deskterm.cli.runtime import Run, Subparsers, add_command, add_group, add_limit
from deskterm.domain.enums import Channel
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number, percent


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "feedback", _("customer feedback: CSAT and quality drivers"))
    parser = add_command(
        group, "import", import_, _("import survey responses from a CSV file (leads)"),
        description=_("Import responses: good rows are kept, bad rows reported with their line "
        "numbers, responses already recorded counted once. Comma- or semicolon-separated "
        "(Excel). Columns (header row required): ticket, csat (required), reliability, "
        "empathy, customer_focus, customer_knowledge, waiting_time, accessibility, "
        "phone_menu (1-5 or empty), comment, received_at (ISO 8601), kudos."))
    parser.add_argument("file", metavar="FILE.csv",
                        help=_("the survey export (CSV with a header row)"))

    parser = add_command(
        group, "mine", mine, _("responses on your tickets, unhappy first, and your own trend"),
        description=_("Your own feedback: responses on tickets you owned, the unhappy ones "
        "(CSAT 1-2, or a comment) not yet followed up first; then your self-ratings beside "
        "your customers' CSAT for 8 weeks. Only you see this."))
    add_limit(parser, 50)
    parser = add_command(group, "follow-up", follow_up_, _("log the follow-up contact of a "
                         "response and mark it followed up"))
    parser.add_argument("ref", metavar="ID|KEY",
                        help=_("the response's id (as `feedback mine` shows) or its ticket"))
    parser.add_argument("--summary", required=True, metavar="S", help=_("what you told them"))
    parser.add_argument("--channel", default="phone", choices=[c.value for c in Channel],
                        help=_("how you reached the customer (default: phone)"))

    parser = add_command(subparsers, "quality", quality,
                         _("the team's quality per week and what drives satisfaction (leads)"))
    parser.add_argument("--weeks", type=int, default=8, metavar="N", help=_("weeks (default 8)"))
    parser.add_argument("--all-teams", action="store_true", help=_("the whole desk (admins)"))


def import_(run: Run) -> None:
    from deskterm.services.feedback import import_csv

    report = import_csv(run.ctx, Path(run.args.file).expanduser())
    if run.out.as_json:
        run.out.json({"imported": report.imported, "kudos": report.kudos,
                      "already_recorded": report.duplicates,
                      "bad": [{"line": line, "error": why} for line, why in report.bad]})
    else:
        said = [ngettext("Imported {count} response", "Imported {count} responses",
                         report.imported).format(count=number(report.imported))]
        if report.kudos:
            said.append(ngettext("{count} compliment shared as kudos",
                                  "{count} compliments shared as kudos",
                                  report.kudos).format(count=number(report.kudos)))
        if report.duplicates:
            said.append(ngettext("{count} already recorded, counted once",
                                  "{count} already recorded, counted once",
                                  report.duplicates).format(count=number(report.duplicates)))
        if report.bad:
            said.append(ngettext("{count} bad row skipped", "{count} bad rows skipped",
                                 len(report.bad)).format(count=number(len(report.bad))))
        # Separate clauses of one report, each a whole message: their order is no grammar.
        run.out.line("; ".join(said))
        for line, why in report.bad:
            run.out.line(_("  line {line}: {why}").format(line=line, why=why))
    if report.bad and not report.imported and not report.duplicates:
        raise InvalidInput(_("no row of {path} could be imported").format(path=run.args.file))


def mine(run: Run) -> None:
    from deskterm.cli import tables
    from deskterm.services.feedback_loop import my_feedback, my_trend

    found = my_feedback(run.ctx, limit=run.args.limit)
    trend = my_trend(run.ctx)
    if run.out.as_json:
        from deskterm.cli import shapes

        run.out.json({"responses": [shapes.response(run, r) for r in found],
                      "trend": [{"week": w.label, "self_rating": w.self_rating,
                                 "self_ratings": w.self_ratings, "csat": w.csat,
                                 "responses": w.responses, "gap": w.gap,
                                 "stands_out": w.stands_out} for w in trend]})
        return
    tables.responses(run, found, title=_("Your customers' feedback (unhappy first)"),
                     empty=_("no feedback on your tickets yet"), with_ticket=True)

    def mean(value: float | None) -> str:
        return "—" if value is None else number(value, 1)

    run.out.table([_("week"), _("self>"), _("n>"), _("CSAT>"), _("n>"), _("gap>"), ""], [
        (w.label, mean(w.self_rating), str(w.self_ratings), mean(w.csat), str(w.responses),
         "—" if w.gap is None else ("+" if w.gap > 0 else "") + number(w.gap, 1),
         _("you rated it well above your customers") if w.stands_out else "")
        for w in trend], title=_("Your self-ratings beside your customers' CSAT (only you)"))
    waiting = sum(1 for r in found if r.unhappy and r.followed_up_at is None)
    if waiting:
        run.out.hint(ngettext("{count} unhappy response to follow up: deskterm feedback "
                              "follow-up ID --summary S",
                              "{count} unhappy responses to follow up: deskterm feedback "
                              "follow-up ID --summary S", waiting).format(count=number(waiting)))


def follow_up_(run: Run) -> None:
    from deskterm.services.feedback_loop import follow_up

    mark = follow_up(run.ctx, run.args.ref, summary=run.args.summary,
                     channel=run.args.channel)
    if run.out.as_json:
        run.out.json({"id": mark.id, "feedback_id": mark.feedback_id,
                      "contact_id": mark.contact_id})
        return
    run.out.line(_("Followed up: the contact is logged and the response marked"))


def quality(run: Run) -> None:
    from deskterm.services.drivers import driver_importance
    from deskterm.services.knowledge_gaps import escalation_topics
    from deskterm.sync.figures import quality_weeks

    ctx = run.ctx
    ctx.require_lead(_("only a team lead or admin may see the quality figures"))
    if not 1 <= run.args.weeks <= 52:
        raise InvalidInput(_("--weeks must be 1 to 52"))
    if run.args.all_teams and ctx.actor.role.value != "admin":
        raise InvalidInput(_("--all-teams is for admins; leads see their own team"))
    team_id = None if run.args.all_teams else ctx.actor.team_id
    weeks = quality_weeks(ctx, run.login, team_id=team_id, weeks=run.args.weeks)
    analysis = driver_importance(run.store(), team_id=team_id)
    drivers = analysis.drivers
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
            "drivers": [{"driver": d.driver, "share": d.share, "low": d.low, "high": d.high,
                         "responses": d.responses, "mean": d.mean, "note": d.note or None}
                        for d in drivers],
            "drivers_r_squared": analysis.r_squared, "drivers_responses": analysis.responses,
            "escalation_topics": [{"group": t.group, "kind": t.kind.value,
                                   "escalations": t.escalations,
                                   "with_article": t.with_article} for t in gaps.topics]})
        return

    def pct(value: float | None) -> str:
        return "—" if value is None else percent(value)

    def mean(value: float | None) -> str:
        return "—" if value is None else number(value, 2)

    run.out.table([_("week"), _("FCR>"), _("repeat>"), _("reopen>"), _("CSAT>"), _("self>"),
                   _("resolved>")], [
        (w.label, pct(w.first_contact_resolution.value), pct(w.repeat_contacts.value),
         pct(w.reopen.value), mean(w.satisfaction.value), mean(w.self_rating.value),
         str(w.first_contact_resolution.count)) for w in weeks],
        title=_("Quality per week"))
    run.out.table([_("driver"), _("share>"), _("95% interval>"), _("responses>"), _("mean>"), ""], [
        (d.driver.replace("_", " "), pct(d.share),
         "—" if d.low is None or d.high is None else f"{pct(d.low)}–{pct(d.high)}",
         str(d.responses), mean(d.mean), d.note) for d in drivers],
        title=_("What drives satisfaction (share of the CSAT the drivers explain)")
        if analysis.r_squared is None else
        _("What drives satisfaction (share of the CSAT the drivers explain, R² {r2})").format(
            r2=number(analysis.r_squared, 2)))
    from deskterm.services.feedback_loop import unhappy_without_follow_up

    waiting = unhappy_without_follow_up(run.store(), team_id=team_id)
    run.out.line(_("Unhappy responses still without a follow-up: {count}").format(
        count=number(waiting)))
    run.out.table([_("group"), _("kind"), _("escalated>"), _("with article>"), _("without>")], [
        (t.group, t.kind.label, str(t.escalations), str(t.with_article), str(t.without_article))
        for t in gaps.topics],
        title=_("What 1st line could take on next: escalations of the last {weeks} weeks "
                "({covered} of {topics} topics have an article)").format(
            weeks=gaps.weeks, covered=gaps.covered, topics=len(gaps.topics)),
        empty=_("no escalations"))
    run.out.hint(_("Quality, not stopwatches: no handling times and no per-agent figures here."))
