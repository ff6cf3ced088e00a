# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one driver every resource module runs, and the Resource class each resource type fills in.

The driver's steps, the same for every resource (docs/development.md):
  1. check the options alone, before any call          Resource.option_problems
  2. find the resource by id or by name                 Resource.find (ambiguous names fail, listing the ids)
  3. describe it as the module returns it: `before`     Resource.describe
  4. state=absent: refuse or prepare, then delete       Resource.check_delete, Resource.delete
  5. the desired state: options over the current form   Resource.desired (Form.merge by default)
  6. check what needs the current resource              Resource.state_problems
  7. compare and write the smallest change              Form.changed, Resource.create / Resource.update
  8. settle what lives beside the resource              Resource.settle (tags, registrations)
  9. the result, re-read after a real write             Resource.read / Resource.predicted (check mode)
 10. mask what AWS marks sensitive; the diff            Form.sensitive_paths, resource_diff
Writes (create, update, delete) are never called in check mode; every other hook runs in both modes, so check mode
reads what a real run reads and reports what it would do.

Every resource module returns {"changed", <result_key>: the resource (masked), **Resource.extras(), "diff" with
--diff only}.
"""

from __future__ import annotations

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing botocore

from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.arns import Arns
from ansible_collections.patchmodel.ssm.plugins.module_utils.diff import resource_diff
from ansible_collections.patchmodel.ssm.plugins.module_utils.reads import Reads
from ansible_collections.patchmodel.ssm.plugins.module_utils.sensitive import mask_problems, masked
from ansible_collections.patchmodel.ssm.plugins.module_utils.tags import compare_tags, ensure_tags, tag_problems


def options_spec(form, id_option=None, tagged=False, **options):
    """A resource module's argument spec: the table's options, the id option, state, tags and purge_tags (when
    `tagged`), and `options`."""
    spec = dict(form.argument_spec(), **({id_option: dict(type="str")} if id_option else {}))
    spec["state"] = dict(type="str", choices=["present", "absent"], default="present")
    if tagged:
        spec.update(tags=dict(type="dict", aliases=["resource_tags"]), purge_tags=dict(type="bool", default=True))
    return dict(spec, **options)


class Resource:
    """One resource type. Subclasses set the class attributes and override the hooks they need."""

    kind = "resource"  # in messages: "maintenance window"
    result_key = "resource"  # the key of the module's result that holds the resource
    form = None  # its fields.Form
    tag_type = None  # ResourceType of the tag calls, when the resource has tags
    id_key = None  # the member of AWS's answer that holds the id, for the default identity()
    id_option = None  # the key of the result that holds the id
    arn_type = None  # the resource type its ARN names (arns.py), when the result carries one: "maintenancewindow"
    rules = {}  # the module's required_one_of / mutually_exclusive / required_if, beside argument_spec()

    @classmethod
    def argument_spec(cls):
        """The options of the resource's module (a section module takes each item with the same)."""
        raise NotImplementedError

    def __init__(self, module, client, checker, reads=None):
        self.module, self.client, self.checker = module, client, checker
        self.reads = reads or Reads(client)  # shared by the resources of a section module
        self.params = module.params
        self.check_mode = module.check_mode
        self.tags = None  # the resource's tags once settled
        self.found_id = None  # the id of the resource as found, before any write (None: it did not exist)

    # --- 1-3: options, lookup, description

    def option_problems(self):
        """Problems in the options alone (Problem objects)."""
        return []

    def find(self):
        """The resource as AWS answers for it, or None when it does not exist."""
        raise NotImplementedError

    def identity(self, current):
        """The id the writes name the resource by: by default the answer's `id_key` member."""
        return current[self.id_key]

    def describe(self, current):
        """The current resource as the module returns it."""
        raise NotImplementedError

    # --- 4: absent

    def check_delete(self, before):
        """Refusals and reads that must come before a delete (both modes)."""

    def delete(self, current, before):
        raise NotImplementedError

    # --- 5-7: present

    def desired(self, current_form):
        return self.form.merge(current_form, self.form.from_options(self.params))

    def state_problems(self, current_form, desired):
        return []

    def changes(self, current_form, desired):
        """The options whose values a write must change (an update is made only when there are some)."""
        return self.form.changed(current_form, desired)

    def create(self, desired):
        """Create the resource; returns its identity."""
        raise NotImplementedError

    def update(self, current, desired):
        """Write the change; may return False when AWS turns out to hold the desired state already (no change)."""
        raise NotImplementedError

    # --- 8-9: settle and result

    def settle(self, identity, current, desired, before):
        """Bring what lives beside the resource to the options (both modes: no write in check mode). Returns
        whether that changed anything. By default: the tags, when the resource has them."""
        if self.tag_type is None:
            return False
        if current is None:
            self.tags = self.params["tags"] or {}  # sent with the create
            return False
        wanted, purge = self.params["tags"], self.params["purge_tags"]
        if self.reads.bulk_tags and any(compare_tags(before["tags"], wanted, purge)):
            # Tags read many at a time may lag a recent change: a write goes by SSM's own answer.
            before["tags"] = self.reads.listed_tags(self.tag_type, identity)
        changed, self.tags = ensure_tags(
            self.client, self.check_mode, self.tag_type, identity, before["tags"], wanted, purge
        )
        return changed

    def read(self, identity, current, desired, wrote):
        """The resource after a real run changed it; `wrote` says whether create or update changed it."""
        raise NotImplementedError

    def predicted(self, identity, current, desired):
        """The resource as check mode says a real run would leave it."""
        raise NotImplementedError

    def extras(self, after):
        """Keys of the module's result beside `changed`, the resource and `diff`."""
        return {}

    def diff_view(self, result):
        return result

    def arn(self, arns, resource_id):
        """The ARN of the resource with this id (an arns.Arns builds it)."""
        return arns.ssm(f"{self.arn_type}/{resource_id}")

    # --- the driver

    def ensure(self):
        """(changed, before, after): steps 2 to 9."""
        current = self.find()
        before = self.describe(current) if current is not None else {}
        self.found_id = before.get(self.id_option) if current is not None else None
        if self.params["state"] == "absent":
            if current is None:
                return False, before, {}
            self.check_delete(before)
            if not self.check_mode:
                self.delete(current, before)
            return True, before, {}
        current_form = self.form.from_api(current) if current is not None else None
        desired = self.desired(current_form)
        self.module.fail_on_problems(self.state_problems(current_form, desired))
        wrote = current is None or bool(self.changes(current_form, desired))
        identity = self.identity(current) if current is not None else None
        if wrote and not self.check_mode:
            if current is None:
                identity = self.create(desired)
            elif self.update(current, desired) is False:
                wrote = False
        changed = self.settle(identity, current, desired, before) or wrote
        if not changed:
            return False, before, before
        if self.check_mode:
            return True, before, self.predicted(identity, current, desired)
        return True, before, self.read(identity, current, desired, wrote)


def problems_of(resource):
    """Step 1 for any resource: every problem of its options alone (no call made)."""
    params = resource.params
    problems = mask_problems(resource.form.sensitive_paths(), params) + resource.option_problems()
    if resource.tag_type:
        problems += tag_problems(resource.checker, params["tags"])
    return problems


def outcome(resource):
    """Steps 2 to 10 for a resource whose options passed step 1: its module result. Failures go through the
    resource's module (fail_json), which a section module turns into that resource's failure."""
    module, sensitive = resource.module, resource.form.sensitive_paths()
    try:
        changed, before, after = resource.ensure()
        shown = with_arn(resource, after)
    except (BotoCoreError, ClientError) as error:
        module.fail_json_aws(error, msg=f"Failed to manage the {resource.kind}")
    result = {"changed": changed, resource.result_key: masked(shown, sensitive), **resource.extras(after)}
    if module._diff:
        result["diff"] = resource_diff(resource.diff_view(before), resource.diff_view(after), sensitive)
    return result


def with_arn(resource, view):
    """The resource as returned, with its ARN once it has an id: not one that check mode would create, not one that
    was deleted (the ARN is no setting: diffs leave it out)."""
    resource_id = view.get(resource.id_option) if view else None
    if resource.arn_type is None or not resource_id:
        return view
    return dict(view, arn=resource.arn(Arns(resource.module), resource_id))


def run(module, resource_class):
    """Run a resource module: check, find, compare, write, result and diff, as the steps above say."""
    resource = resource_class(module, module.ssm_client(), RequestChecker())
    module.fail_on_problems(problems_of(resource))
    module.exit_json(**outcome(resource))
