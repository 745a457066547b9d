#!/usr/bin/env python3
# The storage floor of `execute --batch`: Python's sqlite3 inserts the rows a
# batch wrote (each execution and its two outbox rows), read back from a
# state file that `execute --batch` filled, into fresh files with salesint's
# page size, cache and transactions of 4,000 executions, once with the
# schema's indexes and once per index left out. What no code of ours can go
# below with this layout, and what each random-key index costs.
#
#   bench/store_floor.py STATE.db      # a state file after `execute fsm.order.intake.v2 --batch`
import os
import sqlite3
import sys
import tempfile
import time

EXECUTION_COLUMNS = ("tenant_id, execution_id, message_id, adapter_id, adapter_version, mode, "
                     "connector_code, input_sha256, input, status, output, error, attempts, "
                     "duration_ms, correlation_id, causation_id, created_at, retries, updated_at")
OUTBOX_COLUMNS = "tenant_id, message_id, topic, partition_key, envelope, created_at, envelope_from"


def layout(unique_execution_id, unique_outbox_message_id):
    return [
        "CREATE TABLE executions (id INTEGER PRIMARY KEY, tenant_id TEXT, execution_id TEXT "
        + ("UNIQUE" if unique_execution_id else "") + ", message_id TEXT, adapter_id TEXT, "
        "adapter_version TEXT, mode TEXT, connector_code TEXT, input_sha256 TEXT, input TEXT, "
        "status TEXT, output TEXT, error TEXT, attempts INTEGER, duration_ms INTEGER, "
        "correlation_id TEXT, causation_id TEXT, created_at TEXT, retries INTEGER, "
        "updated_at TEXT, UNIQUE (tenant_id, message_id, mode))",
        "CREATE TABLE outbox_rows (id INTEGER PRIMARY KEY, tenant_id TEXT, message_id TEXT, "
        "topic TEXT, partition_key TEXT, envelope TEXT, created_at TEXT, published_at TEXT, "
        "publish_attempts INTEGER DEFAULT 0, last_error TEXT DEFAULT '', dead_lettered_at TEXT, "
        "envelope_from INTEGER"
        + (", UNIQUE (tenant_id, message_id))" if unique_outbox_message_id else ")"),
        "CREATE INDEX outbox_unpublished ON outbox_rows (tenant_id, published_at, id)",
    ]


def run(label, statements, executions, outbox, directory):
    path = os.path.join(directory, label.replace(" ", "_") + ".db")
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("page_size = 16384", "journal_mode = WAL", "cache_size = -16384",
                   "wal_autocheckpoint = 4096"):
        db.execute("PRAGMA " + pragma)
    for statement in statements:
        db.execute(statement)
    per_execution = len(outbox) // max(1, len(executions))
    start = time.monotonic()
    for first in range(0, len(executions), 4000):
        db.execute("BEGIN IMMEDIATE")
        for i in range(first, min(len(executions), first + 4000)):
            db.execute(f"INSERT INTO executions ({EXECUTION_COLUMNS}) VALUES "
                       f"({','.join('?' * 19)})", executions[i])
            for row in outbox[i * per_execution:(i + 1) * per_execution]:
                db.execute(f"INSERT INTO outbox_rows ({OUTBOX_COLUMNS}) VALUES "
                           f"({','.join('?' * 7)})", row)
        db.execute("COMMIT")
    seconds = time.monotonic() - start
    db.close()
    size = os.path.getsize(path)
    print(f"{label:48s} {len(executions) / seconds:9.0f} executions/s "
          f"{size / len(executions):7.0f} bytes each")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench/store_floor.py STATE.db")
    source = sqlite3.connect(sys.argv[1])
    executions = source.execute(f"SELECT {EXECUTION_COLUMNS} FROM executions ORDER BY id").fetchall()
    outbox = source.execute(f"SELECT {OUTBOX_COLUMNS} FROM outbox_rows ORDER BY id").fetchall()
    source.close()
    with tempfile.TemporaryDirectory() as directory:
        run("schema 7 (as salesint writes)", layout(True, False), executions, outbox, directory)
        run("with schema 6's unique outbox message id", layout(True, True), executions, outbox,
            directory)
        run("without the unique execution id either", layout(False, False), executions, outbox,
            directory)


if __name__ == "__main__":
    main()
