"""Counts the module runs of a playbook run per host and action, for benchmarks/model_scale.py.

A loop item is one run, and so is each retry of an `until` loop. Tasks the controller answers alone (set_fact,
assert, debug, validate_argument_spec, ...) are counted under their action too; the benchmark tells them apart.
At the end the counts go, as JSON {host: {action: runs}}, to the file named by PATCHMODEL_MODULE_RUNS_FILE.
"""

import collections
import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: module_runs
type: aggregate
short_description: Count module runs per host and action (benchmarks only)
description:
  - "Writes {host: {action: runs}} as JSON to the file named by the environment variable PATCHMODEL_MODULE_RUNS_FILE."
"""

OUTPUT_VARIABLE = "PATCHMODEL_MODULE_RUNS_FILE"


def _attempts(result):
    return int(result.get("attempts") or 1)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "module_runs"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.runs = collections.defaultdict(collections.Counter)

    def _count(self, result, runs):
        # resolved_action is only reliable per item for loops and per task otherwise (ansible's Task docstring).
        action = result.task.resolved_action or result.task.action
        self.runs[result.host.get_name()][action] += runs

    @staticmethod
    def _loops(result):
        return bool(result.task.loop or result.task.loop_with)

    def _task_done(self, result):
        if not self._loops(result):  # a loop's items were counted one by one
            self._count(result, _attempts(result.result))

    def v2_runner_on_ok(self, result):
        self._task_done(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._task_done(result)

    def v2_runner_item_on_ok(self, result):
        self._count(result, _attempts(result.result))

    def v2_runner_item_on_failed(self, result):
        self._count(result, _attempts(result.result))

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get(OUTPUT_VARIABLE)
        if path:
            with open(path, "w", encoding="utf-8") as output:
                json.dump({host: dict(actions) for host, actions in self.runs.items()}, output, indent=1)
