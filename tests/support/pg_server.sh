#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests (the CTest fixture
# `postgres`, tests/CMakeLists.txt):
#
#   pg_server.sh start FILE   start a fresh cluster, write its socket dir to FILE
#   pg_server.sh stop FILE    stop it and remove it and FILE
#
# The cluster lives in a directory made by mktemp under /tmp: its path stays
# short (a Unix socket path has at most 107 bytes) and the postgres user can
# reach it wherever the build tree is. It listens only on the Unix socket
# <dir>/.s.PGSQL.54329, with trust authentication for the role salesint and
# durability switched off, as nothing in it outlives the test run.
# The binaries are Debian's postgresql-15 (PG_BIN overrides their directory);
# as root, the server runs as the user postgres, since initdb refuses root.
# A server left by an aborted run (same FILE) is stopped and replaced.
# Anything that keeps the server from starting fails, with a one-line reason.
set -euo pipefail

PORT=54329
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

fail() {
    echo "pg_server.sh: $*" >&2
    exit 1
}

# initdb refuses to run as root: run the server as the postgres user then.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Stops the cluster FILE names, if any, and removes it and FILE.
stop() {
    local file=$1 dir
    [ -f "$file" ] || return 0
    dir=$(cat "$file")
    if [ -n "$dir" ] && [ -d "$dir/data" ]; then
        as_owner "$PG_BIN/pg_ctl" stop -D "$dir/data" -m immediate >/dev/null 2>&1 || true
    fi
    # Only ever a directory this script made, never what a stray FILE says.
    case $dir in /tmp/salesint-pg-??????) rm -rf "$dir" ;; esac
    rm -f "$file"
}

start() {
    local file=$1 dir
    stop "$file"
    for tool in initdb pg_ctl; do
        [ -x "$PG_BIN/$tool" ] || fail "cannot start PostgreSQL: $PG_BIN/$tool not found (install postgresql-15)"
    done
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || fail "cannot start PostgreSQL as root: no user postgres"
    fi
    dir=$(mktemp -d /tmp/salesint-pg-XXXXXX)
    # Recorded first, so that whatever happens next, stop finds what to remove.
    echo "$dir" >"$file"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
    cd "$dir"  # the postgres user may not be able to read the caller's cwd
    if ! as_owner "$PG_BIN/initdb" -D "$dir/data" -A trust -U salesint --no-sync -E UTF8 \
        --locale=C >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        stop "$file"
        fail "initdb failed (log above)"
    fi
    if ! as_owner "$PG_BIN/pg_ctl" start -D "$dir/data" -w -t 60 -l "$dir/server.log" \
        -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off \
            -c listen_addresses='' -c unix_socket_directories=$dir \
            -c max_connections=300 -p $PORT" >/dev/null; then
        tail -n 20 "$dir/server.log" >&2
        stop "$file"
        fail "the server did not start (log above)"
    fi
}

[ $# -eq 2 ] || fail "usage: pg_server.sh start|stop FILE"
file=$(realpath -m -- "$2")  # start changes directory
case $1 in
    start) start "$file" ;;
    stop) stop "$file" ;;
    *) fail "usage: pg_server.sh start|stop FILE" ;;
esac
