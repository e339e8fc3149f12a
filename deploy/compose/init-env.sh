#!/bin/sh
# Writes the secrets docker-compose.yml requires into an .env file (default:
# the one beside docker-compose.yml), generating each one the file does not
# hold yet. A value already there is kept, so running it again changes
# nothing: regenerating ORCHESTRATOR_SECRET would invalidate every API key,
# and PostgreSQL keeps the password it was initialised with.
#
#   sh deploy/compose/init-env.sh [path/to/.env]
#
# Values are hex (from /dev/urandom): they go into DATABASE_URL and REDIS_URL
# as they are. The file is left readable by its owner only.
set -eu

env_file=${1:-"$(dirname "$0")/../../.env"}

# name:bytes of randomness (hex doubles the length).
specs="POSTGRES_PASSWORD:24 REDIS_PASSWORD:24 ORCHESTRATOR_SECRET:32 ORCHESTRATOR_ADMIN_KEY:32 ORCHESTRATOR_METRICS_TOKEN:24 GRAFANA_ADMIN_PASSWORD:16"

random_hex() {
  od -An -v -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

umask 077
touch "$env_file"
chmod 600 "$env_file"

# An empty `NAME=` line would shadow or be shadowed by ours: say so rather than guess.
for spec in $specs; do
  name=${spec%%:*}
  if grep -q "^$name=[[:space:]]*$" "$env_file"; then
    echo "$env_file: $name is empty; set a value or delete the line, then run this again" >&2
    exit 1
  fi
done

# Appending after a last line without its newline would join two lines.
if [ -s "$env_file" ] && [ -n "$(tail -c 1 "$env_file")" ]; then
  echo >>"$env_file"
fi

added=""
for spec in $specs; do
  name=${spec%%:*}
  bytes=${spec#*:}
  grep -q "^$name=" "$env_file" && continue
  printf '%s=%s\n' "$name" "$(random_hex "$bytes")" >>"$env_file"
  added="$added $name"
done

if [ -n "$added" ]; then
  echo "$env_file: generated$added"
else
  echo "$env_file: every secret was already set; nothing changed"
fi
echo "The first admin key is ORCHESTRATOR_ADMIN_KEY in $env_file (sign in to the dashboard with it, or: orchestrator login)."
