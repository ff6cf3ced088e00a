# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ARNs of the resources a module returns, built for the caller's partition, account and the module's region.

The partition and account come from one sts:GetCallerIdentity per module run, made on the first ARN asked for and
kept on the module (a section module's items share their section module's), so a module that returns no ARN makes
no call. GetCallerIdentity needs no permission, so no policy has to allow it. The caller's ARN names the partition
(arn:aws-cn:..., arn:aws-us-gov:...), since an account lives in one partition.
"""

from __future__ import annotations

import threading

_LOCK = threading.Lock()  # the items of a section module ask from several threads
_CACHE = "_patchmodel_caller"  # the attribute of the run's module that keeps (partition, account)


def run_module(module):
    """The module of the run: a section module's item module (section.ItemModule) stands in for its section's."""
    return getattr(module, "section_module", module)


def partition_of(arn):
    """The partition an ARN names: arn:<partition>:<service>:<region>:<account>:<resource>."""
    return arn.split(":", 2)[1]


class Arns:
    """ARNs in the caller's partition and account and the module's region."""

    # Formats: the Service Authorization Reference's resource types of Systems Manager and of EC2.
    # AWS: guide:ssm-resource-arns, guide:ec2-instance-arn

    def __init__(self, module):
        self.module = run_module(module)

    def caller(self):
        """(partition, account) of the caller's credentials: one GetCallerIdentity per module run."""
        with _LOCK:
            found = getattr(self.module, _CACHE, None)
            if found is None:
                # AWS: sts:GetCallerIdentity, guide:arn-partitions
                identity = self.module.aws_client("sts").get_caller_identity(aws_retry=True)
                found = (partition_of(identity["Arn"]), identity["Account"])
                setattr(self.module, _CACHE, found)
            return found

    def arn(self, service, resource, account=None, region=None):
        """arn:<partition>:<service>:<region>:<account>:<resource>; `account` "" for AWS-owned resources."""
        partition, caller_account = self.caller()
        account = caller_account if account is None else account
        region = self.module.region if region is None else region
        return f"arn:{partition}:{service}:{region}:{account}:{resource}"

    def ssm(self, resource, account=None):
        """The ARN of an SSM resource, `resource` being "<type>/<id>" (patchbaseline/pb-0123, document/Name)."""
        return self.arn("ssm", resource, account=account)

    def patch_baseline(self, baseline_id):
        """A baseline's ARN. An AWS-owned baseline's id already is its ARN (in AWS's own account): kept as is."""
        if baseline_id.startswith("arn:"):  # AWS: GetPatchBaseline.BaselineId
            return baseline_id
        return self.ssm(f"patchbaseline/{baseline_id}")

    def maintenance_window(self, window_id):
        return self.ssm(f"maintenancewindow/{window_id}")

    def window_target(self, target_id):
        return self.ssm(f"windowtarget/{target_id}")

    def window_task(self, task_id):
        return self.ssm(f"windowtask/{task_id}")

    def parameter(self, name):
        """A parameter's ARN: its path without the leading slash (parameter/a/b for /a/b, parameter/x for x)."""
        return self.ssm(f"parameter/{name.lstrip('/')}")  # AWS: guide:ssm-resource-arns

    def managed_node(self, node_id):
        """A managed node's ARN: an EC2 instance's (i-...) in EC2, a hybrid node's (mi-...) in SSM."""
        if node_id.startswith("mi-"):
            return self.ssm(f"managed-instance/{node_id}")
        return self.arn("ec2", f"instance/{node_id}")  # AWS: guide:ec2-instance-arn
