#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ssm_document
short_description: Manage AWS Systems Manager (SSM) documents and their versions
version_added: 1.0.0
description:
  - Creates, updates and deletes an SSM document that this account owns, such as the hook documents that
    C(AWS-RunPatchBaselineWithHooks) runs before and after patching.
  - The document is identified by O(name), which AWS keeps unique in an account and Region.
  - O(content) is compared by meaning, never as raw text; re-ordering keys or changing layout is no change.
    New content becomes a new document version (UpdateDocument on V($LATEST)), which is made the default
    version when O(set_default_version=true).
  - Nothing is ever deleted and re-created to apply a change. What AWS cannot update (O(document_type),
    O(requires)) fails with a message instead.
  - To read documents, including the ones AWS owns such as C(AWS-RunPatchBaseline), use
    M(patchmodel.ssm.ssm_document_info).
author:
  - "patchmodel.ssm developers (@patchmodel)"
options:
  name:
    description:
      - Name of the document, 3 to 128 letters, digits, V(_), V(-) and V(.).
      - Names starting with V(aws-), V(amazon), V(amzn), V(AWSEC2), V(AWSConfigRemediation) or V(AWSSupport),
        in any case, are reserved by AWS and refused.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the document; V(absent) deletes it with all its versions.
    type: str
    choices: [present, absent]
    default: present
  content:
    description:
      - The document content. Required when O(state=present).
      - A string is sent as it is and must be valid in O(document_format). A dict or a list is serialised by the
        module in O(document_format) (V(TEXT) takes only strings).
      - Compared with the document's content after parsing (YAML and JSON), so key order, quoting and layout
        make no difference; V(TEXT) content is compared as text.
      - At most 64 KB.
    type: raw
  document_format:
    description:
      - Format the content is stored in. A change of format makes a new version with the content in the new format.
    type: str
    choices: [YAML, JSON, TEXT]
    default: YAML
  document_type:
    description:
      - Type of the document. AWS cannot change the type of an existing document; a different value fails.
    default: Command
  target_type:
    description:
      - Kinds of resources the document can run on, for example V(/AWS::EC2::Instance); V(/) means all.
      - Left unset, the current target type is kept.
    type: str
  version_name:
    description:
      - Name of the version this content creates, for example V(Release12.1). AWS keeps version names unique
        across the versions of a document and never changes them, so new content needs a new O(version_name)
        (or none).
      - Left unset, new versions get no version name and an unchanged version is left alone.
    type: str
  display_name:
    description:
      - Friendly name of the document version. Left unset, the current display name is kept.
    type: str
  requires:
    description:
      - Documents this document requires (AppConfig ApplicationConfiguration documents). Set at creation only;
        AWS cannot change it afterwards, so a different value fails.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the required document.
        type: str
        required: true
      version:
        description: Version of the required document.
        type: str
      require_type:
        description: Type of the required document, for example V(ApplicationConfigurationSchema).
        type: str
      version_name:
        description: Version name of the required document.
        type: str
  attachments:
    description:
      - Files attached to the version that O(content) creates, as CreateDocument and UpdateDocument take them (at
        most 20). Sent with the create and with every new version; each version keeps the attachments sent with it,
        so give them again with new content to keep them.
      - AWS reports only the names of a version's attachments (RV(document.attachments_information)). When every
        item has a O(attachments[].name), a version holding other names needs a new version, which AWS makes only
        for new content; otherwise attachments are never compared.
    type: list
    elements: dict
    suboptions:
      key:
        description:
          - V(S3FileUrl), a file in S3; V(SourceUrl), every file under an S3 prefix; V(AttachmentReference), an
            attachment of a version of another document.
        type: str
        choices: [SourceUrl, S3FileUrl, AttachmentReference]
        required: true
      values:
        description:
          - One value. For V(S3FileUrl) and V(SourceUrl) an S3 URL, V(s3://bucket/prefix/file.py) or
            V(s3://bucket/prefix); for V(AttachmentReference) C(<document name or ARN>/<version number>/<attachment
            name>), for example V(MyOtherDocument/3/my-other-file.py).
        type: list
        elements: str
        required: true
      name:
        description:
          - Name of the attachment file.
        type: str
  permissions:
    description:
      - The accounts the document is shared with (ModifyDocumentPermission, PermissionType V(Share)).
      - Left unset, sharing is left alone and not read.
      - Only the difference is written, at most 20 account ids per call, as AWS allows.
    type: dict
    suboptions:
      account_ids:
        description:
          - Account IDs (12 digits), at most 1,000 (AWS's limit for one document); or V(All) alone, which makes the
            document public (AWS allows five public documents per account and Region).
          - An empty list with O(purge_permissions=true) stops sharing the document.
        type: list
        elements: str
        required: true
      shared_document_version:
        description:
          - The version the accounts are given. An account already shared at another version is shared again at this
            one.
        type: str
        choices: ["$DEFAULT", "$LATEST", "$ALL"]
        default: "$DEFAULT"
  purge_permissions:
    description:
      - Stop sharing the document with the accounts that O(permissions.account_ids) does not list.
      - V(true) by default, like O(purge_tags), so that the list is the whole truth about who can use the document,
        and an account dropped from the list loses access; V(false) only adds.
    type: bool
    default: true
  set_default_version:
    description:
      - Make the version holding O(content) the default version, the one that runs when no version is named.
      - With V(false) a new version is added but the default version stays; the content is then compared with
        the latest version.
    type: bool
    default: true
notes:
  - AWS creates a new version only for new content (DuplicateDocumentContent otherwise). A change of
    O(display_name), O(version_name), O(target_type) or O(document_format) whose content text is identical to the
    latest version therefore fails with a message; change them together with O(content).
  - When new content is identical to an older version, AWS refuses a duplicate version; the module then makes that
    version the default (O(set_default_version=true)) or changes nothing.
  - AWS deletes no document that is still shared; with O(state=absent) the module stops sharing it first.
  - AWS processes new documents and versions asynchronously; the module waits up to 5 minutes for the version to be
    V(Active) and fails with AWS's status information if it becomes V(Failed).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - patchmodel.ssm.attributes
  - patchmodel.ssm.document
"""

EXAMPLES = r"""
# The three hook documents of the Amazon Linux 2 patching model, run by AWS-RunPatchBaselineWithHooks.
- name: Create the pre-patch hook document
  patchmodel.ssm.ssm_document:
    name: Pre-patch-WebServer-Document
    document_type: Command
    document_format: YAML
    content: |
      ---
      schemaVersion: '2.2'
      description: Pre-patch Web Server Document
      parameters: {}
      mainSteps:
      - action: aws:runShellScript
        name: configureServer
        inputs:
          runCommand:
          - sudo systemctl status httpd

- name: Create the post-install hook document from structured content, which the module serialises as YAML
  patchmodel.ssm.ssm_document:
    name: Post-install-WebServer-Document
    content: "{{ lookup('ansible.builtin.file', 'post-install-hook.yml') | ansible.builtin.from_yaml }}"
    tags:
      Patch Group: WebServer-Prd

- name: Create the post-reboot hook document from a JSON file kept beside the playbook, stored as JSON
  patchmodel.ssm.ssm_document:
    name: Post-reboot-WebServer-Document
    document_format: JSON
    content: "{{ lookup('ansible.builtin.file', 'post-reboot-hook.json') }}"

- name: Show what a named new version of the pre-patch hook document would change, keeping the default version
  patchmodel.ssm.ssm_document:
    name: Pre-patch-WebServer-Document
    version_name: Release2
    display_name: Pre-patch WebServer
    content: "{{ lookup('ansible.builtin.file', 'pre-patch-hook.yml') }}"
    set_default_version: false
  check_mode: true
  diff: true

- name: Share a hook document with two accounts, with an attachment, stopping sharing with any other account
  patchmodel.ssm.ssm_document:
    name: Pre-patch-WebServer-Document
    content: "{{ lookup('ansible.builtin.file', 'pre-patch-hook.yml') }}"
    attachments:
      - key: S3FileUrl
        values: ["s3://example-hooks-bucket/pre-patch/check_httpd.sh"]
        name: check_httpd.sh
    permissions:
      account_ids: ["111122223333", "444455556666"]
      shared_document_version: $DEFAULT

- name: Delete a hook document and all its versions
  patchmodel.ssm.ssm_document:
    name: Post-reboot-WebServer-Document
    state: absent
"""

RETURN = r"""
document:
  description:
    - The document version the module manages (the default version, or the latest with O(set_default_version=false)),
      as DescribeDocument describes it, plus its parsed content and tags.
    - Empty when the document does not exist (after O(state=absent)).
  returned: always
  type: dict
  contains:
    name:
      description: Name of the document.
      type: str
      sample: Pre-patch-WebServer-Document
    arn:
      description: ARN of the document, in the caller's partition.
      type: str
      returned: when the document exists (not for a document check mode would create)
      sample: arn:aws:ssm:us-east-1:123456789012:document/Pre-patch-WebServer-Document
    permissions:
      description: The accounts the document is shared with, in the shape of O(permissions).
      type: dict
      returned: when O(permissions) is given
      contains:
        account_ids:
          description: Account IDs, or V(All) for a public document.
          type: list
          elements: str
          sample: ["111122223333"]
        shared_document_version:
          description: The version shared with every account, when all have the same.
          type: str
          sample: $DEFAULT
        accounts:
          description: Each account and the version shared with it.
          type: list
          elements: dict
          sample: [{"account_id": "111122223333", "shared_document_version": "$DEFAULT"}]
    attachments_information:
      description: The names of the attachments of this version.
      type: list
      elements: dict
      returned: when the version has attachments
      sample: [{"name": "check_httpd.sh"}]
    document_version:
      description: Version described here.
      type: str
      sample: "1"
    default_version:
      description: Default version of the document.
      type: str
      sample: "1"
    latest_version:
      description: Latest version of the document.
      type: str
      sample: "2"
    hash:
      description: SHA-256 hash of the content of this version.
      type: str
      sample: 3b5a1c6f8d0e4b2a9c7d5e3f1a0b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b
    hash_type:
      description: Hash algorithm.
      type: str
      sample: Sha256
    status:
      description: V(Creating), V(Active), V(Updating), V(Deleting) or V(Failed).
      type: str
      sample: Active
    status_information:
      description: Why the status is V(Failed), when it is.
      type: str
      returned: when AWS gives it
    content:
      description: Content of this version, parsed (a dict for YAML and JSON, a string for TEXT).
      type: raw
      sample: {"schemaVersion": "2.2", "description": "Pre-patch Web Server Document"}
    document_format:
      description: Format the content is stored in.
      type: str
      sample: YAML
    document_type:
      description: Type of the document.
      type: str
      sample: Command
    display_name:
      description: Friendly name of this version.
      type: str
      returned: when set
    version_name:
      description: Version name of this version.
      type: str
      returned: when set
    target_type:
      description: Kinds of resources the document runs on.
      type: str
      returned: when set
    owner:
      description: AWS account that owns the document.
      type: str
      sample: "123456789012"
    schema_version:
      description: schemaVersion of the content.
      type: str
      sample: "2.2"
    description:
      description: The description inside the content.
      type: str
      sample: Pre-patch Web Server Document
    parameters:
      description: Parameters the content declares.
      type: list
      elements: dict
      sample: []
    platform_types:
      description: Operating systems the document runs on.
      type: list
      elements: str
      sample: [Linux, MacOS]
    requires:
      description: Documents this document requires.
      type: list
      elements: dict
      returned: when set
    created_date:
      description: When this version was created.
      type: str
      sample: "2022-07-06T20:00:00-05:00"
    tags:
      description: Tags of the document.
      type: dict
      sample: {"Patch Group": "WebServer-Prd"}
"""

from ansible.module_utils.basic import missing_required_lib
from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.document import HAS_YAML, Document
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import run


def argument_spec():
    return Document.argument_spec()


def main():
    module = PatchModelModule(argument_spec=argument_spec(), supports_check_mode=True, **Document.rules)
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib("PyYAML"))
    run(module, Document)


if __name__ == "__main__":
    main()
