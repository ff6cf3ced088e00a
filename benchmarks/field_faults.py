"""The Amazon Linux 2 seed model under field faults: apply and teardown times with 20% throttling, 5% 5xx and 5%
lost answers, against the same runs on a well-behaved endpoint, as ratios within one run."""

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools.local_endpoint import REPO, endpoint_env, run_playbook, running_endpoint  # noqa: E402

MODEL = os.path.join(REPO, "playbooks", "vars", "webserver_prd.yml")
PLAYBOOK = os.path.join(REPO, "playbooks", "patching_model.yml")
TEARDOWN = os.path.join(REPO, "playbooks", "teardown.yml")
FIELD = {"throttle": 0.2, "error": 0.05, "lost": 0.05}


def post(url, path, payload=None):
    request = urllib.request.Request(url + path, data=json.dumps(payload or {}).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.read()


def logged(log_path, since):
    with open(log_path, encoding="utf-8") as log:
        log.seek(since)
        return [json.loads(line) for line in log if line.strip()]


def timed(env, playbook, log_path):
    since = os.path.getsize(log_path)
    start = time.perf_counter()
    result = run_playbook(env, playbook, f"@{MODEL}", capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{os.path.basename(playbook)} failed:\n{result.stdout[-3000:]}")
    entries = logged(log_path, since)
    return seconds, len(entries), sum(1 for entry in entries if entry.get("fault_kind"))


def measure(url, env, log_path, faults):
    post(url, "/_patchmodel/reset")
    post(url, "/_patchmodel/faults", faults)
    apply = timed(env, PLAYBOOK, log_path)
    teardown = timed(env, TEARDOWN, log_path)
    post(url, "/_patchmodel/faults", {})
    return apply, teardown


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 23, 37])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        log_path = os.path.join(work, "requests.jsonl")
        open(log_path, "w").close()
        with running_endpoint(request_log=log_path) as url:
            env = endpoint_env(url)
            for seed in args.seeds:
                clean = measure(url, env, log_path, {})
                faulted = measure(url, env, log_path, dict(FIELD, seed=seed))
                rows.append((seed, clean, faulted))
    print("seed  run       clean s  calls  faulted s  calls  faults  ratio")
    for seed, clean, faulted in rows:
        for name, index in (("apply", 0), ("teardown", 1)):
            (c_s, c_calls, _), (f_s, f_calls, faults) = clean[index], faulted[index]
            ratio = f_s / c_s
            print(f"{seed:4d}  {name:8s} {c_s:8.1f} {c_calls:6d} {f_s:10.1f} {f_calls:6d} {faults:7d} {ratio:6.2f}x")


if __name__ == "__main__":
    main()
