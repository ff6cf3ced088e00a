"""`python -m tools.emulator --port N`: serve the local AWS endpoint on 127.0.0.1:N."""

import argparse
import logging
import os
import sys

from werkzeug.serving import run_simple

from .app import LocalAWS


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.emulator", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1", help="loopback only; the default")
    parser.add_argument("--request-log", help="append one JSON line per request to this file")
    parser.add_argument("--log-responses", action="store_true", help="also log SSM response bodies")
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="fraction of calls answered with ThrottlingException or a 5xx"
    )
    parser.add_argument("--fault-seed", type=int, default=0)
    parser.add_argument("--access-log", action="store_true", help="print one line per HTTP request")
    args = parser.parse_args(argv)
    if not args.host.startswith("127.") and args.host not in ("localhost", "::1"):
        parser.error("the local endpoint serves on a loopback address only")
    if not args.access_log:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # AWS accounts have the AWS managed policies (AmazonSSMManagedInstanceCore, ...); moto loads them on request.
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    app = LocalAWS(args.request_log, args.log_responses, args.fault_rate, args.fault_seed)
    print(f"local AWS endpoint on http://{args.host}:{args.port}", flush=True)
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
