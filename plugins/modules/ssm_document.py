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
requirements:
  - PyYAML
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
    type: str
    choices:
      - Command
      - Policy
      - Automation
      - Session
      - Package
      - ApplicationConfiguration
      - ApplicationConfigurationSchema
      - DeploymentStrategy
      - ChangeCalendar
      - Automation.ChangeTemplate
      - ProblemAnalysis
      - ProblemAnalysisTemplate
      - CloudFormation
      - ConformancePackTemplate
      - QuickSetup
      - ManualApprovalPolicy
      - AutoApprovalPolicy
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
  - AWS processes new documents and versions asynchronously; the module waits up to 5 minutes for the version to be
    V(Active) and fails with AWS's status information if it becomes V(Failed).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - patchmodel.ssm.attributes
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

- name: Create the post-install hook document from structured content
  patchmodel.ssm.ssm_document:
    name: Post-install-WebServer-Document
    content:
      schemaVersion: '2.2'
      description: Post-install Web Server Document
      parameters: {}
      mainSteps:
        - action: aws:runShellScript
          name: configureServer
          inputs:
            runCommand:
              - sudo systemctl stop httpd
    tags:
      Patch Group: WebServer-Prd

- name: Create the post-reboot hook document
  patchmodel.ssm.ssm_document:
    name: Post-reboot-WebServer-Document
    content: |
      ---
      schemaVersion: '2.2'
      description: Post-reboot Web Server Document
      parameters: {}
      mainSteps:
      - action: aws:runShellScript
        name: configureServer
        inputs:
          runCommand:
          - sudo systemctl start httpd
          - sudo systemctl status httpd

- name: Show what would change for the pre-patch hook document, changing nothing
  patchmodel.ssm.ssm_document:
    name: Pre-patch-WebServer-Document
    display_name: Pre-patch WebServer
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
  check_mode: true
  diff: true

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

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing botocore

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.dict_transformations import snake_dict_to_camel_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.diff import resource_diff
from ansible_collections.patchmodel.ssm.plugins.module_utils.document import (
    DOCUMENT_FORMATS,
    DOCUMENT_TYPES,
    HAS_YAML,
    PENDING_STATUSES,
    content_hash,
    content_problems,
    content_text,
    describe,
    document_view,
    get_content,
    list_versions,
    name_problems,
    parse_content,
    same_content,
    wait_while,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.tags import (
    ensure_tags,
    get_tags,
    tag_problems,
    tags_for_create,
)

RESOURCE_TYPE = "Document"
# Per-version fields the user may set, as (DescribeDocument key, module option).
VERSION_FIELDS = (("DisplayName", "display_name"), ("VersionName", "version_name"), ("TargetType", "target_type"))


def requires_request(requires):
    if requires is None:
        return None
    return [
        snake_dict_to_camel_dict({k: v for k, v in item.items() if v is not None}, capitalize_first=True)
        for item in requires
    ]


def create_request(params, text):
    request = {
        "Name": params["name"],
        "Content": text,
        "DocumentType": params["document_type"],
        "DocumentFormat": params["document_format"],
        "TargetType": params["target_type"],
        "VersionName": params["version_name"],
        "DisplayName": params["display_name"],
        "Requires": requires_request(params["requires"]),
    }
    request.update(tags_for_create(params["tags"]))
    return {key: value for key, value in request.items() if value is not None}


def input_problems(params):
    """Everything wrong with the input, found before any call so nothing is half-done."""
    problems = name_problems(params["name"])
    if params["state"] == "absent":
        return problems + RequestChecker().problems("DeleteDocument", {"Name": params["name"]})
    problems += content_problems(params["content"], params["document_format"], params["document_type"])
    checker = RequestChecker()
    problems += tag_problems(checker, params["tags"])
    if isinstance(params["content"], (str, dict, list)):
        request = create_request(params, content_text(params["content"], params["document_format"]))
        request.pop("Tags", None)  # checked above, each named by its key
        problems += checker.problems("CreateDocument", request)
    return problems


def requires_match(desired, current):
    """Each required document the user lists matches one AWS holds, on the fields the user gave."""
    current = current or []
    if len(desired) != len(current):
        return False
    remaining = list(current)
    for item in requires_request(desired):
        match = next((c for c in remaining if all(c.get(k) == v for k, v in item.items())), None)
        if match is None:
            return False
        remaining.remove(match)
    return True


def version_matches(description, text, desired):
    """Whether one version already holds the desired content, format and per-version fields."""
    stored_format = description.get("DocumentFormat") or "JSON"
    if stored_format != desired["document_format"]:
        return False
    try:
        stored = parse_content(text, stored_format)
    except ValueError:
        stored = text
    if not same_content(stored, desired["parsed"]):
        return False
    return all(
        desired[option] is None or (description.get(key) or "") == desired[option] for key, option in VERSION_FIELDS
    )


def predicted_view(base, desired, version, default_version, latest_version):
    """The managed version as it will be after the module's writes (check mode and diff)."""
    view = dict(base)
    view.update(
        {
            "content": desired["parsed"],
            "document_format": desired["document_format"],
            "document_version": version,
            "default_version": default_version,
            "latest_version": latest_version,
            "hash": content_hash(desired["text"]),
            "version_name": desired["version_name"],
        }
    )
    for key in ("display_name", "target_type"):
        if desired[key] is not None:
            view[key] = desired[key]
    if isinstance(desired["parsed"], dict):
        # What DescribeDocument reads out of the content; the rest (parameters, platforms) AWS derives.
        view["description"] = desired["parsed"].get("description")
        view["schema_version"] = desired["parsed"].get("schemaVersion")
    view.pop("created_date", None)
    return {key: value for key, value in view.items() if value is not None}


class DocumentManager:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.name = module.params["name"]
        self.check_mode = module.check_mode

    def desired(self):
        text = content_text(self.params["content"], self.params["document_format"])
        desired = {key: self.params[key] for key in ("document_format", "display_name", "version_name", "target_type")}
        desired.update(text=text, parsed=parse_content(text, self.params["document_format"]))
        return desired

    def read_view(self, version):
        description = wait_while(self.client, self.name, version, PENDING_STATUSES)
        text = get_content(self.client, self.name, version)
        view = document_view(description, text, get_tags(self.client, RESOURCE_TYPE, self.name))
        if description.get("Status") == "Failed":
            self.module.fail_json(
                msg=f"AWS could not process version {version} of document '{self.name}': "
                f"{description.get('StatusInformation', 'no reason given')}",
                document=view,
            )
        return view

    # state=absent

    def ensure_absent(self):
        current = describe(self.client, self.name)
        if current is None:
            return {"changed": False, "document": {}, "diff": resource_diff(None, None)}
        text = get_content(self.client, self.name, current["DocumentVersion"])
        before = document_view(current, text, get_tags(self.client, RESOURCE_TYPE, self.name))
        if not self.check_mode:
            try:
                self.client.delete_document(aws_retry=True, Name=self.name)
            except is_boto3_error_code("InvalidDocument"):
                pass  # a retried delete that AWS had already carried out
            wait_while(self.client, self.name, None, ("Deleting",))
        return {"changed": True, "document": {}, "diff": resource_diff(before, None)}

    # state=present

    def ensure_present(self):
        desired = self.desired()
        latest = describe(self.client, self.name, "$LATEST")
        if latest is None:
            return self.create(desired)
        return self.update(desired, latest)

    def create(self, desired):
        request = create_request(self.params, desired["text"])
        if self.check_mode:
            base = {"name": self.name, "document_type": self.params["document_type"], "status": "Creating"}
            base["tags"] = self.params["tags"] or {}
            if self.params["requires"]:
                base["requires"] = self.params["requires"]
            after = predicted_view(base, desired, "1", "1", "1")
            return {"changed": True, "document": after, "diff": resource_diff(None, after)}
        try:
            response = self.client.create_document(aws_retry=True, **request)
        except is_boto3_error_code("DocumentAlreadyExists"):
            # A retried create that AWS had already carried out: bring that document to the desired state. It
            # did not exist when this run looked, so the run changed it whatever the update finds.
            result = self.update(desired, describe(self.client, self.name, "$LATEST"))
            return dict(result, changed=True, diff=resource_diff(None, result["document"]))
        after = self.read_view(response["DocumentDescription"]["DocumentVersion"])
        return {"changed": True, "document": after, "diff": resource_diff(None, after)}

    def check_fixed_fields(self, latest):
        if latest["DocumentType"] != self.params["document_type"]:
            self.module.fail_json(
                msg=f"document_type: document '{self.name}' is a {latest['DocumentType']} document and AWS cannot "
                f"change the type of a document (asked for {self.params['document_type']}). Delete it "
                "(state: absent) and create it again, or use another name."
            )
        if self.params["requires"] is not None and not requires_match(self.params["requires"], latest.get("Requires")):
            self.module.fail_json(
                msg=f"requires: AWS sets the required documents of '{self.name}' only when it is created and cannot "
                f"change them; AWS holds {latest.get('Requires') or []}."
            )

    def update(self, desired, latest):
        self.check_fixed_fields(latest)
        set_default = self.params["set_default_version"]
        latest_number, default_number = latest["DocumentVersion"], latest["DefaultVersion"]
        latest_text = get_content(self.client, self.name, latest_number)
        tags = get_tags(self.client, RESOURCE_TYPE, self.name)
        if set_default and default_number != latest_number:
            target = describe(self.client, self.name, default_number)
            target_text = get_content(self.client, self.name, default_number)
        else:
            target, target_text = latest, latest_text
        before = document_view(target, target_text, tags)

        if version_matches(target, target_text, desired):
            changed, after = False, before
        elif set_default and target is not latest and version_matches(latest, latest_text, desired):
            changed, after = True, self.make_default(latest_number, document_view(latest, latest_text, tags))
        else:
            changed, after = self.new_version(desired, latest, latest_text, tags)

        tags_changed, new_tags = ensure_tags(
            self.client, self.check_mode, RESOURCE_TYPE, self.name, tags, self.params["tags"], self.params["purge_tags"]
        )
        if tags_changed:
            changed = True
            after = dict(after, tags=new_tags)
        if changed and not self.check_mode:
            after = self.read_view(after["document_version"])
        return {"changed": changed, "document": after, "diff": resource_diff(before, after)}

    def make_default(self, number, view):
        if not self.check_mode:
            self.client.update_document_default_version(aws_retry=True, Name=self.name, DocumentVersion=number)
        return dict(view, default_version=number)

    def new_version(self, desired, latest, latest_text, tags):
        """(changed, view) after UpdateDocument made the desired content the latest (and default) version."""
        self.check_new_version_allowed(desired, latest, latest_text)
        latest_number = latest["DocumentVersion"]
        next_number = str(int(latest_number) + 1)
        default_number = next_number if self.params["set_default_version"] else latest["DefaultVersion"]
        base = document_view(latest, None, tags)
        if self.check_mode:
            return True, predicted_view(base, desired, next_number, default_number, next_number)
        request = {
            "Name": self.name,
            "Content": desired["text"],
            "DocumentVersion": "$LATEST",
            "DocumentFormat": desired["document_format"],
        }
        request.update({key: desired[option] for key, option in VERSION_FIELDS if desired[option] is not None})
        try:
            response = self.client.update_document(aws_retry=True, **request)
        except is_boto3_error_code("DuplicateDocumentContent"):
            return self.existing_version_view(desired, latest, tags)
        number = response["DocumentDescription"]["DocumentVersion"]
        view = self.read_view(number)
        if self.params["set_default_version"]:
            view = self.make_default(number, view)
        return True, view

    def check_new_version_allowed(self, desired, latest, latest_text):
        if latest.get("SchemaVersion") == "1.2":
            self.module.fail_json(
                msg=f"content: document '{self.name}' has schemaVersion 1.2, which AWS cannot update; "
                "documents get new versions from schemaVersion 2.0 on. Delete it and create it again."
            )
        if desired["text"] == latest_text:
            differing = [
                option
                for key, option in VERSION_FIELDS + (("DocumentFormat", "document_format"),)
                if desired[option] is not None and (latest.get(key) or "") != desired[option]
            ]
            self.module.fail_json(
                msg=f"{', '.join(differing) or 'content'}: AWS makes a new version of document '{self.name}' only for "
                "new content and this content is the same as the latest version's; change content together "
                f"with {', '.join(differing) or 'the other fields'}."
            )
        version_name = desired["version_name"]
        if version_name:
            for version in list_versions(self.client, self.name):
                if version.get("VersionName") == version_name:
                    self.module.fail_json(
                        msg=f"version_name: '{version_name}' already names version {version['DocumentVersion']} of "
                        f"document '{self.name}'. AWS keeps version names unique, so new content needs a new "
                        "version_name, or leave version_name unset."
                    )

    def existing_version_view(self, desired, latest, tags):
        """(changed, view) of the older version AWS says holds this content already (DuplicateDocumentContent)."""
        for version in sorted(list_versions(self.client, self.name), key=lambda v: -int(v["DocumentVersion"])):
            number = version["DocumentVersion"]
            text = get_content(self.client, self.name, number)
            description = describe(self.client, self.name, number)
            if version_matches(description, text, desired):
                view = document_view(description, text, tags)
                if self.params["set_default_version"] and number != latest["DefaultVersion"]:
                    return True, self.make_default(number, view)
                return False, view
        self.module.fail_json(
            msg=f"content: AWS reports that this content duplicates a version of document '{self.name}' "
            "(DuplicateDocumentContent), but no version holds it with the requested format and fields."
        )


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        content=dict(type="raw"),
        document_format=dict(type="str", default="YAML", choices=list(DOCUMENT_FORMATS)),
        document_type=dict(type="str", default="Command", choices=list(DOCUMENT_TYPES)),
        target_type=dict(type="str"),
        version_name=dict(type="str"),
        display_name=dict(type="str"),
        requires=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                version=dict(type="str"),
                require_type=dict(type="str"),
                version_name=dict(type="str"),
            ),
        ),
        set_default_version=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = PatchModelModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["content"])],
        supports_check_mode=True,
    )
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib("PyYAML"))
    module.fail_on_problems(input_problems(module.params))

    manager = DocumentManager(module, module.ssm_client())
    try:
        if module.params["state"] == "absent":
            result = manager.ensure_absent()
        else:
            result = manager.ensure_present()
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage SSM document '{module.params['name']}'")
    module.exit_json(**result)


if __name__ == "__main__":
    main()
