#!/usr/bin/env bash
# How tests/server/data/*.sqlite and *.pg.sql were made: a deskterm release's own server
# and CLI fill a server database with real data, as its agents would have.
#
#   git worktree add /tmp/first-release f840b3f          # the first release with a server
#   python3 -m venv /tmp/venv-first && /tmp/venv-first/bin/pip install -e /tmp/first-release
#   tests/server/data/make_old_server_database.sh /tmp/venv-first/bin/deskterm \
#       sqlite:////tmp/out/server.db tokens.json
#   (and with postgresql+psycopg://postgres@127.0.0.1:5432/DB, then pg_dump --inserts)
#
# Accounts (an agent, a lead, an admin), then pushed changes from an old client: a
# customer, a ticket, a contact with a private self-rating, an article, a goodwill
# allocation and spend, a mood and kudos.
set -euo pipefail
deskterm="$1"
url="$2"
tokens="$3"  # the accounts' tokens, so a test can sync as them after the upgrade
port="${4:-18765}"
work="$(mktemp -d)"
export DESKTERM_CONFIG="$work/none.toml" HOME="$work/home"
alex_token="$("$deskterm" server user add alex --role agent --team north --database-url "$url")"
morgan_token="$("$deskterm" server user add morgan --role lead --team north --database-url "$url")"
root_token="$("$deskterm" server user add root --role admin --database-url "$url")"
printf '{"alex": "%s", "morgan": "%s", "root": "%s"}\n' \
    "$alex_token" "$morgan_token" "$root_token" >"$tokens"
"$deskterm" serve --database-url "$url" --port "$port" 2>"$work/serve.log" &
server=$!
trap 'kill $server; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

as() {  # as HANDLE TOKEN deskterm-args...: the old client, with its own store and config
    local handle="$1" token="$2"; shift 2
    DESKTERM_CONFIG="$work/$handle.toml" DESKTERM_DB="$work/$handle.db" "$deskterm" "$@"
}
login() {  # the first release took --token TOKEN; later ones read it from stdin
    if "$deskterm" login --help | grep -q -- "--token-file"; then
        printf '%s\n' "$2" | as "$1" "$2" login --server "http://127.0.0.1:$port" --token -
    else
        as "$1" "$2" login --server "http://127.0.0.1:$port" --token "$2"
    fi
}
login alex "$alex_token" >/dev/null
login morgan "$morgan_token" >/dev/null
customer="$(as alex "$alex_token" --json customer new --name "Jo Jansen" \
    --email jo@example.org --phone "+31 6 1234 5678" --notes "prefers phone" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
as alex "$alex_token" ticket new --customer "$customer" --subject "Printer offline" \
    --description "The office printer drops off the network" --priority P2 >/dev/null
as alex "$alex_token" contact log --customer "$customer" --channel phone \
    --summary "Walked Jo through a restart" --rating 4 >/dev/null
as alex "$alex_token" kb new --title "Printer offline" --body "Restart, then re-pair." >/dev/null
as alex "$alex_token" mood 4 --note "a good day" >/dev/null
as alex "$alex_token" sync >/dev/null
as morgan "$morgan_token" sync >/dev/null
as morgan "$morgan_token" goodwill allocate alex 50.00 --reason "monthly budget" >/dev/null
as morgan "$morgan_token" kudos add --message "Great save with the printer" --about alex --from "Jo Jansen" >/dev/null
as morgan "$morgan_token" sync >/dev/null
as alex "$alex_token" sync >/dev/null
as alex "$alex_token" goodwill spend 12.50 --reason "late delivery" --customer "$customer" \
    >/dev/null
as alex "$alex_token" sync >/dev/null
