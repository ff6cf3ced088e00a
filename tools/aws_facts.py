# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the modules assume about AWS (a default it fills, a field it resets or refuses), each written down once.

FACTS maps a fact id to the Fact that states it and names the documentation it rests on. The field tables in
plugins/module_utils cite a fact by its id, e.g.
``Filled("UNSPECIFIED", "CreatePatchBaseline.ApprovedPatchesComplianceLevel")``, or with a comment ``# AWS: <id>``
next to the code that relies on it; the local AWS endpoint (tools/emulator) cites the same id as ``# AWS: <id>``
where it implements the behaviour, and tests/unit/test_aws_facts.py proves the quotes and both sides' citations.
The registry is development material: the modules never read it.

Fact ids, by where the fact is written:

- ``<Shape>.<Member>``: the documentation of that member in botocore's SSM service model. An operation name stands
  for its input shape (``CreatePatchBaseline.RejectedPatchesAction``); a shape name for itself
  (``PatchRule.EnableNonSecurity``). A ``<service>:`` prefix names another service's model (``ec2:DeleteTags.Tags``),
  by its botocore name or the alias SERVICE_MODELS gives it (``tagging:`` is ``resourcegroupstaggingapi``). An
  operation without a member (``tagging:GetResources``) stands for the operation's own documentation.
  `quote` is a verbatim fragment of that documentation in its `plain` form.
- ``shape:<Shape>.<Member>``: a fact of the model's structure that no documentation sentence states; `kind` says
  what holds: ``absent`` (the shape has no such member) or ``type:<spec>`` (the member's type, e.g.
  ``type:map<string,list<string>>``). A `quote`, when given, is a fragment of the shape's (or operation's) own
  documentation saying the same.
- ``guide:<slug>``: stated only in the AWS user guides or the API reference web pages; `source` is the page and
  `quote` its sentence. These cannot be checked offline; where no page says it in so many words, `says` tells so
  and the quote is the nearest statement.

`endpoint` says where tools/emulator/ gets the behaviour: ``emulator`` (our code, which cites the id),
``moto`` (moto's own backend does it), or ``none`` (the endpoint does not model it).

Nothing here imports botocore or any other third-party library.
"""

from __future__ import annotations

import difflib
import re
from typing import NamedTuple

BOTOCORE = "botocore service model"
# A fact id's service prefix -> botocore's service name, where the two differ (the prefix is the signing name).
SERVICE_MODELS = {"tagging": "resourcegroupstaggingapi"}
USER_GUIDE = "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
API_REFERENCE = "https://docs.aws.amazon.com/systems-manager/latest/APIReference/"


class Fact(NamedTuple):
    """One AWS behaviour: the documentation it rests on, a verbatim quote of it and what that means for us."""

    source: str
    quote: str
    says: str = ""
    kind: str = ""  # shape facts only: "absent" or "type:<spec>"
    endpoint: str = "emulator"  # "emulator" (cited in tools/emulator), "moto" or "none"


def plain(text):
    """Documentation text as quotes are written: HTML tags dropped, whitespace collapsed, no space before , . ; :"""
    text = re.sub(r"<[^>]+>", " ", text or "")
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([,.;:])", r"\1", text)


FACTS = {
    # --- patch baselines
    "CreatePatchBaseline.ApprovedPatchesComplianceLevel": Fact(
        BOTOCORE, "The default value is UNSPECIFIED.", "ApprovedPatchesComplianceLevel not sent is UNSPECIFIED"
    ),
    "CreatePatchBaseline.ApprovedPatchesEnableNonSecurity": Fact(
        BOTOCORE,
        "The default value is false. Applies to Linux managed nodes only.",
        "ApprovedPatchesEnableNonSecurity not sent is false; it means nothing on Windows",
    ),
    "CreatePatchBaseline.RejectedPatchesAction": Fact(
        BOTOCORE,
        "This is the default action if no option is specified.",
        "RejectedPatchesAction not sent is ALLOW_AS_DEPENDENCY",
    ),
    "PatchRule.EnableNonSecurity": Fact(
        BOTOCORE, "The default value is false.", "an approval rule's EnableNonSecurity not sent is false"
    ),
    "guide:patch-rule-compliance-level-unspecified": Fact(
        USER_GUIDE + "patch-manager-predefined-and-custom-patch-baselines.html",
        "the predefined baselines assign a compliance level of Unspecified to all patches installed using those "
        "baselines",
        "an approval rule's ComplianceLevel not sent is reported as UNSPECIFIED; botocore's PatchRule.ComplianceLevel "
        "names no default and no page states the rule default, this is the nearest statement",
    ),
    "PatchRule.ApproveAfterDays": Fact(
        BOTOCORE,
        "Not supported for Debian Server or Ubuntu Server.",
        "no approval delay on DEBIAN/UBUNTU: a delay of 0 there means the same as none",
    ),
    "PatchRule.ApproveUntilDate": Fact(
        BOTOCORE,
        "your request must include a value for either ApproveUntilDate or ApproveAfterDays.",
        "every approval rule needs ApproveAfterDays or ApproveUntilDate",
    ),
    "guide:patch-rule-until-date-debian-ubuntu": Fact(
        API_REFERENCE + "API_PatchRule.html",
        "Not supported for Debian Server or Ubuntu Server.",
        "ApproveUntilDate, like ApproveAfterDays, is not supported on DEBIAN/UBUNTU: a patch ring there is promoted "
        "with explicit ApprovedPatches (botocore's PatchRule.ApproveUntilDate documentation says the same)",
        endpoint="none",
    ),
    "CreatePatchBaseline.AvailableSecurityUpdatesComplianceStatus": Fact(
        BOTOCORE,
        "Supported for Windows Server managed nodes only.",
        "AvailableSecurityUpdatesComplianceStatus matters on WINDOWS only",
    ),
    "CreatePatchBaseline.Sources": Fact(
        BOTOCORE,
        "Applies to Linux managed nodes only.",
        "alternative patch sources are for Linux baselines only",
        endpoint="none",
    ),
    "CreatePatchBaseline.OperatingSystem": Fact(
        BOTOCORE, "The default value is WINDOWS.", "a baseline created without OperatingSystem is a WINDOWS one"
    ),
    "UpdatePatchBaseline.Replace": Fact(
        BOTOCORE,
        "Optional fields that aren't specified are set to null.",
        "UpdatePatchBaseline with Replace=true resets every field not sent",
    ),
    "GetPatchBaseline.BaselineId": Fact(
        BOTOCORE,
        "To retrieve information about an Amazon Web Services managed patch baseline, specify the full Amazon "
        "Resource Name (ARN) of the baseline.",
        "AWS-owned baselines are addressed by ARN, custom ones by pb- id",
    ),
    "guide:patch-group-one-baseline-per-os": Fact(
        API_REFERENCE + "API_RegisterPatchBaselineForPatchGroup.html",
        "Error returned if an attempt is made to register a patch group with a patch baseline that is already "
        "registered with a different patch baseline.",
        "a patch group has one baseline per operating system (GetPatchBaselineForPatchGroup takes an "
        "OperatingSystem); registering a second one for the same OS fails with AlreadyExistsException",
    ),
    "guide:patch-group-tag-keys": Fact(
        USER_GUIDE + "patch-manager-tag-a-patch-group.html",
        "You can specify any tag value, but the tag key must be Patch Group or PatchGroup.",
        "Patch Manager reads a node's patch group from the tag Patch Group or PatchGroup",
    ),
    # --- baseline preview (DescribeAvailablePatches, DescribeEffectivePatchesForPatchBaseline)
    "DescribeAvailablePatches": Fact(
        BOTOCORE,
        "Currently, DescribeAvailablePatches supports only the Amazon Linux 1, Amazon Linux 2, and Windows Server "
        "operating systems.",
        "DescribeAvailablePatches lists AMAZON_LINUX, AMAZON_LINUX_2 and WINDOWS patches only",
    ),
    "DescribeAvailablePatches.Filters": Fact(
        BOTOCORE,
        "When specifying filters for Linux patches, you must specify a key-pair for PRODUCT.",
        "a DescribeAvailablePatches request with Linux filter keys needs a PRODUCT filter; the Windows keys are "
        "PATCH_SET, PRODUCT, PRODUCT_FAMILY, MSRC_SEVERITY, CLASSIFICATION and PATCH_ID (a KB number), the Linux "
        "keys PRODUCT, NAME, SEVERITY, EPOCH, VERSION, RELEASE, ARCH, REPOSITORY, ADVISORY_ID, CVE_ID and BUGZILLA_ID",
    ),
    "DescribeEffectivePatchesForPatchBaseline": Fact(
        BOTOCORE,
        "Applies to patch baselines for Windows only.",
        "DescribeEffectivePatchesForPatchBaseline answers for WINDOWS baselines only (UnsupportedOperatingSystem "
        "otherwise)",
    ),
    "Patch.Id": Fact(
        BOTOCORE,
        "This ID isn't the same as the Microsoft Knowledge Base ID.",
        "a Windows patch's Id is its own; approved and rejected lists and PATCH_ID name it by KbNumber",
    ),
    "PatchStatus.ApprovalDate": Fact(
        BOTOCORE,
        "or will be approved if the status is PENDING_APPROVAL",
        "an effective patch pending approval carries the date it will be approved",
    ),
    "PatchRule.ComplianceLevel": Fact(
        BOTOCORE,
        "A compliance severity level for all approved patches in a patch baseline.",
        "a patch an approval rule approves is reported at that rule's ComplianceLevel",
    ),
    "BaselineOverride.RejectedPatchesAction": Fact(
        BOTOCORE,
        "A patch can be allowed only if it is a dependency of another package, or blocked entirely along with "
        "packages that include it as a dependency.",
        "ALLOW_AS_DEPENDENCY installs a rejected patch only as another package's dependency; BLOCK never installs it",
        endpoint="none",  # the simulated catalog has no package dependencies
    ),
    "UpdatePatchBaseline.RejectedPatchesAction": Fact(
        BOTOCORE,
        "Windows Server doesn't support the concept of package dependencies.",
        "on WINDOWS a rejected patch is never installed as a dependency, whatever RejectedPatchesAction says",
        endpoint="none",
    ),
    "guide:approve-after-days-instant": Fact(
        API_REFERENCE + "API_PatchRule.html",
        "If a patch is released at 2025-11-09T18:00:00Z and ApproveAfterDays is set to 7, the patch will be approved "
        "after 2025-11-16T18:00:00Z.",
        "a rule's patch is approved ApproveAfterDays days after its release instant, in UTC",
    ),
    "guide:approve-until-date-whole-day": Fact(
        API_REFERENCE + "API_PatchRule.html",
        "If you enter the date 2025-11-16, patches released between 2025-11-16T00:00:00Z and 2025-11-16T23:59:59Z "
        "will be included in the approval.",
        "ApproveUntilDate approves the patches released up to the end of that day (UTC), as soon as they are released",
    ),
    "guide:rejected-list-overrides": Fact(
        USER_GUIDE + "patch-manager-create-a-patch-baseline.html",
        "The rejected list overrides both the rules and the approve list.",
        "a patch the rejected list names is never approved, by a rule or by the approved list",
    ),
    "guide:update-notice-packages-security": Fact(
        USER_GUIDE + "patch-manager-how-it-works-selection.html",
        "All packages that are in an update notice are considered Security by Patch Manager.",
        "on Amazon Linux the listed patches are update notices' packages; EnableNonSecurity adds packages outside "
        "any update notice, which DescribeAvailablePatches does not list",
    ),
    # --- maintenance windows
    "shape:CreateMaintenanceWindow.Enabled": Fact(
        BOTOCORE, "", "CreateMaintenanceWindow takes no Enabled: disabling needs an UpdateMaintenanceWindow", "absent"
    ),
    "guide:window-created-enabled": Fact(
        USER_GUIDE + "sysman-maintenance-working.html",
        "After you complete these tasks, the Maintenance Window runs according to the schedule you defined and "
        "executes the tasks on the targets you specified.",
        "a window is created enabled (Enabled true); no page says it in these words, this is the nearest statement",
    ),
    "guide:window-schedule-timezone-utc": Fact(
        USER_GUIDE + "reference-cron-and-rate-expressions.html",
        "you can specify a timestamp in Coordinated Universal Time (UTC) format so that it runs once at the "
        "specified time.",
        "without ScheduleTimezone the modules read a window's schedule in UTC; the page says so for at() only, no "
        "page says it for cron() and rate()",
        endpoint="none",
    ),
    "CreateMaintenanceWindow.StartDate": Fact(
        BOTOCORE, "The date and time, in ISO-8601 Extended format,", "StartDate is an ISO-8601 date and time"
    ),
    "CreateMaintenanceWindow.EndDate": Fact(
        BOTOCORE, "The date and time, in ISO-8601 Extended format,", "EndDate is an ISO-8601 date and time"
    ),
    "UpdateMaintenanceWindow.Replace": Fact(
        BOTOCORE,
        "If True, then all fields that are required by the CreateMaintenanceWindow operation are also required for "
        "this API request. Optional fields that aren't specified are set to null.",
        "UpdateMaintenanceWindow with Replace=true needs the create fields and resets every field not sent",
    ),
    # --- maintenance window tasks
    "RegisterTaskWithMaintenanceWindow.CutoffBehavior": Fact(
        BOTOCORE,
        "CONTINUE_TASK: When the cutoff time is reached, any tasks that are running continue. The default value.",
        "CutoffBehavior not sent is CONTINUE_TASK",
    ),
    "GetMaintenanceWindowTaskResult.MaxConcurrency": Fact(
        BOTOCORE,
        "the system inserts a placeholder value of 1, which may be reported in the response to this command.",
        'a task without targets is reported with MaxConcurrency "1"',
    ),
    "GetMaintenanceWindowTaskResult.MaxErrors": Fact(
        BOTOCORE,
        "the system inserts a placeholder value of 1, which may be reported in the response to this command.",
        'a task without targets is reported with MaxErrors "1"',
    ),
    "RegisterTaskWithMaintenanceWindow.MaxConcurrency": Fact(
        BOTOCORE,
        "a value can be omitted only when you are registering or updating a targetless task",
        "MaxConcurrency is required with targets and refused without them",
    ),
    "RegisterTaskWithMaintenanceWindow.MaxErrors": Fact(
        BOTOCORE,
        "a value can be omitted only when you are registering or updating a targetless task",
        "MaxErrors is required with targets and refused without them",
    ),
    "RegisterTaskWithMaintenanceWindow.Targets": Fact(
        BOTOCORE,
        "One or more targets must be specified for maintenance window Run Command-type tasks.",
        "a RUN_COMMAND task needs targets; the other task types may have none",
    ),
    "shape:MaintenanceWindowRunCommandParameters.Parameters": Fact(
        BOTOCORE,
        "",
        "Run Command task parameters are stored as lists of strings (a scalar becomes a one-item list)",
        "type:map<string,list<string>>",
    ),
    "RegisterTaskWithMaintenanceWindow.TaskParameters": Fact(
        BOTOCORE,
        "TaskParameters has been deprecated.",
        "TaskParameters is legacy (not managed by the modules) but still stored, and kept only if sent again",
    ),
    "RegisterTaskWithMaintenanceWindow.LoggingInfo": Fact(
        BOTOCORE,
        "LoggingInfo has been deprecated.",
        "LoggingInfo is legacy (not managed by the modules) but still stored, and kept only if sent again",
    ),
    "UpdateMaintenanceWindowTask.Replace": Fact(
        BOTOCORE,
        "Optional fields that aren't specified are set to null.",
        "UpdateMaintenanceWindowTask with Replace=true resets every field not sent, deprecated ones included",
    ),
    "UpdateMaintenanceWindowTask.TaskInvocationParameters": Fact(
        BOTOCORE,
        "The values you don't specify again are removed.",
        "TaskInvocationParameters is replaced as a whole on update",
    ),
    "shape:UpdateMaintenanceWindowTask.TaskType": Fact(
        BOTOCORE,
        "You can't change the task type",
        "a task's TaskType cannot be changed: a new type means a new task",
        "absent",
    ),
    # --- maintenance window targets
    "shape:UpdateMaintenanceWindowTarget.ResourceType": Fact(
        BOTOCORE, "", "a window target's ResourceType cannot be changed: a new type means a new target", "absent"
    ),
    "UpdateMaintenanceWindowTarget.Replace": Fact(
        BOTOCORE,
        "Optional fields that aren't specified are set to null.",
        "UpdateMaintenanceWindowTarget with Replace=true resets every field not sent",
    ),
    # --- documents
    "CreateDocument.DocumentFormat": Fact(
        BOTOCORE, "JSON is the default format.", "a document created without DocumentFormat is JSON"
    ),
    "UpdateDocument.DocumentFormat": Fact(
        BOTOCORE, "JSON is the default format.", "a version added without DocumentFormat is JSON"
    ),
    "UpdateDocument.DocumentVersion": Fact(
        BOTOCORE,
        "Currently, Systems Manager supports updating only the latest version of the document.",
        "new content is always added on top of $LATEST",
    ),
    "shape:UpdateDocument.DocumentType": Fact(
        BOTOCORE, "", "a document's DocumentType cannot be changed: a new type means a new document", "absent"
    ),
    "shape:UpdateDocument.Requires": Fact(
        BOTOCORE, "", "Requires is set at create only; new versions keep it", "absent"
    ),
    # --- document sharing and attachments
    "DocumentPermissionLimit": Fact(
        BOTOCORE,
        "You can specify a maximum of 20 accounts per API operation to share a private document. By default, you "
        "can share a private document with a maximum of 1,000 accounts and publicly share up to five documents.",
        "ModifyDocumentPermission takes at most 20 account ids to add and 20 to remove per call (the AccountIdList "
        "shape's max); a document is shared with at most 1,000 accounts, and at most five documents are public",
    ),
    "ModifyDocumentPermission.AccountIdsToAdd": Fact(
        BOTOCORE,
        "You must specify a value for this parameter or the AccountIdsToRemove parameter.",
        "a ModifyDocumentPermission call with no account id to add or remove is refused",
    ),
    "ModifyDocumentPermission.SharedDocumentVersion": Fact(
        BOTOCORE,
        "If it isn't specified, the system choose the Default version to share.",
        "an account added without SharedDocumentVersion is shared $DEFAULT",
    ),
    "DescribeDocumentPermissionResponse.AccountIds": Fact(
        BOTOCORE,
        "The ID can be either an Amazon Web Services account number or all.",
        "a public document is reported shared with 'all' (AccountId's pattern is (?i)all|[0-9]{12}), whatever case "
        "'All' was sent in",
    ),
    "InvalidDocumentOperation": Fact(
        BOTOCORE,
        "You must stop sharing the document before you can delete it.",
        "DeleteDocument refuses a document that is still shared (InvalidDocumentOperation)",
    ),
    "AttachmentsSource.Values": Fact(
        BOTOCORE,
        "For the key AttachmentReference, the value is constructed from the name of another SSM document in your "
        "account, a version number of that document, and a file attached to that document version that you want to "
        "reuse.",
        "an AttachmentReference value is <document name or ARN>/<version number>/<attachment name>",
    ),
    # --- tags
    "guide:json-access-denied-400": Fact(
        API_REFERENCE + "API_StartAccessRequest.html",
        "The requester doesn't have permissions to perform the requested operation.",
        "a JSON-protocol AWS API refuses a call the caller's policies do not allow with AccessDeniedException, HTTP "
        "400 (the error every Systems Manager action page lists; the tagging API's GetResources and the others the "
        "same); botocore does not retry it",
    ),
    "guide:tag-aws-prefix-reserved": Fact(
        "https://docs.aws.amazon.com/config/latest/developerguide/tagging.html",
        "Do not use the aws: prefix in your tag names or values because it is reserved for AWS use.",
        "tag keys starting with aws: (any case) are refused",
    ),
    "AlarmConfiguration.IgnorePollAlarmFailure": Fact(
        BOTOCORE,
        "Default is false.",
        "a task's alarm configuration without ignore_poll_alarm_failure reads as false",
        endpoint="none",
    ),
    "shape:UpdatePatchBaseline.OperatingSystem": Fact(
        BOTOCORE,
        "",
        "UpdatePatchBaseline takes no OperatingSystem: a baseline's operating system is chosen once, at creation",
        kind="absent",
        endpoint="none",  # botocore itself refuses a member the operation lacks
    ),
    # --- accounts and the Resource Groups Tagging API
    "tagging:GetResources": Fact(
        BOTOCORE,
        "GetResources does not return untagged resources.",
        "GetResources lists the account's resources in the Region that are tagged, or were tagged (those with an "
        "empty Tags list); a resource that never had a tag is not listed, so a resource absent from the answer has "
        "no tags",
    ),
    "tagging:GetResources.ResourceTypeFilters": Fact(
        BOTOCORE,
        "The format of each resource type is service[:resourceType].",
        "ResourceTypeFilters names a whole service (ssm) or one resource type (ssm:maintenancewindow, "
        "ssm:patchbaseline, ssm:document), as embedded in the resource's ARN",
    ),
    "guide:ssm-resource-arns": Fact(
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html",
        "arn:${Partition}:ssm:${Region}:${Account}:maintenancewindow/${ResourceId}",
        "SSM resource ARNs: arn:aws:ssm:<region>:<account>:maintenancewindow/<mw-id>, "
        "arn:aws:ssm:<region>:<account>:patchbaseline/<pb-id>, arn:aws:ssm:<region>:<account>:document/<name> and "
        "arn:aws:ssm:<region>:<account>:managed-instance/<mi-id> (the page's resource types table); the quote is "
        "the maintenance window row. The same table: windowtarget/<target id>, windowtask/<task id> and "
        "parameter/${ParameterNameWithoutLeadingSlash} (/a/b is parameter/a/b)",
    ),
    "guide:ec2-instance-arn": Fact(
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html",
        "arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}",
        "an EC2 instance's ARN is in EC2 (ec2:...:instance/i-...); a hybrid node's is SSM's managed-instance/mi-...",
        endpoint="none",
    ),
    "guide:arn-partitions": Fact(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
        "Each AWS account is scoped to one partition.",
        "ARNs begin arn:aws in the standard Regions, arn:aws-cn in the China Regions (cn-north-1, cn-northwest-1) "
        "and arn:aws-us-gov in AWS GovCloud (US) (us-gov-west-1, us-gov-east-1); the caller's ARN names its "
        "partition (docs.amazonaws.cn/en_us/general/latest/gr/ARNs.html, govcloud-us using-govcloud-arns.html)",
    ),
    "sts:GetCallerIdentity": Fact(
        BOTOCORE,
        "No permissions are required to perform this operation.",
        "every caller may call GetCallerIdentity, even one denied sts:GetCallerIdentity: building ARNs needs no "
        "new permission (moto answers it; the endpoint never injects a refusal of it)",
    ),
    "guide:sts-assume-role-access-denied": Fact(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html",
        "Verify that the AWS account that you are calling AssumeRole from is a trusted entity for the role that you "
        "are assuming.",
        "AssumeRole is refused with AccessDenied (HTTP 403), 'User: <caller arn> is not authorized to perform: "
        "sts:AssumeRole on resource: <role arn>', when the role does not exist, its trust policy does not name the "
        "caller or the caller's account, or a condition such as sts:ExternalId is not met; the message's form is the "
        "one troubleshoot_access-denied.html gives (User ... is not authorized to perform action on resource)",
    ),
    "ec2:DeleteTags.Tags": Fact(
        BOTOCORE,
        "Specify a tag key and an optional tag value to delete specific tags.",
        "DeleteTags with Key and Value removes the tag only where it has that value",
        endpoint="moto",
    ),
}


def fact(fact_id):
    """The Fact registered under fact_id; KeyError naming the id (and the closest ids) for an unknown one."""
    try:
        return FACTS[fact_id]
    except KeyError:
        close = difflib.get_close_matches(fact_id, FACTS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"no AWS fact {fact_id!r} in tools/aws_facts.py{hint}") from None
