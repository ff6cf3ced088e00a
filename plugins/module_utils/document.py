# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SSM documents: content parsed, serialised and compared by meaning, input checks, reads and results."""

from __future__ import annotations

import hashlib
import json
import time

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import get_or_none, paginate

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
DOCUMENT_TYPES = (
    "Command",
    "Policy",
    "Automation",
    "Session",
    "Package",
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
# Types whose content is a schema-versioned mapping (User Guide, "SSM document schemas and features").
SCHEMA_TYPES = ("Command", "Policy", "Automation", "Session", "Package")
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


def content_problems(content, document_format, document_type):
    """Why AWS would refuse this content for this format and type (empty when it would not)."""
    if not isinstance(content, (str, dict, list)):
        return [f"content: must be a string, a dict or a list, got {type(content).__name__}"]
    if document_format == "TEXT":
        if not isinstance(content, str):
            return ["content: a dict or list cannot be stored as document_format TEXT; give the text itself"]
        if document_type in SCHEMA_TYPES:
            return [f"document_format: TEXT is not allowed for {document_type} documents; use YAML or JSON"]
    problems = []
    text = content_text(content, document_format)
    if len(text.encode("utf-8")) > MAX_CONTENT_BYTES:
        problems.append(f"content: is {len(text.encode('utf-8'))} bytes; AWS allows at most {MAX_CONTENT_BYTES}")
    if document_format == "TEXT":
        return problems
    try:
        data = parse_content(text, document_format)
    except ValueError as error:
        return problems + [f"content: {error}, as document_format {document_format} requires"]
    if document_type in SCHEMA_TYPES:
        if not isinstance(data, dict):
            problems.append(f"content: a {document_type} document must be a mapping with schemaVersion at the top")
        elif "schemaVersion" not in data:
            problems.append(f"content: a {document_type} document needs a top-level schemaVersion")
    return problems


def name_problems(name):
    if name.lower().startswith(RESERVED_PREFIXES):
        return [
            f"name: '{name}' starts with a prefix AWS reserves for its own documents "
            "(aws-, amazon, amzn, AWSEC2, AWSConfigRemediation, AWSSupport, in any case); choose another name"
        ]
    return []


def same_content(first, second):
    """Parsed contents compare by meaning: key order and layout do not matter, values and list order do."""
    return first == second


def content_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def describe(client, name, document_version=None, version_name=None):
    """DescribeDocument's Document for one version ($DEFAULT when neither is given), or None if missing."""
    params = {"Name": name, "DocumentVersion": document_version, "VersionName": version_name}
    if not document_version and not version_name:
        params["DocumentVersion"] = "$DEFAULT"
    response = get_or_none(client, "describe_document", **{key: value for key, value in params.items() if value})
    return response["Document"] if response else None


def get_content(client, name, document_version):
    """The content text of one version, in the format it is stored in."""
    return client.get_document(aws_retry=True, Name=name, DocumentVersion=document_version)["Content"]


def list_versions(client, name):
    """Every version of a document (DocumentVersionInfo dicts), all pages."""
    return paginate(client, "list_document_versions", "DocumentVersions", Name=name)


def document_view(description, text, tags):
    """The document as modules return it: DescribeDocument in snake_case, tags as a dict, content parsed."""
    fields = {key: value for key, value in description.items() if key not in ("Tags", "Content")}
    view = camel_dict_to_snake_dict(fields)
    view["tags"] = tags if tags is not None else boto3_tag_list_to_ansible_dict(description.get("Tags") or [])
    if text is not None:
        try:
            view["content"] = parse_content(text, description.get("DocumentFormat") or "JSON")
        except ValueError:
            view["content"] = text
    return view


def wait_while(client, name, document_version, statuses, timeout=300, delay=2):
    """DescribeDocument of a version once its status has left `statuses` (or None once it is gone)."""
    deadline = time.monotonic() + timeout
    while True:
        description = describe(client, name, document_version)
        if description is None or description.get("Status") not in statuses or time.monotonic() >= deadline:
            return description
        time.sleep(delay)
