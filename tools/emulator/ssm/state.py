"""In-memory state of the emulated SSM service: one RegionState per (account, region), as AWS keeps it."""

import threading

from .common import DEFAULT_ACCOUNT_ID
from .registry import SEEDERS


class RegionState:
    """Everything SSM holds for one (account, region); handlers lock it while they work."""

    def __init__(self, region, account=DEFAULT_ACCOUNT_ID):
        self.region = region
        self.account = account
        self.lock = threading.RLock()
        self.client_tokens = {}
        # Each area keeps its own collections here; see baselines.py, windows.py and documents.py.
        self.baselines = {}  # baseline id -> baseline dict (API field names)
        self.patch_groups = {}  # (patch group, operating system) -> baseline id
        self.default_baselines = {}  # operating system -> baseline id (absent: the AWS-owned default)
        self.windows = {}  # window id -> window dict
        self.window_targets = {}  # window id -> {target id -> target dict}
        self.window_tasks = {}  # window id -> {task id -> task dict}
        self.documents = {}  # document name -> document record (versions, default, tags)
        self.tags = {}  # (resource type, resource id) -> {key: value}; kept once tagged, until the resource goes
        self.extra = {}  # room for later areas (managed nodes, commands, compliance)


class Backend:
    """The SSM service across accounts and regions: nothing made in one (account, region) is seen in another."""

    def __init__(self):
        self._states = {}
        self._lock = threading.Lock()

    def region(self, name, account=DEFAULT_ACCOUNT_ID):
        """The state of region `name` in `account` (the default account unless given), made on first use."""
        with self._lock:
            key = (account, name)
            if key not in self._states:
                state = RegionState(name, account)
                for seed in SEEDERS:
                    seed(state)
                self._states[key] = state
            return self._states[key]
