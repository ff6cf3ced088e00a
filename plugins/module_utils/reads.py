# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one module run reads of AWS, each read made once and shared by the resources of the run and its threads.

A singular module manages one resource and reads exactly what it needs, by name filter where AWS has one. A section
module manages many: with `listing`, the resource modules list each kind once (every window, every baseline) and pick
from the list, and tags come from one paginated Resource Groups Tagging API GetResources call per resource type
instead of one ListTagsForResource per resource ("read many"). Either way a read named by the same key is made once.
"""

from __future__ import annotations

import threading

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.patchmodel.ssm.plugins.module_utils.tags import get_tags

# The tagging API's type filter ("service:resourceType") of each SSM resource type the modules tag.
# AWS: tagging:GetResources.ResourceTypeFilters
TAGGING_TYPES = {
    "MaintenanceWindow": "ssm:maintenancewindow",
    "PatchBaseline": "ssm:patchbaseline",
    "Document": "ssm:document",
}
# Refusals that mean "not allowed to use the tagging API": tags are then read one resource at a time.
DENIED_CODES = ("AccessDeniedException", "AccessDenied", "UnauthorizedOperation")  # AWS: guide:json-access-denied-400


class _Once:
    """One read: made by the first thread that asks, waited for by the others; a failure is not kept."""

    def __init__(self):
        self.lock = threading.Lock()
        self.done = False
        self.value = None

    def get(self, compute):
        with self.lock:
            if not self.done:
                self.value = compute()
                self.done = True
            return self.value


def resource_id_of(arn):
    """The SSM resource id (window id, baseline id, document name) that ends an ARN of the tagging API's answer."""
    # arn:<partition>:ssm:<region>:<account>:<type>/<id>  # AWS: guide:ssm-resource-arns
    return arn.split(":", 5)[5].split("/", 1)[1]


class Reads:
    """The reads of one module run. `listing`: list each kind once and read tags many at a time (section modules)."""

    def __init__(self, client, listing=False, tagging_client=None, warn=None):
        self.client = client
        self.listing = listing
        self.tagging_client = tagging_client
        self.warn = warn or (lambda message: None)
        self._memo = {}
        self._lock = threading.Lock()

    def once(self, key, compute):
        """compute() the first time `key` is asked for; its value every later time (in any thread)."""
        with self._lock:
            entry = self._memo.setdefault(key, _Once())
        return entry.get(compute)

    def forget(self, key):
        """Drop what was read under `key`, after a write changed it."""
        with self._lock:
            self._memo.pop(key, None)

    # --- tags

    @property
    def bulk_tags(self):
        return self.listing and self.tagging_client is not None

    def tags(self, resource_type, resource_id):
        """The resource's tags: from the type's one tagging API listing when listing, else its own read."""
        if self.bulk_tags:
            listed = self.once(("tagged", resource_type), lambda: self._tagged(resource_type))
            # The tagging API leaves out resources never tagged; those, and all of them when the API is refused, are
            # read one at a time.  # AWS: tagging:GetResources
            if listed is not None and resource_id in listed:
                return dict(listed[resource_id])
        return self.listed_tags(resource_type, resource_id)

    def listed_tags(self, resource_type, resource_id):
        """The resource's tags as SSM itself lists them (ListTagsForResource): the read to trust before a tag write,
        since the tagging API may answer a little behind."""
        key = ("tags", resource_type, resource_id)
        return self.once(key, lambda: get_tags(self.client, resource_type, resource_id))

    def _tagged(self, resource_type):
        """resource id -> tags of every tagged resource of the type in the account and region; None when the caller
        may not use the tagging API (tag:GetResources)."""
        found, params = {}, {"ResourceTypeFilters": [TAGGING_TYPES[resource_type]], "ResourcesPerPage": 100}
        try:
            while True:
                response = self.tagging_client.get_resources(aws_retry=True, **params)
                for mapping in response.get("ResourceTagMappingList") or []:
                    found[resource_id_of(mapping["ResourceARN"])] = boto3_tag_list_to_ansible_dict(mapping["Tags"])
                params["PaginationToken"] = response.get("PaginationToken")
                if not params["PaginationToken"]:
                    return found
        except is_boto3_error_code(DENIED_CODES):
            self.warn(
                "tag:GetResources is not allowed for these credentials: tags are read one resource at a time "
                "(ssm:ListTagsForResource), one more API call per resource. Allow tag:GetResources to read them "
                "in one call."
            )
            return None
