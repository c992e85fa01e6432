"""`deskterm agent ...` and `deskterm department ...`: the desk's accounts and departments."""

from __future__ import annotations

from rich.text import Text

from deskterm.cli import shapes
from deskterm.cli.runtime import Run, Subparsers, add_command, add_group
from deskterm.domain.enums import Role, Tier
from deskterm.i18n import _
from deskterm.services import org


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "agent", _("list and add agent accounts"))
    parser = add_command(group, "list", list_agents, _("agents by handle"))
    parser.add_argument("--team", metavar="T", help=_("only this team"))

    parser = add_command(group, "add", add_agent,
                         _("add an agent account (admins; the first one on a new store: anyone)"),
                         description=_("Add an agent account. Admins only, except the first "
                         "account of an empty store, which anyone may add and which is "
                         "always an admin (no --as needed)."))
    parser.add_argument("handle", metavar="HANDLE", help=_("2-32 lowercase letters, digits, . _ -"))
    parser.add_argument("--name", required=True, metavar="NAME", help=_("the agent's full name"))
    parser.add_argument("--role", choices=[r.value for r in Role], default=Role.AGENT.value,
                        help=_("what the account may do (default agent)"))
    parser.add_argument("--tier", type=int, choices=[int(tier) for tier in Tier],
                        default=int(Tier.FIRST),
                        help=_("support line: 1 the desk, 2 or 3 specialists (default 1)"))
    parser.add_argument("--team", metavar="TEAM", help=_("made when it does not exist yet"))
    parser.add_argument("--email", metavar="E", help=_("the agent's email address"))

    group = add_group(subparsers, "department", _("the departments the desk serves"))
    add_command(group, "list", list_departments, _("departments by code"))
    parser = add_command(group, "add", add_department, _("add a department (leads and admins)"))
    parser.add_argument("code", metavar="CODE", help=_("short code, e.g. IT"))
    parser.add_argument("name", metavar="NAME", help=_("e.g. 'Human Resources'"))


def list_agents(run: Run) -> None:
    agents = org.list_agents(run.store(), team=run.args.team)
    if run.out.as_json:
        run.out.json([shapes.agent(agent, team) for agent, team in agents])
        return
    run.out.table(
        [_("HANDLE"), _("NAME"), _("ROLE"), _("TIER>"), _("TEAM"), _("EMAIL"), _("ACTIVE")],
        ([Text(a.handle, style="bold"), a.name, a.role.label, str(int(a.tier)), team, a.email,
          _("yes") if a.active else Text(_("no"), style="dim")] for a, team in agents),
        empty=_("no agents yet: add the first with `deskterm agent add HANDLE --name NAME`"),
    )


def add_agent(run: Run) -> None:
    args = run.args
    store = run.store(create=True)
    acting = run.ctx if run.handles else None  # the first account needs nobody to act
    agent = org.add_agent(acting, store, handle=args.handle, name=args.name, role=args.role,
                          tier=args.tier, team=args.team, email=args.email)
    team = {a.id: t for a, t in org.list_agents(store)}.get(agent.id)
    if run.out.as_json:
        run.out.json(shapes.agent(agent, team))
    else:
        # TRANSLATORS: {role} is the role's word (agent, lead or admin).
        added = (_("Added {role} {handle} ({name}), tier {tier}, team {team}") if team
                 else _("Added {role} {handle} ({name}), tier {tier}"))
        run.out.line(added.format(role=agent.role.label, handle=agent.handle, name=agent.name,
                                  tier=int(agent.tier), team=team))
    if acting is None:
        run.out.hint(_("act as them with --as {handle}, DESKTERM_AGENT={handle}, or "
                       "agent = \"{handle}\" in the config file").format(handle=agent.handle))


def list_departments(run: Run) -> None:
    departments = org.list_departments(run.store())
    if run.out.as_json:
        run.out.json([shapes.department(d) for d in departments])
        return
    run.out.table([_("CODE"), _("NAME")], ([d.code, d.name] for d in departments),
                  empty=_("no departments yet"))


def add_department(run: Run) -> None:
    department = org.add_department(run.ctx, code=run.args.code, name=run.args.name)
    if run.out.as_json:
        run.out.json(shapes.department(department))
        return
    run.out.line(_("Added department {code} ({name})").format(code=department.code,
                                                               name=department.name))
