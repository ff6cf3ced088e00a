"""One lock around everything that touches moto's backends: its request dispatch (app.py) and the SSM backend's
reads of moto's EC2 instances (ssm/fleet_nodes.py). moto's backends are not all thread-safe, and werkzeug serves
each request in a thread of its own. Reentrant, as a dispatch may lead to a read."""

import threading

MOTO_LOCK = threading.RLock()
