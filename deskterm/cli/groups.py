"""`deskterm group ...`: the resolver groups escalations go to, and their members."""

from __future__ import annotations

from deskterm.cli.runtime import Run, Subparsers, add_command, add_group
from deskterm.i18n import _
from deskterm.services import groups
from deskterm.services.groups import GroupView


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "group", _("resolver groups (2nd and 3rd line) and members"))
    parser = add_command(group, "add", add, _("make a resolver group (leads and admins)"))
    parser.add_argument("name", metavar="NAME", help=_("the group's name"))
    parser.add_argument("--tier", required=True, type=int,
                        choices=[int(tier) for tier in groups.ESCALATION_TIERS],
                        help=_("2 (second line) or 3 (third line)"))
    parser.add_argument("--lead", metavar="HANDLE", help=_("the group's lead (also a member)"))

    add_command(group, "list", list_, _("every resolver group with its lead and members"))

    parser = add_command(group, "members", members,
                         _("a group's members; --add and --remove change them (leads)"))
    parser.add_argument("name", metavar="NAME", help=_("the group's name"))
    parser.add_argument("--add", action="append", default=[], metavar="HANDLE",
                        help=_("add this agent (repeat for more)"))
    parser.add_argument("--remove", action="append", default=[], metavar="HANDLE",
                        help=_("remove this agent (repeat for more)"))


def _shape(view: GroupView) -> dict[str, object]:
    return {"id": view.id, "name": view.name, "tier": int(view.tier), "lead": view.lead_handle,
            "members": view.members, "open_escalations": view.open_escalations}


def add(run: Run) -> None:
    made = groups.add_group(run.ctx, run.args.name, tier=run.args.tier, lead=run.args.lead)
    view = groups.group_view(run.store(), made.id)
    if run.out.as_json:
        run.out.json(_shape(view))
        return
    made_line = (_("Group {name} (tier {tier}) made, led by {lead}") if view.lead_handle
                 else _("Group {name} (tier {tier}) made"))
    run.out.line(made_line.format(name=view.name, tier=int(view.tier), lead=view.lead_handle))


def list_(run: Run) -> None:
    found = groups.list_groups(run.store())
    if run.out.as_json:
        run.out.json([_shape(view) for view in found])
        return
    run.out.table([_("GROUP"), _("TIER>"), _("LEAD"), _("MEMBERS"), _("ESCALATED>")],
                  ([v.name, str(int(v.tier)), v.lead_handle or "—", ", ".join(v.members) or "—",
                    str(v.open_escalations)] for v in found),
                  empty=_("no resolver groups yet (a lead adds one: deskterm group add NAME "
                  "--tier 2)"))


def members(run: Run) -> None:
    args = run.args
    if args.add or args.remove:
        groups.change_members(run.ctx, args.name, add=args.add, remove=args.remove)
    view = groups.group_view(run.store(), args.name)
    if run.out.as_json:
        run.out.json(_shape(view))
        return
    run.out.table([_("MEMBER")], ([handle] for handle in view.members),
                  title=_("{name} (tier {tier})").format(name=view.name, tier=int(view.tier)),
                          empty=_("no members yet"))
