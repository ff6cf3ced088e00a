# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SSM documents: content parsed, serialised and compared by meaning, input checks and reads; the field table and the
Document resource (new content is a new version; content an older version holds is DuplicateDocumentContent)."""

from __future__ import annotations

import hashlib
import json
import time
from collections import namedtuple

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.patchmodel.ssm.plugins.module_utils.document_attachments import (
    ATTACHMENTS,
    attachment_problems,
    expected_names,
    held_names,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.document_permissions import (
    after_changes,
    permission_changes,
    permission_problems,
    permissions_spec,
    permissions_view,
    read_permissions,
    unshare,
    write_changes,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.fields import (
    SEND_ALWAYS,
    Field,
    Filled,
    Form,
    Records,
    Value,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import problem
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import Resource, options_spec
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import get_or_none, paginate
from ansible_collections.patchmodel.ssm.plugins.module_utils.tags import get_tags, tags_for_create

try:
    import yaml

    HAS_YAML = True

    class _PlainLoader(yaml.SafeLoader):
        """SafeLoader that keeps timestamps as strings, so parsed content stays JSON-serialisable."""

    _PlainLoader.yaml_implicit_resolvers = {
        first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
except ImportError:
    HAS_YAML = False

DOCUMENT_FORMATS = ("YAML", "JSON", "TEXT")
# Types whose content is a schema-versioned mapping (User Guide, "SSM document schemas and features").
SCHEMA_TYPES = ("Command", "Policy", "Automation", "Session", "Package")
DOCUMENT_TYPES = SCHEMA_TYPES + (
    "ApplicationConfiguration",
    "ApplicationConfigurationSchema",
    "DeploymentStrategy",
    "ChangeCalendar",
    "Automation.ChangeTemplate",
    "ProblemAnalysis",
    "ProblemAnalysisTemplate",
    "CloudFormation",
    "ConformancePackTemplate",
    "QuickSetup",
    "ManualApprovalPolicy",
    "AutoApprovalPolicy",
)
# CreateDocument: "You can't use the following strings as document name prefixes" (checked ignoring case).
RESERVED_PREFIXES = ("aws-", "amazon", "amzn", "awsec2", "awsconfigremediation", "awssupport")
MAX_CONTENT_BYTES = 64 * 1024
OWNERS = ("Self", "Amazon", "Private", "Public", "ThirdParty", "All")
# Statuses AWS reports while a version is still being processed.
PENDING_STATUSES = ("Creating", "Updating")


def parse_content(text, document_format):
    """The content as data (JSON, YAML) or text (TEXT); ValueError saying what is wrong when it is not."""
    if document_format == "TEXT":
        return text
    if document_format == "JSON":
        try:
            return json.loads(text)
        except ValueError as error:
            raise ValueError(f"is not valid JSON ({error})") from None
    try:
        return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        position = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        raise ValueError(f"is not valid YAML{position}") from None


def content_text(content, document_format):
    """The text sent to AWS: a string as given, a dict or list serialised in the document format."""
    if isinstance(content, str):
        return content
    if document_format == "JSON":
        return json.dumps(content, indent=2)
    return yaml.safe_dump(content, sort_keys=False, default_flow_style=False, allow_unicode=True)


Body = namedtuple("Body", "text document_format")  # content as AWS stores it: the text and the format it is in


class Content(Value):
    """The content (a Body): sent as its text, compared parsed (TEXT, or text that does not parse, as text)."""

    def to_api(self, value):
        return value.text

    def canonical(self, value):
        try:
            return parse_content(value.text, value.document_format) if value is not None else None
        except ValueError:
            return value.text

    def spec(self):
        return {"type": "raw"}


CONTENT = Content()


def content_problems(content, document_format, document_type):
    """Why AWS would refuse this content for this format and type (empty when it would not)."""
    if not isinstance(content, (str, dict, list)):
        return [problem("content", f"must be a string, a dict or a list, got {type(content).__name__}")]
    if document_format == "TEXT":
        if not isinstance(content, str):
            return [problem("content", "a dict or list cannot be stored as document_format TEXT; give the text itself")]
        if document_type in SCHEMA_TYPES:
            return [problem("document_format", f"TEXT is not allowed for {document_type} documents; use YAML or JSON")]
    problems = []
    text = content_text(content, document_format)
    size = len(text.encode("utf-8"))
    if size > MAX_CONTENT_BYTES:
        problems.append(problem("content", f"is {size} bytes; AWS allows at most {MAX_CONTENT_BYTES}"))
    if document_format == "TEXT":
        return problems
    try:
        data = parse_content(text, document_format)
    except ValueError as error:
        return problems + [problem("content", f"{error}, as document_format {document_format} requires")]
    kind = f"a {document_type} document"
    if document_type in SCHEMA_TYPES and not isinstance(data, dict):
        problems.append(problem("content", f"{kind} must be a mapping with schemaVersion at the top"))
    elif document_type in SCHEMA_TYPES and "schemaVersion" not in data:
        problems.append(problem("content", f"{kind} needs a top-level schemaVersion"))
    return problems


def name_problems(name):
    if not name.lower().startswith(RESERVED_PREFIXES):
        return []
    reserved = "aws-, amazon, amzn, AWSEC2, AWSConfigRemediation, AWSSupport, in any case"
    message = f"'{name}' starts with a prefix AWS reserves for its own documents ({reserved}); choose another name"
    return [problem("name", message)]


def describe(client, name, document_version=None, version_name=None):
    """DescribeDocument's Document for one version ($DEFAULT when neither is given), or None if missing."""
    params = {"Name": name, "DocumentVersion": document_version, "VersionName": version_name}
    if not document_version and not version_name:
        params["DocumentVersion"] = "$DEFAULT"
    response = get_or_none(client, "describe_document", **{key: value for key, value in params.items() if value})
    return response["Document"] if response else None


def get_version(client, name, document_version):
    """GetDocument of one version: its content text, in the format it is stored in, and its attachments."""
    return client.get_document(aws_retry=True, Name=name, DocumentVersion=document_version)


def get_content(client, name, document_version):
    return get_version(client, name, document_version)["Content"]


def list_versions(client, name):
    """Every version of a document (DocumentVersionInfo dicts), all pages."""
    return paginate(client, "list_document_versions", "DocumentVersions", Name=name)


def document_view(description, text, tags):
    """The document as modules return it: DescribeDocument in snake_case, tags as a dict, content parsed."""
    fields = {key: value for key, value in description.items() if key not in ("Tags", "Content")}
    view = camel_dict_to_snake_dict(fields)
    view["tags"] = tags if tags is not None else boto3_tag_list_to_ansible_dict(description.get("Tags") or [])
    if text is not None:
        view["content"] = CONTENT.canonical(Body(text, description.get("DocumentFormat") or "JSON"))
    return view


def wait_while(client, name, document_version, statuses, timeout=300, delay=2):
    """DescribeDocument of a version once its status has left `statuses` (or None once it is gone)."""
    deadline = time.monotonic() + timeout
    while True:
        description = describe(client, name, document_version)
        if description is None or description.get("Status") not in statuses or time.monotonic() >= deadline:
            return description
        time.sleep(delay)


# --- the resource

RESOURCE_TYPE = "Document"  # its tags are keyed by the document name


def _given(*args, **kwargs):
    """A field sent whenever the options give it, even empty, as the user gave it."""
    return Field(*args, send=SEND_ALWAYS, **kwargs)


# A version made without DocumentFormat is JSON.  # AWS: UpdateDocument.DocumentFormat
JSON_IS_DEFAULT = Filled("JSON", "CreateDocument.DocumentFormat")
_REQUIRED_DOCUMENT = Records(
    _given("name", "Name", required=True),
    _given("version", "Version"),
    _given("require_type", "RequireType"),
    _given("version_name", "VersionName"),
)
FORM = Form(
    _given("name", "Name", required=True),
    _given("content", "Content", CONTENT),
    _given("document_format", "DocumentFormat", filled=JSON_IS_DEFAULT, choices=list(DOCUMENT_FORMATS), default="YAML"),
    # A different type fails (state_problems).  # AWS: shape:UpdateDocument.DocumentType
    _given("document_type", "DocumentType", update=False, choices=list(DOCUMENT_TYPES), default="Command"),
    _given("display_name", "DisplayName"),
    _given("version_name", "VersionName"),
    _given("target_type", "TargetType"),
    # Set at creation only: a different list fails (state_problems).  # AWS: shape:UpdateDocument.Requires
    _given("requires", "Requires", _REQUIRED_DOCUMENT, update=False),
    # Sent with the create and with every new version: each version has its own.
    _given("attachments", "Attachments", ATTACHMENTS),
)
# What each version has of its own. A new version is predicted to keep the display name and target type it is not
# sent, and to have no version name unless it is sent one.
VERSION_OPTIONS = ("display_name", "version_name", "target_type")
KEPT_BY_NEW_VERSIONS = ("display_name", "target_type")
MAKE_DEFAULT, NEW_VERSION = "make default", "new version"  # what a present document needs written


def differences(description, text, desired):
    """The options in which a version (description, content text) differs from `desired`; unset ones match any."""
    stored = FORM.from_api(description)
    content = CONTENT.canonical(Body(text, stored["document_format"]))
    return (
        ([] if content == desired["parsed"] else ["content"])
        + [
            option
            for option in VERSION_OPTIONS + ("document_format",)
            if desired[option] is not None and (stored[option] or "") != desired[option]
        ]
        + attachment_differences(description, desired)
    )


def attachment_differences(description, desired):
    """["attachments"] when the version holds other attachments than the option names (by name: AWS reports no
    more); none when the option is unset or AWS will name some of them."""
    names = expected_names(desired["attachments"]) if desired["attachments"] is not None else None
    return ["attachments"] if names is not None and names != held_names(description) else []


def requires_match(desired, current):
    """Each required document the user lists matches one AWS holds, on the fields the user gave."""
    remaining = list(current or [])
    for item in _REQUIRED_DOCUMENT.to_api(desired):
        match = next((held for held in remaining if all(held.get(k) == v for k, v in item.items())), None)
        if match is None:
            return False
        remaining.remove(match)
    return not remaining


def predicted_view(base, desired, version, default_version):
    """The managed version as it will be after the module's writes (check mode and diff): the latest one."""
    view = dict(
        base,
        content=desired["parsed"],
        document_format=desired["document_format"],
        document_version=version,
        default_version=default_version,
        latest_version=version,
        hash=hashlib.sha256(desired["content"].text.encode("utf-8")).hexdigest(),
        version_name=desired["version_name"],
    )
    view.update({option: desired[option] for option in KEPT_BY_NEW_VERSIONS if desired[option] is not None})
    if isinstance(desired["parsed"], dict):
        # What DescribeDocument reads out of the content; the rest (parameters, platforms) AWS derives.
        view["description"] = desired["parsed"].get("description")
        view["schema_version"] = desired["parsed"].get("schemaVersion")
    view.pop("created_date", None)
    return {key: value for key, value in view.items() if value is not None}


class Document(Resource):
    kind = "SSM document"
    result_key = "document"
    form = FORM
    tag_type = RESOURCE_TYPE
    id_option = "name"
    arn_type = "document"
    rules = {"required_if": [("state", "present", ["content"])]}

    @classmethod
    def argument_spec(cls):
        default_version = dict(type="bool", default=True)
        return options_spec(FORM, tagged=True, set_default_version=default_version, **permissions_spec())

    # describe(): the latest version and the managed one (the default with set_default_version), with their texts
    latest = latest_text = target = target_text = None
    plan = None  # MAKE_DEFAULT or NEW_VERSION, once changes() found what to write
    after_version = None  # the version the result describes after a real write
    recovered = None  # the result of a create AWS had already carried out (DocumentAlreadyExists)
    shared = None  # what is shared, {account id: version}: read when the options give permissions, then as settled

    @property
    def name(self):
        return self.params["name"]

    def option_problems(self):
        found = name_problems(self.name)
        if self.params["state"] == "absent":
            return found + FORM.problems(self.checker, "DeleteDocument", {"name": self.name})
        found += content_problems(*(self.params[key] for key in ("content", "document_format", "document_type")))
        found += permission_problems(self.params["permissions"]) + attachment_problems(self.params["attachments"])
        return found + FORM.problems(self.checker, "CreateDocument", self.desired(None))

    def find(self):
        # present: the latest version (the one UpdateDocument adds to); absent: the default one.
        return describe(self.client, self.name, "$LATEST" if self.params["state"] == "present" else None)

    def identity(self, current):
        return self.name

    def describe(self, current):
        number, default = current["DocumentVersion"], current.get("DefaultVersion")
        self.latest, self.latest_text = current, get_content(self.client, self.name, number)
        tags = self.reads.tags(RESOURCE_TYPE, self.name)
        self.target, self.target_text = self.latest, self.latest_text
        if self.params["state"] == "present" and self.params["set_default_version"] and default != number:
            self.target = describe(self.client, self.name, default)
            self.target_text = get_content(self.client, self.name, default)
        self.after_version = self.target["DocumentVersion"]
        view = document_view(self.target, self.target_text, tags)
        if self.params["state"] == "present" and self.params["permissions"] is not None:
            self.shared = read_permissions(self.client, self.name)
            view["permissions"] = permissions_view(self.shared)
        return view

    def delete(self, current, before):
        try:
            self.client.delete_document(aws_retry=True, Name=self.name)
        except is_boto3_error_code("InvalidDocument"):
            pass  # a retried delete that AWS had already carried out
        except is_boto3_error_code("InvalidDocumentOperation"):
            # AWS deletes no document that is still shared: stop sharing it, then delete it.
            # AWS: InvalidDocumentOperation
            if not unshare(self.client, self.name):
                raise
            self.client.delete_document(aws_retry=True, Name=self.name)
        wait_while(self.client, self.name, None, ("Deleting",))

    def desired(self, current_form):
        """The options (None: keep what the version has), content as a Body (None if not content), its meaning."""
        content, document_format = self.params["content"], self.params["document_format"]
        valid = isinstance(content, (str, dict, list))
        desired = FORM.from_options(
            dict(self.params, content=Body(content_text(content, document_format), document_format) if valid else None)
        )
        return dict(desired, parsed=CONTENT.canonical(desired["content"]))

    def state_problems(self, current_form, desired):
        """What AWS cannot change in an existing document: its type and the documents it requires."""
        if current_form is None:
            return []
        kind, held = current_form["document_type"], self.latest.get("Requires")
        found = []
        if kind != desired["document_type"]:
            message = (
                f"document '{self.name}' is a {kind} document and AWS cannot change the type of a document (asked "
                f"for {desired['document_type']}). Delete it (state: absent) and create it again, or use another name."
            )
            found.append(problem("document_type", message))
        if self.params["requires"] is not None and not requires_match(self.params["requires"], held):
            message = (
                f"AWS sets the required documents of '{self.name}' only when it is created and cannot change them; "
                f"AWS holds {held or []}."
            )
            found.append(problem("requires", message))
        return found

    def changes(self, current_form, desired):
        """None when the managed version holds the options, else the latest made the default or a new version."""
        if not differences(self.target, self.target_text, desired):
            return []
        if self.target is not self.latest and not differences(self.latest, self.latest_text, desired):
            self.plan = MAKE_DEFAULT
            return ["set_default_version"]
        self.module.fail_on_problems(self.new_version_problems(desired))
        self.plan = NEW_VERSION
        return differences(self.latest, self.latest_text, desired)

    def new_version_problems(self, desired):
        if self.latest.get("SchemaVersion") == "1.2":
            message = (
                f"document '{self.name}' has schemaVersion 1.2, which AWS cannot update; documents get new versions "
                "from schemaVersion 2.0 on. Delete it and create it again."
            )
            return [problem("content", message)]
        if desired["content"].text == self.latest_text:
            found = differences(self.latest, self.latest_text, desired)
            differing = ", ".join(option for option in found if option != "content")
            message = (
                f"AWS makes a new version of document '{self.name}' only for new content and this content is the "
                f"same as the latest version's; change content together with {differing or 'the other fields'}."
            )
            return [problem(differing or "content", message)]
        version_name = desired["version_name"]
        for version in list_versions(self.client, self.name) if version_name else []:
            if version.get("VersionName") == version_name:
                message = (
                    f"'{version_name}' already names version {version['DocumentVersion']} of document '{self.name}'. "
                    "AWS keeps version names unique, so new content needs a new version_name, or leave version_name "
                    "unset."
                )
                return [problem("version_name", message)]
        return []

    def settle(self, identity, current, desired, before):
        """Tags, then the permissions: the difference only, 20 account ids a call (both modes; no write in check
        mode)."""
        changed = super().settle(identity, current, desired, before)
        wanted = self.params["permissions"]
        if wanted is None:
            return changed
        current_shared = self.shared if self.shared is not None else {}  # {} for a new document
        to_add, to_remove = permission_changes(current_shared, wanted, self.params["purge_permissions"])
        if not to_add and not to_remove:
            self.shared = current_shared
            return changed
        self.shared = after_changes(current_shared, wanted, to_add, to_remove)
        if not self.check_mode:
            write_changes(self.client, self.name, to_add, to_remove, wanted["shared_document_version"])
            self.shared = read_permissions(self.client, self.name)
        return True

    def with_permissions(self, view):
        return dict(view, permissions=permissions_view(self.shared)) if self.shared is not None else view

    def create(self, desired):
        request = dict(FORM.to_request(desired, create=True), **tags_for_create(self.params["tags"]))
        try:
            response = self.client.create_document(aws_retry=True, **request)
        except is_boto3_error_code("DocumentAlreadyExists"):
            # A retried create that AWS had already carried out: bring that document to the desired state. It did not
            # exist when this run looked, so the run changed it whatever the update finds.
            _changed, _before, self.recovered = self.ensure()
            return self.name
        self.after_version = response["DocumentDescription"]["DocumentVersion"]
        return self.name

    def update(self, current, desired):
        """Make the latest version the default, or add a new version; False when AWS already held the content."""
        if self.plan == MAKE_DEFAULT:
            self.after_version = self.latest["DocumentVersion"]
            self.make_default(self.after_version, {})
            return True
        changed, view = self.new_version(desired, self.latest, {})  # read() reads the version with its tags
        self.after_version = view["document_version"]
        return changed

    def make_default(self, number, view):
        self.client.update_document_default_version(aws_retry=True, Name=self.name, DocumentVersion=number)
        return dict(view, default_version=number)

    def new_version(self, desired, latest, tags):
        """(changed, view) after UpdateDocument made the desired content the latest (and default) version."""
        # New content is always added on top of $LATEST.  # AWS: UpdateDocument.DocumentVersion
        request = dict(FORM.to_request(desired, create=False), DocumentVersion="$LATEST")
        try:
            response = self.client.update_document(aws_retry=True, **request)
        except is_boto3_error_code("DuplicateDocumentContent"):
            return self.existing_version_view(desired, latest, tags)
        number = response["DocumentDescription"]["DocumentVersion"]
        view = self.read_view(number)
        if self.params["set_default_version"]:
            view = self.make_default(number, view)
        return True, view

    def existing_version_view(self, desired, latest, tags):
        """(changed, view) of the older version AWS says holds this content already (DuplicateDocumentContent)."""
        for version in sorted(list_versions(self.client, self.name), key=lambda v: -int(v["DocumentVersion"])):
            number = version["DocumentVersion"]
            text = get_content(self.client, self.name, number)
            description = describe(self.client, self.name, number)
            if not differences(description, text, desired):
                view = document_view(description, text, tags)
                if self.params["set_default_version"] and number != latest["DefaultVersion"]:
                    return True, self.make_default(number, view)
                return False, view
        self.module.fail_json(
            msg=f"content: AWS reports that this content duplicates a version of document '{self.name}' "
            "(DuplicateDocumentContent), but no version holds it with the requested format and fields."
        )

    def read_view(self, version):
        """The version once AWS has processed it; fails with AWS's reason when it could not."""
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

    def read(self, identity, current, desired, wrote):
        view = self.recovered if self.recovered is not None else self.read_view(self.after_version)
        return self.with_permissions(view)

    def predicted(self, identity, current, desired):
        if current is None:
            base = {"name": self.name, "document_type": desired["document_type"], "status": "Creating"}
            view = predicted_view(dict(base, requires=self.params["requires"] or None), desired, "1", "1")
        elif self.plan == MAKE_DEFAULT:
            view = document_view(self.latest, self.latest_text, {})
            view["default_version"] = view["document_version"]
        elif self.plan == NEW_VERSION:
            number = str(int(self.latest["DocumentVersion"]) + 1)
            default = number if self.params["set_default_version"] else self.latest["DefaultVersion"]
            view = predicted_view(document_view(self.latest, None, {}), desired, number, default)
        else:
            view = document_view(self.target, self.target_text, {})
        if current is None or self.plan == NEW_VERSION:  # a new version has the attachments sent with it
            names = expected_names(self.params["attachments"] or [])
            view.pop("attachments_information", None)
            if names:
                view["attachments_information"] = [{"name": name} for name in names]
        return self.with_permissions(dict(view, tags=self.tags))
