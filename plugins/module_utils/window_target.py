# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Maintenance window targets: the field table, lookup within the window by id or name, checks, and the resource
the driver runs for ssm_window_target."""

from __future__ import annotations

import uuid

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.patchmodel.ssm.plugins.module_utils import targets as target_utils
from ansible_collections.patchmodel.ssm.plugins.module_utils.fields import SEND_ALWAYS, Field, Form
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import problem, unreported
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import Resource
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import exactly_one, paginate, write_once
from ansible_collections.patchmodel.ssm.plugins.module_utils.window import find_parent_window

# UpdateMaintenanceWindowTarget with Replace=true sets what it is not sent to null, so the request always carries
# the whole target.
# AWS: UpdateMaintenanceWindowTarget.Replace
FORM = Form(
    Field("name", "Name", send=SEND_ALWAYS, required=True),
    Field("description", "Description", sensitive=True, clear=""),
    # UpdateMaintenanceWindowTarget takes no ResourceType: it is sent to register only, and another one is refused
    # (state_problems).
    # AWS: shape:UpdateMaintenanceWindowTarget.ResourceType
    Field("resource_type", "ResourceType", update=False, choices=["INSTANCE", "RESOURCE_GROUP"]),
    Field("owner_information", "OwnerInformation", sensitive=True, clear=""),
    Field("targets", "Targets", target_utils.TARGETS, send=SEND_ALWAYS),
)


# --- forms

# The form of a DescribeMaintenanceWindowTargets entry (or an UpdateMaintenanceWindowTarget answer).
from_api = FORM.from_api


def to_result(form, window_id, window_target_id):
    return {"window_id": window_id, "window_target_id": window_target_id, **form} if form else {}


def registered_targets(reads, window_id):
    """The window's targets (DescribeMaintenanceWindowTargets), read once per run until a target of it is written."""
    return reads.once(
        ("targets", window_id),
        lambda: paginate(reads.client, "describe_maintenance_window_targets", "Targets", WindowId=window_id),
    )


# --- the resource


class WindowTarget(Resource):
    kind = "maintenance window target"
    result_key = "window_target"
    form = FORM
    id_key = "WindowTargetId"
    id_option = "window_target_id"
    arn_type = "windowtarget"
    window_id = None  # the parent window's id, once found (None: check mode before the window exists)
    response = None  # the UpdateMaintenanceWindowTarget answer, which the result is read from

    @classmethod
    def argument_spec(cls):
        return target_utils.window_part_spec(FORM, "window_target_id", force=dict(type="bool", default=False))

    def option_problems(self):
        params = self.params
        problems = target_utils.window_target_problems(params["targets"], params["resource_type"])
        target_id = params["window_target_id"]
        if target_id and not target_utils.WINDOW_TARGET_ID.match(target_id):
            problems.append(problem("window_target_id", f"'{target_id}' is not a window target id (a UUID)"))
        found = FORM.problems(self.checker, "UpdateMaintenanceWindowTarget", FORM.from_options(params))
        return problems + unreported(found, problems)

    def find(self):
        self.window_id = find_parent_window(self.module, self.reads)
        if self.window_id is None:
            return None
        registered = registered_targets(self.reads, self.window_id)
        wanted_id, name = self.params["window_target_id"], self.params["name"]
        if not wanted_id:
            # AWS has no Name filter for window targets: match names here.
            matches = [target for target in registered if target.get("Name") == name]
            return exactly_one(self.module, matches, self.kind, name, "WindowTargetId")
        current = next((target for target in registered if target["WindowTargetId"] == wanted_id), None)
        if current is None and self.params["state"] == "present":
            self.module.fail_json(msg=f"Maintenance window {self.window_id} has no target {wanted_id}")
        return current

    def describe(self, current):
        return to_result(from_api(current), self.window_id, current["WindowTargetId"])

    def delete(self, current, before):
        self.reads.forget(("targets", self.window_id))
        try:
            # DoesNotExist on a retry: the first attempt deregistered it and its answer was lost.
            write_once(
                self.client.deregister_target_from_maintenance_window,
                "DoesNotExistException",
                WindowId=self.window_id,
                WindowTargetId=current["WindowTargetId"],
                Safe=not self.params["force"],
            )
        except is_boto3_error_code("TargetInUseException") as error:
            self.module.fail_json_aws(
                error,
                msg=f"Window target {current['WindowTargetId']} is still named by tasks of window {self.window_id}; "
                "remove those tasks first, or set force=true",
            )

    def desired(self, current_form):
        # The resource type follows from the target keys when neither the options nor the target give one.
        desired = FORM.merge(current_form, FORM.from_options(self.params))
        desired["resource_type"] = desired["resource_type"] or target_utils.implied_resource_type(desired["targets"])
        return desired

    def state_problems(self, current_form, desired):
        if current_form is None:
            return [] if desired["targets"] else [problem("targets", "required to register a window target")]
        problems = []
        wanted, resource_type = self.params["resource_type"], current_form["resource_type"]
        if wanted and wanted != resource_type:  # AWS: shape:UpdateMaintenanceWindowTarget.ResourceType
            problems.append(
                problem(
                    "resource_type",
                    f"the target is {resource_type}, and AWS cannot change it in place; "
                    "deregister it (state=absent) and register it again",
                )
            )
        if self.params["targets"] is not None:
            problems += target_utils.window_target_problems(self.params["targets"], resource_type)
        return problems

    def create(self, desired):
        self.reads.forget(("targets", self.window_id))
        response = self.client.register_target_with_maintenance_window(
            aws_retry=True, WindowId=self.window_id, ClientToken=str(uuid.uuid4()), **FORM.to_request(desired, True)
        )
        return response["WindowTargetId"]

    def update(self, current, desired):
        self.reads.forget(("targets", self.window_id))
        self.response = self.client.update_maintenance_window_target(
            aws_retry=True,
            WindowId=self.window_id,
            WindowTargetId=current["WindowTargetId"],
            Replace=True,
            **FORM.to_request(desired, False),
        )

    def read(self, identity, current, desired, wrote):
        if current is None:
            return to_result(desired, self.window_id, identity)
        # The update's answer is the target as AWS now holds it, but for its ResourceType: no read is needed.
        answer = {**self.response, "ResourceType": current["ResourceType"]} if self.response else current
        return to_result(from_api(answer), self.window_id, identity)

    def predicted(self, identity, current, desired):
        return to_result(desired, self.window_id, identity)
