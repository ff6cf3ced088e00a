# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Attachments of SSM document versions (CreateDocument / UpdateDocument Attachments): their table, their checks and
the names AWS reports for them (DescribeDocument's AttachmentsInformation holds names only)."""

from __future__ import annotations

import re

from ansible_collections.patchmodel.ssm.plugins.module_utils.fields import STRINGS, Field, Records
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import problem

ATTACHMENT_KEYS = ("SourceUrl", "S3FileUrl", "AttachmentReference")
# AWS: AttachmentsSource.Values — <document name or ARN>/<version number>/<attachment name>
REFERENCE = re.compile(r"^(?P<document>.+)/(?P<version>[0-9]+)/(?P<name>[^/]+)$")

ATTACHMENTS = Records(
    Field("key", "Key", choices=list(ATTACHMENT_KEYS), required=True),
    Field("values", "Values", STRINGS, required=True),
    Field("name", "Name"),
    ordered=False,
)


def attachment_problems(attachments):
    """What the table's botocore checks cannot see: the form of each value for its key."""
    found = []
    for index, attachment in enumerate(attachments or []):
        path = f"attachments[{index}].values"
        for value in attachment.get("values") or []:
            if attachment.get("key") == "AttachmentReference" and not REFERENCE.match(value):
                message = f"'{value}' must be <document name or ARN>/<version number>/<attachment name>"
                found.append(problem(path, message))
            elif attachment.get("key") in ("SourceUrl", "S3FileUrl") and not value.startswith("s3://"):
                found.append(problem(path, f"'{value}' must be an S3 URL, s3://<bucket>/<key>"))
    return found


def expected_names(attachments):
    """The attachment names AWS will report for the option, or None when they cannot be known beforehand: an
    attachment without a name is named by AWS (a SourceUrl attaches every file under its prefix)."""
    if not all(attachment.get("name") for attachment in attachments):
        return None
    return sorted(attachment["name"] for attachment in attachments)


def held_names(description):
    """The names of the attachments a version holds (DescribeDocument's AttachmentsInformation)."""
    return sorted(item.get("Name") for item in description.get("AttachmentsInformation") or [])
