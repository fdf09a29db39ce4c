#!/usr/bin/env python3
"""One stand-in FoundUps agent for the stress tests: standard-library sqlite3 only, connected the way the
agents connect (sqlite3.connect(timeout=...), PRAGMA foreign_keys=ON, PRAGMA busy_timeout), writing
with the data contract's own INSERT statements, one short transaction per row, as fast as it can.

Every row carries the writer's name and a sequence number (0, 1, 2, ... per writer and table, advanced
only after a successful commit), so the caller can prove afterwards that every committed row is in the
database exactly once: for each table, count = max(seq) + 1 = number of distinct seqs = committed.

Usage: agent_writer.py --db PATH --name w1 [--seconds 30] [--timeout 5]
Stops after --seconds, or earlier on SIGTERM (after the row in progress, which is committed or not).
Prints one JSON line on stdout at the end:
  {"name", "seconds", "committed": {table: n}, "post_ids_sha256", "errors": n, "error_samples": [...],
   "busy_waits_over_1s": n, "commit_ms": {"p50", "p95", "p99", "max"}}
Exit status 0 when no error happened, 1 otherwise.
"""
import argparse
import hashlib
import json
import signal
import sqlite3
import sys
import time
import uuid
from datetime import datetime, timezone

# The contract's statements (SCHEMA.md of the agents' data contract), verbatim in shape.
RECORD_POST = (
    "INSERT INTO agents_social_posts (post_id, platform, post_type, content, identity, target_url, "
    "target_author, tone, trigger_context, status, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
HEARTBEAT = (
    "INSERT INTO daemon_health (daemon_name, heartbeat_at, status, video_id, errors_detected, "
    "uptime_seconds, metrics_json) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
ERROR_EVENT = (
    "INSERT INTO error_events (source_module, raised_at, severity, error_type, message, stack_trace, "
    "payload_json) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
BREADCRUMB = (
    "INSERT INTO agents_breadcrumbs (session_id, action, agent_id, query, results, data) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)

# One post for every three telemetry rows: agents emit far more telemetry than posts.
ROTATION = ["agents_social_posts", "daemon_health", "error_events", "agents_breadcrumbs"]
PLATFORMS = ["linkedin", "x", "youtube"]


def connect(path, timeout):
    conn = sqlite3.connect(path, timeout=timeout)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    return conn


def utc_iso():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+00:00"


def insert(conn, table, name, seq):
    """One row in its own transaction (commit on success, rollback on error), as the agents write.
    Returns the new post_id for a post (known committed only once this returns)."""
    post_id = None
    with conn:
        if table == "agents_social_posts":
            post_id = str(uuid.uuid4())
            conn.execute(RECORD_POST, (
                post_id, PLATFORMS[seq % 3], "comment" if seq % 2 else "post",
                f"Stress post {seq} from {name}: what the agents would say <b>here</b> \u2014 \U0001F680",
                f"persona_{seq % 4}", f"https://example.org/thread/{seq}", f"author_{seq % 7}",
                "warm" if seq % 2 else "pushback", "stress test", "pending_review",
                json.dumps({"stress_writer": name, "seq": seq}),
            ))
        elif table == "daemon_health":
            conn.execute(HEARTBEAT, (
                f"stress_{name}", utc_iso(), "running", f"video_{seq % 11}", seq % 3, seq,
                json.dumps({"stress_writer": name, "seq": seq, "cpu_percent": seq % 100}),
            ))
        elif table == "error_events":
            conn.execute(ERROR_EVENT, (
                f"stress_{name}", utc_iso(), "WARNING" if seq % 5 else "ERROR", "TimeoutError",
                f"upstream timed out ({seq})", None, json.dumps({"stress_writer": name, "seq": seq}),
            ))
        else:
            conn.execute(BREADCRUMB, (
                f"stress_{name}", "tick", name, f"query {seq}", json.dumps([seq]),
                json.dumps({"stress_writer": name, "seq": seq}),
            ))
    return post_id


def percentiles(values):
    """p50/p95/p99/max of the commit times (ms), nearest rank."""
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(values)

    def rank(p):
        return round(ordered[min(len(ordered), max(1, -(-len(ordered) * p // 100))) - 1], 1)

    return {"p50": rank(50), "p95": rank(95), "p99": rank(99), "max": round(ordered[-1], 1)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=5.0,
                        help="sqlite3.connect(timeout=...) and busy_timeout, in seconds (the agents use 5)")
    args = parser.parse_args()

    conn = connect(args.db, args.timeout)
    committed = {table: 0 for table in ROTATION}
    post_ids = []
    errors = 0
    samples = []
    slow = 0
    commit_ms = []
    i = 0
    stop = []
    # SIGTERM only sets a flag: the row in progress finishes (commit or rollback) and is reported.
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    started = time.monotonic()
    deadline = started + args.seconds
    while time.monotonic() < deadline and not stop:
        table = ROTATION[i % len(ROTATION)]
        t0 = time.perf_counter()
        try:
            post_id = insert(conn, table, args.name, committed[table])
        except sqlite3.Error as error:  # "database is locked" and anything else the agents would see
            errors += 1
            if len(samples) < 5:
                samples.append(f"{table}: {type(error).__name__}: {error}")
            # An agent would log and carry on; the same seq is retried with the next attempt.
            time.sleep(0.01)
            continue
        ms = (time.perf_counter() - t0) * 1000
        commit_ms.append(ms)
        if ms > 1000:
            slow += 1
        committed[table] += 1
        if post_id:
            post_ids.append(post_id)
        i += 1
    elapsed = time.monotonic() - started
    conn.close()
    print(json.dumps({
        "name": args.name,
        "seconds": round(elapsed, 3),
        "committed": committed,
        "post_ids_sha256": hashlib.sha256("\n".join(sorted(post_ids)).encode()).hexdigest(),
        "errors": errors,
        "error_samples": samples,
        "busy_waits_over_1s": slow,
        "commit_ms": percentiles(commit_ms),
    }))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
