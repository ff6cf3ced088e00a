"""In-memory state of one region of the emulated SSM service."""

import threading

from .registry import SEEDERS


class RegionState:
    """Everything SSM holds for one (account, region); handlers lock it while they work."""

    def __init__(self, region):
        self.region = region
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
        self.tags = {}  # (resource type, resource id) -> {key: value}
        self.extra = {}  # room for later areas (managed nodes, commands, compliance)


class Backend:
    """The SSM service across regions."""

    def __init__(self):
        self._regions = {}
        self._lock = threading.Lock()

    def region(self, name):
        with self._lock:
            if name not in self._regions:
                state = RegionState(name)
                for seed in SEEDERS:
                    seed(state)
                self._regions[name] = state
            return self._regions[name]
