#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ssm_document_info
short_description: Read AWS Systems Manager (SSM) documents, including the ones AWS owns
version_added: 1.0.0
description:
  - Describes SSM documents found by exact O(name), by O(name_prefix), by O(owner) or O(document_type), with the
    content of their default version or of a given O(document_version) or O(version_name).
  - Reads documents owned by AWS, such as C(AWS-RunPatchBaseline), C(AWS-RunPatchBaselineWithHooks) and
    C(AWS-Noop), as well as this account's own and shared ones.
  - Always returns a list, empty when nothing matches.
author:
  - "patchmodel.ssm developers (@patchmodel)"
options:
  name:
    description:
      - Exact name of the document, or the ARN of a document shared with this account.
    type: str
  name_prefix:
    description:
      - Return the documents whose names start with this prefix.
    type: str
  owner:
    description:
      - Return only documents with this owner. V(Self) is this account, V(Amazon) the documents AWS publishes,
        V(Private) the ones shared with this account, V(All) all of them.
    type: str
    choices: [Self, Amazon, Private, Public, ThirdParty, All]
  document_type:
    description:
      - Return only documents of this type.
  document_version:
    description:
      - Version to describe, a number, V($LATEST) or V($DEFAULT). Without it and without O(version_name), the default
        version.
    type: str
  version_name:
    description:
      - Version to describe, by its version name.
    type: str
  include_content:
    description:
      - Return the content of each document, parsed, and its attachments' details
        (RV(documents[].attachments_content)). Costs one more call per document.
    type: bool
    default: true
  include_permissions:
    description:
      - Return the accounts each document this account owns is shared with (RV(documents[].permissions)).
        Costs one more call per such document.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes.info_module
  - patchmodel.ssm.document
"""

EXAMPLES = r"""
- name: Read the document the patching task runs, as AWS publishes it
  patchmodel.ssm.ssm_document_info:
    name: AWS-RunPatchBaselineWithHooks
    owner: Amazon
  register: ssm_document_info_hooks

- name: Read the pre-patch hook document
  patchmodel.ssm.ssm_document_info:
    name: Pre-patch-WebServer-Document
  register: ssm_document_info_pre_patch

- name: Read the latest version of the post-reboot hook document
  patchmodel.ssm.ssm_document_info:
    name: Post-reboot-WebServer-Document
    document_version: $LATEST

- name: List this account's hook documents without their content
  patchmodel.ssm.ssm_document_info:
    name_prefix: Post-
    owner: Self
    include_content: false

- name: Read the no-op document that unused hooks default to
  patchmodel.ssm.ssm_document_info:
    name: AWS-Noop
    owner: Amazon
"""

RETURN = r"""
documents:
  description:
    - The documents found, empty when none matches.
    - Each is the chosen version (the default one, or the one O(document_version) or O(version_name) names) as
      DescribeDocument describes it, in the shape M(patchmodel.ssm.ssm_document) returns in
      RV(patchmodel.ssm.ssm_document#module:document), with the same keys, among them
      RV(patchmodel.ssm.ssm_document#module:document.name),
      RV(patchmodel.ssm.ssm_document#module:document.document_version),
      RV(patchmodel.ssm.ssm_document#module:document.default_version),
      RV(patchmodel.ssm.ssm_document#module:document.latest_version),
      RV(patchmodel.ssm.ssm_document#module:document.hash), RV(patchmodel.ssm.ssm_document#module:document.status),
      RV(patchmodel.ssm.ssm_document#module:document.document_type),
      RV(patchmodel.ssm.ssm_document#module:document.document_format),
      RV(patchmodel.ssm.ssm_document#module:document.parameters),
      RV(patchmodel.ssm.ssm_document#module:document.platform_types) and
      RV(patchmodel.ssm.ssm_document#module:document.tags).
  returned: always
  type: list
  elements: dict
  contains:
    owner:
      description: Owner of the document, V(Amazon) for the documents AWS publishes, else an account ID.
      type: str
      sample: Amazon
    content:
      description: Content of this version, parsed as in RV(patchmodel.ssm.ssm_document#module:document.content).
      type: raw
      returned: when O(include_content=true)
    arn:
      description:
        - ARN of the document, in the caller's partition; AWS's own documents have no account in it.
      type: str
      sample: arn:aws:ssm:us-east-1::document/AWS-RunPatchBaseline
    attachments_information:
      description: The names of the attachments of this version.
      type: list
      elements: dict
      returned: when the version has attachments
      sample: [{"name": "check_httpd.sh"}]
    attachments_content:
      description: The attachments of this version, as GetDocument describes them.
      type: list
      elements: dict
      returned: when the version has attachments and O(include_content=true)
      contains:
        name:
          description: Name of the attachment.
          type: str
        size:
          description: Size in bytes.
          type: int
        hash:
          description: Hash of the attachment's content.
          type: str
        hash_type:
          description: V(Sha256).
          type: str
        url:
          description: Where the attachment can be downloaded.
          type: str
    permissions:
      description:
        - The accounts the document is shared with, in the shape of
          O(patchmodel.ssm.ssm_document#module:permissions) (with each account's version under C(accounts)), as
          RV(patchmodel.ssm.ssm_document#module:document.permissions).
      type: dict
      returned: for the documents this account owns, when O(include_permissions=true)
      sample: {"account_ids": ["111122223333"], "shared_document_version": "$DEFAULT",
               "accounts": [{"account_id": "111122223333", "shared_document_version": "$DEFAULT"}]}
"""

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing botocore

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.arns import Arns
from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.document import (
    DOCUMENT_TYPES,
    HAS_YAML,
    OWNERS,
    describe,
    document_view,
    get_version,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.document_permissions import (
    permissions_view,
    read_permissions,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import paginate


def list_filters(params):
    # AWS matches the Name filter as a prefix; exact names are narrowed afterwards.
    name = params["name"] or params["name_prefix"]
    values = {"Name": name, "Owner": params["owner"], "DocumentType": params["document_type"]}
    return [{"Key": key, "Values": [value]} for key, value in values.items() if value]


def input_problems(params):
    version = {"DocumentVersion": params["document_version"], "VersionName": params["version_name"]}
    problems = RequestChecker().problems("DescribeDocument", {"Name": params["name"] or "placeholder", **version})
    prefix = params["name_prefix"]
    if prefix is not None and not 1 <= len(prefix) <= 128:
        problems.append(f"name_prefix: '{prefix}' must have 1 to 128 characters, got {len(prefix)}")
    return problems


def matching_names(client, params):
    name = params["name"]
    if name and (name.startswith("arn:") or not (params["owner"] or params["document_type"])):
        return [name]
    identifiers = paginate(client, "list_documents", "DocumentIdentifiers", Filters=list_filters(params))
    return [item["Name"] for item in identifiers if not name or item["Name"] == name]


def document_arn(arns, name, owner):
    """A document's ARN: AWS's own are in no account; a name that is an ARN (a shared document) is its ARN."""
    if name.startswith("arn:"):
        return name
    return arns.ssm(f"document/{name}", account="" if owner == "Amazon" else owner)


def read_documents(module, client, params):
    arns = Arns(module)
    for name in matching_names(client, params):
        description = describe(client, name, params["document_version"], params["version_name"])
        if description is None:  # no such name (or deleted meanwhile)
            continue
        version = get_version(client, name, description["DocumentVersion"]) if params["include_content"] else {}
        view = document_view(description, version.get("Content"), None)
        if version.get("AttachmentsContent"):
            view["attachments_content"] = camel_dict_to_snake_dict({"A": version["AttachmentsContent"]})["a"]
        view["arn"] = document_arn(arns, name, description.get("Owner"))
        _partition, account = arns.caller()
        if params["include_permissions"] and description.get("Owner") == account and not name.startswith("arn:"):
            view["permissions"] = permissions_view(read_permissions(client, name))
        yield view


def main():
    argument_spec = dict(
        name=dict(type="str"),
        name_prefix=dict(type="str"),
        owner=dict(type="str", choices=list(OWNERS)),
        document_type=dict(type="str", choices=list(DOCUMENT_TYPES)),
        document_version=dict(type="str"),
        version_name=dict(type="str"),
        include_content=dict(type="bool", default=True),
        include_permissions=dict(type="bool", default=True),
    )
    module = PatchModelModule(
        argument_spec=argument_spec,
        mutually_exclusive=[("name", "name_prefix")],
        supports_check_mode=True,
    )
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib("PyYAML"))
    module.fail_on_problems(input_problems(module.params))

    client = module.ssm_client()
    try:
        documents = list(read_documents(module, client, module.params))
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg="Failed to read SSM documents")
    module.exit_json(changed=False, documents=documents)


if __name__ == "__main__":
    main()
