# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The patch baseline the driver (resource.run) runs for ssm_patch_baseline: lookup by id or name, the checks, the
writes, and what lives beside a baseline (tags, patch groups, the default baseline of its operating system).

AWS-owned (predefined) baselines can be read, and made the default again; anything else fails before a call.
"""

from __future__ import annotations

import uuid

from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline import (
    FORM,
    RESOURCE_TYPE,
    diff_view,
    is_aws_owned,
    to_result,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_api import (
    baseline_result,
    ensure_default,
    ensure_patch_groups,
    find_by_name,
    get_baseline,
    patch_group_changes,
    restore_target,
    set_registration,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_validation import (
    identity_problems,
    operating_system_problem,
    patch_group_problems,
    semantic_problems,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import problem, unreported
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import Resource, options_spec
from ansible_collections.patchmodel.ssm.plugins.module_utils.tags import tags_for_create


class Baseline(Resource):
    kind = "patch baseline"
    result_key = "baseline"
    form = FORM
    tag_type = RESOURCE_TYPE
    id_key = "BaselineId"
    id_option = "baseline_id"
    arn_type = "patchbaseline"
    rules = {"required_one_of": [("name", "baseline_id")]}

    @classmethod
    def argument_spec(cls):
        return options_spec(
            FORM,
            "baseline_id",
            tagged=True,
            patch_groups=dict(type="list", elements="str"),
            purge_patch_groups=dict(type="bool", default=True),
            default_baseline=dict(type="bool"),
        )
    options = before = None  # the options the user set (desired), the baseline as found (describe)
    aws_owned = False
    successor = None  # the default baseline that takes over from one to delete
    moved = ()  # the patch groups settle() moved from another baseline

    def option_problems(self):
        return identity_problems(self.checker, self.params["name"], self.params["baseline_id"])

    def find(self):
        """GetPatchBaseline's answer for the baseline the options name, with its id as the user can use it."""
        params = self.params
        baseline_id = params["baseline_id"]
        if not baseline_id:
            identity = find_by_name(self.module, self.client, params["name"], self.reads)
            baseline_id = identity["BaselineId"] if identity else None
        current = get_baseline(self.client, baseline_id) if baseline_id else None
        if current is None and params["state"] == "present":
            if params["baseline_id"]:
                self.module.fail_json(
                    msg=f"No patch baseline has the id {baseline_id}. To create one, give name and "
                    "operating_system without baseline_id."
                )
            elif is_aws_owned(name=params["name"]):
                self.module.fail_json(
                    msg=f"No AWS-owned patch baseline is named {params['name']}; names starting with AWS- belong to "
                    "AWS's predefined baselines. Choose another name for a custom baseline."
                )
        return current

    def describe(self, current):
        self.before = baseline_result(self.client, current, reads=self.reads)
        self.aws_owned = is_aws_owned(self.before["baseline_id"], self.before["name"])
        return self.before

    def check_delete(self, before):
        if self.aws_owned:
            self.module.fail_json(msg=f"Patch baseline {before['name']} is owned by AWS and cannot be deleted.")
        # AWS refuses to delete a default baseline or one registered for patch groups: release both first.
        if before["default_baseline"]:
            self.successor = restore_target(self.module, self.client, before["baseline_id"], before["operating_system"])

    def delete(self, current, before):
        for group in before["patch_groups"]:
            set_registration(self.client, before["baseline_id"], group, before["operating_system"], False)
        if self.successor:
            self.client.register_default_patch_baseline(aws_retry=True, BaselineId=self.successor)
        self.client.delete_patch_baseline(aws_retry=True, BaselineId=before["baseline_id"])

    def desired(self, current_form):
        self.options = FORM.from_options(self.params)
        return FORM.with_defaults(FORM.merge(current_form, self.options) if current_form else self.options)

    def state_problems(self, current_form, desired):
        """Fail, before any write, on every problem in the options (nothing is ever half-applied)."""
        params, current = self.params, current_form or {}
        name = params["name"] or current.get("name")
        found = operating_system_problem(
            params["operating_system"], current.get("operating_system"), current_form is not None, name
        )
        self.module.fail_on_problems([found] if found else [])  # alone: the other checks depend on the system
        problems = semantic_problems(self.options, desired["operating_system"])
        renamed = current_form is not None and params["name"] and params["name"] != current["name"]
        if renamed and is_aws_owned(name=params["name"]) and not is_aws_owned(name=current["name"]):
            problems.append(
                problem("name", f"'{params['name']}' starts with AWS-, which only AWS-owned baselines may use")
            )
        # Both checks name a bad filter key; keep the explanation that knows the operating system.
        # CreatePatchBaseline's input holds every member an update sends, with the same constraints.
        problems += unreported(FORM.problems(self.checker, "CreatePatchBaseline", desired), problems)
        problems += patch_group_problems(self.checker, params["patch_groups"])
        if not problems and self.aws_owned:
            self.refuse_aws_owned_changes(current_form, desired)
        return problems

    def refuse_aws_owned_changes(self, current_form, desired):
        """AWS-owned baselines can only be read, and made the default again."""
        params, fields = self.params, FORM.changed(current_form, desired)
        if params["tags"]:
            fields.append("tags")
        if any(patch_group_changes(self.before["patch_groups"], params["patch_groups"], params["purge_patch_groups"])):
            fields.append("patch_groups")
        if fields:
            self.module.fail_json(
                msg=f"Patch baseline {current_form['name']} is owned by AWS and cannot be changed "
                f"(asked to change: {', '.join(fields)}). Create a custom baseline instead.",
                changed_fields=fields,
            )

    def create(self, desired):
        response = self.client.create_patch_baseline(
            aws_retry=True,
            ClientToken=str(uuid.uuid4()),
            **FORM.to_request(desired, create=True),
            **tags_for_create(self.params["tags"]),
        )
        return response["BaselineId"]

    def update(self, current, desired):
        self.client.update_patch_baseline(
            aws_retry=True,
            BaselineId=current["BaselineId"],
            Replace=True,
            **FORM.to_request(desired, create=False),
        )

    def settle(self, identity, current, desired, before):
        """Tags (none on AWS-owned baselines), patch groups (moved from another baseline of the same system, with a
        warning) and the default baseline."""
        params, operating_system = self.params, desired["operating_system"]
        groups, is_default = before.get("patch_groups"), before.get("default_baseline")  # none before a create
        if self.aws_owned:
            changed, self.tags = False, before["tags"]
        else:
            changed = super().settle(identity, current, desired, before)
        # A patch group holds one baseline per operating system.  # AWS: guide:patch-group-one-baseline-per-os
        groups_changed, self.groups, self.moved = ensure_patch_groups(
            self.module,
            self.client,
            identity,
            operating_system,
            groups,
            params["patch_groups"],
            params["purge_patch_groups"],
        )
        default_changed, self.is_default = ensure_default(
            self.module, self.client, identity, operating_system, is_default, params["default_baseline"]
        )
        if default_changed:
            self.reads.forget(("default", operating_system))
        for move in self.moved:
            self.module.warn(
                f"Patch group '{move['patch_group']}' was registered with baseline {move['from_baseline_name']} "
                f"({move['from_baseline_id']}); it now uses {desired['name']}."
            )
        return changed or groups_changed or default_changed

    def read(self, identity, current, desired, wrote):
        return baseline_result(self.client, get_baseline(self.client, identity))

    def predicted(self, identity, current, desired):
        return to_result(desired, identity, self.groups, self.is_default, self.tags, api=current)

    def extras(self, after):
        return {"moved_patch_groups": list(self.moved)}

    def arn(self, arns, resource_id):
        return arns.patch_baseline(resource_id)  # an AWS-owned baseline's id is its ARN

    def diff_view(self, result):
        return diff_view(result)
