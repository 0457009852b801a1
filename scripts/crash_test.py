#!/usr/bin/env python3
"""The crash test behind scripts/crash-test (see there)."""
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

kills, actors, trama = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
work = tempfile.mkdtemp(prefix="trama-crash-")
env = dict(os.environ, TRAMA_SEEDS=os.path.join(root, "seeds"), USER="crash-test")
rng = random.Random(11)


def run(*args, check=True):
    return subprocess.run([trama, *args], env=env, cwd=work, capture_output=True, text=True, check=check)


def copy_store(src, dst):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
        if os.path.exists(src + suffix):
            shutil.copyfile(src + suffix, dst + suffix)


def state(db):
    """The graph as a user would lose it: its full export, and the log's length."""
    out = run("export", "--graph", "g", "--format", "json", "--db", db).stdout
    data = json.loads(out)
    log = json.loads(run("log", "--graph", "g", "--json", "--db", db).stdout)
    return json.dumps(data, sort_keys=True), len(log["changes"])


def sqlite_checks(db):
    con = sqlite3.connect(db)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchall()
        foreign = con.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        con.close()
    return integrity == [("ok",)], foreign


def sheets(seed, folder):
    os.makedirs(folder, exist_ok=True)
    subprocess.run([sys.executable, os.path.join(root, "scripts", "synth.py"), "--actors", str(actors),
                    "--seed", str(seed), "--out", folder], check=True, capture_output=True)
    return [os.path.join(folder, "actors.csv"), os.path.join(folder, "relations.csv")]


def edited(old, folder):
    """The sheets re-imported after a lab: a fifth of the names changed, one
    relation in seven gone, a tenth more actors."""
    import csv
    os.makedirs(folder, exist_ok=True)
    with open(old[0], newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    name = header.index("Name") if "Name" in header else 1
    out = [header]
    for i, row in enumerate(body):
        row = list(row)
        if i % 5 == 0:
            row[name] += " (rinominato)"
        out.append(row)
    for row in body[: len(body) // 10]:
        row = list(row)
        row[0] = "n" + row[0]
        out.append(row)
    with open(os.path.join(folder, "actors.csv"), "w", newline="") as f:
        csv.writer(f).writerows(out)
    with open(old[1], newline="") as f:
        rows = list(csv.reader(f))
    with open(os.path.join(folder, "relations.csv"), "w", newline="") as f:
        csv.writer(f).writerows([rows[0]] + [r for i, r in enumerate(rows[1:]) if i % 7 != 0])
    return [os.path.join(folder, "actors.csv"), os.path.join(folder, "relations.csv")]


def main():
    old = sheets(7, os.path.join(work, "old"))
    new = edited(old, os.path.join(work, "new"))
    base = os.path.join(work, "base.db")
    run("import", *old, "--graph", "g", "--db", base)
    before = state(base)
    after_db = os.path.join(work, "after.db")
    copy_store(base, after_db)
    started = time.monotonic()
    run("import", *new, "--graph", "g", "--db", after_db)
    duration = time.monotonic() - started
    after = state(after_db)
    assert before != after, "the two imports must differ"
    # The new sheets as one JSON body, for the server's import route.
    body = run("export", "--graph", "g", "--format", "json", "--db", after_db).stdout.encode()
    token = run("token", "create", "--graph", "*", "--role", "admin", "--db", base).stdout.strip()
    print(f"crash test: {kills} kills, {actors} actors, an uninterrupted import takes {duration:.2f} s")

    db = os.path.join(work, "crash.db")
    outcome = {"before": 0, "after": 0}
    for i in range(kills):
        copy_store(base, db)
        through_server = i % 2 == 1
        if through_server:
            log = open(os.path.join(work, "serve.log"), "w")
            server = subprocess.Popen([trama, "serve", "--db", db, "--port", "0"], env=env, cwd=work,
                                      stdout=log, stderr=subprocess.STDOUT)
            address = None
            for _ in range(200):
                text = open(os.path.join(work, "serve.log")).read()
                found = re.search(r"http://[0-9.]+:[0-9]+", text)
                if found:
                    address = found.group(0)
                    break
                time.sleep(0.05)
            assert address, "the server did not start: " + open(os.path.join(work, "serve.log")).read()
            request = urllib.request.Request(
                f"{address}/v1/graphs/g/import", data=body, method="POST",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            import threading
            threading.Thread(target=lambda: _post(request), daemon=True).start()
            victim = server
        else:
            victim = subprocess.Popen([trama, "import", *new, "--graph", "g", "--db", db], env=env, cwd=work,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration * 2))
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        ok, foreign = sqlite_checks(db)
        assert ok, f"kill {i + 1}: integrity_check failed"
        assert not foreign, f"kill {i + 1}: foreign_key_check: {foreign[:3]}"
        now = state(db)
        if now == before:
            outcome["before"] += 1
        elif now[0] == after[0]:
            outcome["after"] += 1
        else:
            sys.exit(f"kill {i + 1} ({'server' if through_server else 'import'}): the store is neither the old nor the new state")
    print(f"crash test: {kills} kills survived ({outcome['before']} left the old state, {outcome['after']} the new one); "
          "integrity_check ok and foreign_key_check empty after each")


def _post(request):
    try:
        urllib.request.urlopen(request, timeout=120).read()
    except Exception:
        pass  # the server was killed: that is the test


try:
    main()
finally:
    shutil.rmtree(work, ignore_errors=True)
