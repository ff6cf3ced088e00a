"""`python -m tools.emulator --port N`: serve the local AWS endpoint on 127.0.0.1:N."""

import argparse
import json
import logging
import os
import sys

from werkzeug.serving import run_simple

from .app import FAULTS_PATH, LocalAWS
from .faults import FaultPolicy, parse_spec

FAULTS_HELP = (
    "inject faults, each kind with its own rate: throttle (the service's throttling error), error (its 5xx) and "
    "lost (the call is applied, then answered with its 5xx), e.g. 'throttle=0.2,error=0.05,lost=0.05'; or the "
    f"JSON object POST {FAULTS_PATH} takes, e.g. "
    '\'{"lost": 1.0, "operations": ["CreateDocument"], "count": 1}\''
)


def fault_policy(args):
    """The FaultPolicy of the command line: --faults, or the older --fault-rate R (throttle=R/2, error=R/2)."""
    if args.faults is not None and args.fault_rate is not None:
        raise ValueError("--faults and --fault-rate exclude each other")
    if args.fault_rate is not None:
        config = {"throttle": args.fault_rate / 2, "error": args.fault_rate / 2}
    else:
        config = parse_spec(args.faults or "")
    return FaultPolicy.from_config(config, seed=args.fault_seed)


EPILOG = f"""\
faults: throttle and error reject a call before it takes effect; lost applies it and answers the 5xx. Each
service answers its real codes on its own wire (SSM/Logs JSON, IAM/SNS/STS query XML, EC2 XML with 503
RequestLimitExceeded, S3 503 SlowDown). On a running endpoint, POST {FAULTS_PATH} with a JSON body
{{"throttle": 0.2, "error": 0.05, "lost": 0.05, "seed": 3, "operations": [...], "services": [...], "count": N}}
sets them (reseeding the RNG), {{}} clears them, GET reads them back. /_patchmodel/ paths are never faulted.
The request log of a faulted call has fault (the code), fault_kind and applied (lost calls: applied_status);
every entry has access_key, the caller's access key id, and account, the account that key belongs to.

accounts: state is kept per (account, region). Default keys belong to moto's default account 123456789012; keys
from STS AssumeRole to the role's account. AssumeRole is refused (AccessDenied) unless the role exists and trusts
the caller; POST /_patchmodel/account-role?account=A&role=R[&external_id=X] makes a role in any account, trusting
the default account."""


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.emulator",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1", help="loopback only; the default")
    parser.add_argument("--request-log", help="append one JSON line per request to this file")
    parser.add_argument("--log-responses", action="store_true", help="also log SSM response bodies")
    parser.add_argument("--faults", metavar="SPEC", help=FAULTS_HELP)
    parser.add_argument("--fault-seed", type=int, default=0, help="seed of the fault RNG (default 0)")
    parser.add_argument("--fault-rate", type=float, metavar="R", help="shorthand for --faults throttle=R/2,error=R/2")
    parser.add_argument("--access-log", action="store_true", help="print one line per HTTP request")
    args = parser.parse_args(argv)
    if not args.host.startswith("127.") and args.host not in ("localhost", "::1"):
        parser.error("the local endpoint serves on a loopback address only")
    try:
        faults = fault_policy(args)
    except (ValueError, TypeError) as error:  # json.JSONDecodeError is a ValueError
        parser.error(f"--faults: {error}")
    if not args.access_log:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # AWS accounts have the AWS managed policies (AmazonSSMManagedInstanceCore, ...); moto loads them on request.
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    app = LocalAWS(args.request_log, args.log_responses, faults)
    print(f"local AWS endpoint on http://{args.host}:{args.port}", flush=True)
    if any(faults.rates.values()):
        print(f"faults: {json.dumps(faults.describe())}", flush=True)
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
