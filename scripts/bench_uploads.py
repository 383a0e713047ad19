#!/usr/bin/env python3
"""Uploads under load: peak memory of the server, how long each import
takes, and how long ordinary writes wait meanwhile.

Starts `needsdb serve` (release build) on a fresh SQLite file, or on the
PostgreSQL URL in NEEDSDB_BENCH_POSTGRES_URL (a database it drops and
creates afresh), then for 1, 8 and 16 uploads
at once of a generated HXL CSV file (60 MB by default; NEEDSDB_BENCH_MB),
sends the uploads, follows each job to its end, and meanwhile creates one
need a second through the API. Prints figures; asserts nothing about time.

    python3 scripts/bench_uploads.py [path/to/needsdb]

Only the standard library: nothing to install.
"""

import json
import shutil
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/needsdb"
MB = int(os.environ.get("NEEDSDB_BENCH_MB", "60"))
ROUNDS = [int(n) for n in os.environ.get("NEEDSDB_BENCH_UPLOADS", "1,8,16").split(",")]
COUNTRIES = ["KEN", "UGA", "TZA", "ETH", "SOM", "SDN", "NGA", "GHA", "IND", "PAK", "BGD", "IDN"]
ITEMS = ["PPE-MASK-MED", "PPE-GOWN", "PPE-GLOVE-EXAM", "BIO-O2-CONCENTRATOR"]


def make_csv(path, target_bytes, tag):
    """A file of need rows with their own external ids, about target_bytes long."""
    n = 0
    with open(path, "w") as f:
        f.write("#meta+id,#country+code,#item+code,#need+num,#severity,#date+needed,#description\n")
        written = 0
        while written < target_bytes:
            line = f"{tag}-{n},{COUNTRIES[n % len(COUNTRIES)]},{ITEMS[n % len(ITEMS)]},{n % 5000 + 1},low,2027-06-30,for district {n % 97}\n"
            f.write(line)
            written += len(line)
            n += 1
    return n


def request(base, method, path, token, body=None, headers=None):
    req = urllib.request.Request(base + path, data=body, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def vm_hwm_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def vm_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    work = tempfile.mkdtemp(prefix="needsdb-bench-uploads-")
    url = os.environ.get("NEEDSDB_BENCH_POSTGRES_URL") or f"sqlite://{work}/bench.sqlite"
    if url.startswith("postgres"):
        # A fresh database each run (psql, from the PostgreSQL client tools).
        server_url, name = url.rsplit("/", 1)
        admin = server_url + "/postgres"
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    env = dict(os.environ, NEEDSDB_UPLOAD_DIR=work, NEEDSDB_LOG="warn")
    run = lambda *a: subprocess.run([BIN, "--database", url, *a], env=env, check=True, capture_output=True, text=True)
    run("migrate")
    token = run("tokens", "create", "admin@localhost").stdout.strip()
    server = subprocess.Popen([BIN, "--database", url, "serve", "--listen", "127.0.0.1:0"], env=env,
                              stderr=subprocess.PIPE, text=True)
    base = None
    for line in server.stderr:
        if line.startswith("needsdb is listening on "):
            base = line.split()[-1]
            break
    threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
    print(f"store: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}; file size {MB} MB; binary {BIN}")
    print(f"server RSS at rest: {vm_rss_mb(server.pid):.0f} MB")
    print()
    print("Peak RSS is the server's high-water mark since it started (VmHWM).")
    print()
    print("| uploads at once | rows each | slowest import | peak RSS (VmHWM) | writes meanwhile | slowest write | failed writes |")
    print("|---|---|---|---|---|---|---|")
    try:
        for round_no, count in enumerate(ROUNDS):
            files = []
            for i in range(count):
                p = os.path.join(work, f"upload-{round_no}-{i}.csv")
                rows = make_csv(p, MB * 1024 * 1024, f"r{round_no}u{i}")
                files.append((p, rows))
            stop = threading.Event()
            writes = []

            def writer():
                body = json.dumps({"country": "KEN", "item": "PPE-GOWN", "quantity": 5, "priority": "low",
                                   "needed_by": "2027-06-30"}).encode()
                while not stop.is_set():
                    t = time.monotonic()
                    status, _, _ = request(base, "POST", "/api/v1/needs", token, body,
                                           {"Content-Type": "application/json"})
                    writes.append((time.monotonic() - t, status))
                    stop.wait(1.0)

            w = threading.Thread(target=writer)
            w.start()
            started = time.monotonic()
            jobs, errors = [], []

            def upload(path):
                with open(path, "rb") as f:
                    data = f.read()
                status, headers, body = request(base, "POST", "/api/v1/imports?name=" + os.path.basename(path),
                                                 token, data, {"Content-Type": "text/csv"})
                if status != 202:
                    errors.append((status, body[:200]))
                else:
                    jobs.append(headers.get("Location") or headers.get("location"))

            ups = [threading.Thread(target=upload, args=(p,)) for p, _ in files]
            for t in ups:
                t.start()
            for t in ups:
                t.join()
            states = {}
            while len(states) < len(jobs):
                for j in jobs:
                    if j in states:
                        continue
                    _, _, body = request(base, "GET", j, token)
                    job = json.loads(body)
                    if job["state"] not in ("queued", "checking", "writing"):
                        states[j] = (job["state"], time.monotonic() - started, job.get("report") or {})
                time.sleep(0.5)
            stop.set()
            w.join()
            for p, _ in files:
                os.remove(p)
            slowest = max(t for _, t, _ in states.values()) if states else 0
            bad = [s for s, _, r in states.values() if s != "done" or not r.get("committed")]
            slow_write = max((t for t, _ in writes), default=0)
            failed = sum(1 for _, s in writes if s != 201)
            print(f"| {count} | {files[0][1]:,} | {slowest:.1f} s | {vm_hwm_mb(server.pid):.0f} MB | {len(writes)} "
                  f"| {slow_write:.2f} s | {failed} |")
            refused = sorted({s for _, s in writes if s != 201})
            if refused:
                print(f"  writes refused with status {refused} (503 carries Retry-After; nothing is written)")
            if errors or bad:
                print(f"  upload errors: {errors}; jobs not written: {bad}")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
