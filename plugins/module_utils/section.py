# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Section modules: one module run applies a whole section of the model (every window with its targets and tasks,
every baseline, every document), each resource through the same driver as its singular module.

1. Every item is checked against its singular module's argument spec and option checks before any call; all
   problems of all items fail the run together.
2. The items run in units (a window with its targets and tasks; the baselines of one operating system; one
   document), units side by side in a bounded thread pool (botocore clients are thread-safe). They share one Reads:
   each kind listed once, tags read many at a time.
3. A resource that fails does not stop the others; the run then fails listing every failure, with the results of
   the rest. Each result says the resource's kind, name, id and whether it changed, with its diff in --diff.
"""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.text.converters import to_native
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.reads import Reads
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import outcome, problems_of

MAX_WORKERS = 8  # within botocore's default pool of 10 connections per client


def section_spec(items_option, **options):
    """The argument spec of a section module: its list of items (checked item by item, see Item), the tags and
    purge_tags every item gets, the thread pool's size and more."""
    return dict(
        {items_option: dict(type="list", elements="dict", default=[])},
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        max_workers=dict(type="int", default=MAX_WORKERS),
        **options,
    )


class ItemFailed(Exception):
    """A resource of a section module failed; the others go on."""

    def __init__(self, msg, details=None):
        super().__init__(msg)
        self.msg, self.details = msg, details or {}


class ItemModule:
    """The module as one resource of a section module sees it: the item's options as its params, and a failure that
    fails this resource alone."""

    fail_on_problems = PatchModelModule.fail_on_problems

    def __init__(self, module, params, label):
        self.module, self.params, self.label = module, params, label
        self.section_module = module  # what the run shares: its region, the caller's ARN parts (arns.py)
        self.check_mode, self._diff = module.check_mode, module._diff

    def fail_json(self, msg, **details):
        raise ItemFailed(msg, details)

    def fail_json_aws(self, exception, msg, **details):
        error = getattr(exception, "response", {}).get("Error", {})
        raise ItemFailed(f"{msg}: {to_native(exception)}", dict(details, error=error))

    def warn(self, warning):
        self.module.warn(f"{self.label}: {warning}")


class Item:
    """One resource of a section: its class, its checked options and its label ("maintenance window 'X'")."""

    def __init__(self, resource_class, params, label, path):
        self.resource_class, self.params, self.label, self.path = resource_class, params, label, path
        self.problems = []
        self.result = None  # once run: the result entry

    @classmethod
    def checked(cls, module, resource_class, raw, path, label, drop=(), given=None):
        """The item for `raw`, checked against the singular module's spec (without the options in `drop`, which the
        section sets: `given`). Ansible masks its no_log values in the module's output, as for any option."""
        spec = {key: value for key, value in resource_class.argument_spec().items() if key not in drop}
        validated = ArgumentSpecValidator(spec, **resource_class.rules).validate(dict(raw or {}))
        module.no_log_values.update(validated._no_log_values)
        params = dict(validated.validated_parameters, **(given or {}))
        item = cls(resource_class, params, label.format(name=params.get("name")), path)
        item.problems = [f"{path}: {message}" for message in validated.error_messages]
        return item


class Section:
    """The run of one section module: its items in units, their results and failures."""

    def __init__(self, module, listing=True):
        self.module = module
        self.client = module.ssm_client()
        tagging = module.aws_client("resourcegroupstaggingapi") if listing else None
        self.reads = Reads(self.client, listing=listing, tagging_client=tagging, warn=module.warn)
        self.checker = RequestChecker()

    def resource(self, item):
        return item.resource_class(
            ItemModule(self.module, item.params, item.label), self.client, self.checker, self.reads
        )

    def check(self, items):
        """Fail, before any call, listing every problem of every item."""
        problems = []
        for item in items:
            found = item.problems or [f"{item.path}: {problem}" for problem in problems_of(self.resource(item))]
            problems += found
        if problems:
            self.module.fail_json(msg="Invalid parameters: " + "; ".join(problems), problems=problems)

    def apply(self, item):
        """Run one item through the driver; its result entry (a failure is one too)."""
        resource = self.resource(item)
        entry = {"kind": resource.result_key, "name": item.params.get("name"), "label": item.label}
        try:
            result = outcome(resource)
        except ItemFailed as failure:
            item.result = dict(entry, changed=False, action="failed", failed=True, msg=failure.msg, **failure.details)
            return item.result
        entry["id"] = result[resource.result_key].get(resource.id_option) or resource.found_id
        if result[resource.result_key].get("arn"):
            entry["arn"] = result[resource.result_key]["arn"]
        entry["action"] = action(resource, result["changed"])
        item.result = dict(entry, **result)
        return item.result

    def run(self, units, run_unit, max_workers):
        """Run each unit (a list of items, in order) with run_unit(section, unit); units side by side."""
        if units:
            with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(units)))) as pool:
                list(pool.map(lambda unit: run_unit(self, unit), units))

    def exit(self, items):
        """Exit with every item's result; fail listing the failures when there are any."""
        results = [item.result for item in items if item.result is not None]
        changed = [entry for entry in results if entry.get("changed")]
        summary = {
            "changed": bool(changed),
            "resources": results,
            "changed_resources": [f"{entry['label']}: {entry['action']}" for entry in changed],
        }
        if self.module._diff:
            summary["diff"] = [
                dict(entry["diff"], before_header=entry["label"], after_header=entry["label"])
                for entry in changed
                if entry.get("diff")
            ]
        failed = [entry for entry in results if entry.get("failed")]
        if failed:
            messages = "; ".join(f"{entry['label']}: {entry['msg']}" for entry in failed)
            self.module.fail_json(msg=f"{len(failed)} of {len(items)} resources failed: {messages}", **summary)
        self.module.exit_json(**summary)


def action(resource, changed):
    """What the run did to the resource: created, updated, deleted or nothing (unchanged)."""
    if not changed:
        return "unchanged"
    if resource.found_id is None:
        return "created"
    return "deleted" if resource.params["state"] == "absent" else "updated"


def with_tags(params, tags, purge_tags):
    """The item's params with the section's tags over its own (the section's win) and the section's purge_tags."""
    params = copy.copy(params)
    if tags is not None or params.get("tags") is not None:
        params["tags"] = dict(params.get("tags") or {}, **(tags or {}))
    params["purge_tags"] = purge_tags
    return params
