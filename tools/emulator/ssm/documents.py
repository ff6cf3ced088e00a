"""SSM documents of the local endpoint: create, read, version, list and delete, plus the AWS-owned ones.

state.documents maps a name to a record: {"Name", "Owner", "DocumentType", "DefaultVersion",
"LastVersion" (highest number ever given), "Versions": {"1": version record}}. A version record holds
the API's per-version fields (Content, DocumentFormat, Hash, CreatedDate, ...). Responses are built
field by field, so nothing internal leaks.
"""

import hashlib

from . import documents_attachments as attachments
from . import documents_content as content_rules
from .common import now, page_result
from .documents_aws import AWS_DOCUMENTS
from .documents_filters import AMAZON, filter_predicate
from .errors import SSMError
from .registry import operation, seeder
from .tags import apply_tags, drop_tags, tag_list

MAX_DOCUMENTS = 500
MAX_VERSIONS = 1000
# Checked case-insensitively; "aws-" keeps its hyphen, so names like "awsome-doc" stay allowed.
RESERVED_PREFIXES = ("aws-", "amazon", "amzn", "awsec2", "awsconfigremediation", "awssupport")


def _no_document():
    return SSMError("InvalidDocument", "No matching value was found for Name.")


def _no_version():
    return SSMError("InvalidDocumentVersion", "The document version isn't valid or doesn't exist.")


def _plain_name(name):
    """Read operations also take the document's ARN (arn:aws:ssm:<region>:<account>:document/<name>)."""
    return name.split(":document/", 1)[1] if name.startswith("arn:") and ":document/" in name else name


def find(state, name):
    """The document record for a name or ARN, or None (for other areas, e.g. task document checks)."""
    return state.documents.get(_plain_name(name))


def _document(state, name):
    record = find(state, name)
    if record is None:
        raise _no_document()
    return record


def _latest(record):
    return str(max(int(number) for number in record["Versions"]))


def _version(record, document_version=None, version_name=None):
    """The version record that DocumentVersion ($LATEST, $DEFAULT, a number) and/or VersionName select."""
    chosen = None
    if document_version:
        number = {"$LATEST": _latest(record), "$DEFAULT": record["DefaultVersion"]}.get(
            document_version, document_version
        )
        chosen = record["Versions"].get(number)
        if chosen is None:
            raise _no_version()
    if version_name:
        named = [version for version in record["Versions"].values() if version.get("VersionName") == version_name]
        if not named or (chosen is not None and named[0] is not chosen):
            raise _no_version()
        chosen = named[0]
    return chosen or record["Versions"][record["DefaultVersion"]]


def _new_version(number, params, derived, created, attached=()):
    text = params["Content"]
    return {
        "DocumentVersion": number,
        "Content": text,
        # AWS: CreateDocument.DocumentFormat
        "DocumentFormat": params.get("DocumentFormat") or "JSON",
        "Hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "CreatedDate": created,
        "VersionName": params.get("VersionName"),
        "DisplayName": params.get("DisplayName"),
        "TargetType": params.get("TargetType"),
        "Requires": params.get("Requires"),
        "Attachments": list(attached),
        **derived,
    }


def _compact(fields):
    return {key: value for key, value in fields.items() if value is not None}


def _description(state, record, version):
    return _compact(
        {
            "Hash": version["Hash"],
            "HashType": "Sha256",
            "Name": record["Name"],
            "DisplayName": version["DisplayName"],
            "VersionName": version["VersionName"],
            "Owner": record["Owner"],
            "CreatedDate": version["CreatedDate"],
            "Status": "Active",
            "DocumentVersion": version["DocumentVersion"],
            "Description": version["Description"],
            "Parameters": [dict(parameter) for parameter in version["Parameters"]],
            "PlatformTypes": list(version["PlatformTypes"]),
            "DocumentType": record["DocumentType"],
            "SchemaVersion": version["SchemaVersion"],
            "LatestVersion": _latest(record),
            "DefaultVersion": record["DefaultVersion"],
            "DocumentFormat": version["DocumentFormat"],
            "TargetType": version["TargetType"],
            "Tags": tag_list(state, "Document", record["Name"]),
            "Requires": version["Requires"],
            "AttachmentsInformation": attachments.information(version.get("Attachments") or []),
        }
    )


def _identifier(state, record):
    version = record["Versions"][record["DefaultVersion"]]
    return _compact(
        {
            "Name": record["Name"],
            "CreatedDate": version["CreatedDate"],
            "DisplayName": version["DisplayName"],
            "Owner": record["Owner"],
            "VersionName": version["VersionName"],
            "PlatformTypes": list(version["PlatformTypes"]),
            "DocumentVersion": version["DocumentVersion"],
            "DocumentType": record["DocumentType"],
            "SchemaVersion": version["SchemaVersion"],
            "DocumentFormat": version["DocumentFormat"],
            "TargetType": version["TargetType"],
            "Tags": tag_list(state, "Document", record["Name"]),
            "Requires": version["Requires"],
        }
    )


def _check_name_allowed(name):
    if name.lower().startswith(RESERVED_PREFIXES):
        raise SSMError(
            "ValidationException",
            f"Invalid document name {name}. Document names can't start with the prefixes reserved by AWS: "
            "aws-, amazon, amzn, AWSEC2, AWSConfigRemediation, AWSSupport.",
        )


def _refuse_aws_owned(record, action):
    if record["Owner"] == AMAZON:
        raise SSMError("InvalidDocumentOperation", f"You can't {action} a document owned by Amazon.")


@seeder
def seed_aws_documents(state):
    for name, (text, created) in AWS_DOCUMENTS.items():
        derived = content_rules.read(text, "JSON", "Command")
        state.documents[name] = {
            "Name": name,
            "Owner": AMAZON,
            "DocumentType": "Command",
            "DefaultVersion": "1",
            "LastVersion": 1,
            "Versions": {"1": _new_version("1", {"Content": text}, derived, created)},
        }


@operation("CreateDocument")
def create_document(state, params):
    name = params["Name"]
    _check_name_allowed(name)
    if name in state.documents:
        raise SSMError("DocumentAlreadyExists", f"Document with same name {name} already exists")
    document_type = params.get("DocumentType") or "Command"
    derived = content_rules.read(params["Content"], params.get("DocumentFormat") or "JSON", document_type)
    if sum(record["Owner"] == state.account for record in state.documents.values()) >= MAX_DOCUMENTS:
        raise SSMError("DocumentLimitExceeded", f"You can have at most {MAX_DOCUMENTS} active SSM documents.")
    attached = attachments.resolve(state, params.get("Attachments"), find)
    apply_tags(state, "Document", name, params.get("Tags"))
    record = {
        "Name": name,
        "Owner": state.account,
        "DocumentType": document_type,
        "DefaultVersion": "1",
        "LastVersion": 1,
        "Versions": {"1": _new_version("1", params, derived, now(), attached)},
    }
    state.documents[name] = record
    return {"DocumentDescription": _description(state, record, record["Versions"]["1"])}


@operation("DescribeDocument")
def describe_document(state, params):
    record = _document(state, params["Name"])
    version = _version(record, params.get("DocumentVersion"), params.get("VersionName"))
    return {"Document": _description(state, record, version)}


@operation("GetDocument")
def get_document(state, params):
    record = _document(state, params["Name"])
    version = _version(record, params.get("DocumentVersion"), params.get("VersionName"))
    text = content_rules.render(version["Content"], version["DocumentFormat"], params.get("DocumentFormat"))
    return _compact(
        {
            "Name": record["Name"],
            "CreatedDate": version["CreatedDate"],
            "DisplayName": version["DisplayName"],
            "VersionName": version["VersionName"],
            "DocumentVersion": version["DocumentVersion"],
            "Status": "Active",
            "Content": text,
            "DocumentType": record["DocumentType"],
            "DocumentFormat": params.get("DocumentFormat") or version["DocumentFormat"],
            "Requires": version["Requires"],
            "AttachmentsContent": attachments.content(version.get("Attachments") or []),
        }
    )


def _check_updatable(record, params):
    name = record["Name"]
    latest = _latest(record)
    requested = params.get("DocumentVersion") or "$LATEST"
    resolved = {"$LATEST": latest, "$DEFAULT": record["DefaultVersion"]}.get(requested, requested)
    # AWS: UpdateDocument.DocumentVersion
    if resolved != latest:
        raise SSMError(
            "InvalidDocumentVersion",
            f"Version provided for document {name} is not latest. Please provide the latest version to update "
            f"document {name}",
        )
    latest_version = record["Versions"][latest]
    if latest_version["SchemaVersion"] and latest_version["SchemaVersion"].startswith("1."):
        raise SSMError(
            "InvalidDocumentSchemaVersion",
            f"Documents with schema version {latest_version['SchemaVersion']} can't be updated. "
            "Create a document with schema version 2.0 or later.",
        )
    version_name = params.get("VersionName")
    if version_name and any(v.get("VersionName") == version_name for v in record["Versions"].values()):
        raise SSMError(
            "DuplicateDocumentVersionName",
            "The version name has already been used in this document. Specify a different version name, "
            "and then try again.",
        )
    if params["Content"] == latest_version["Content"]:
        raise SSMError(
            "DuplicateDocumentContent",
            "The content of the association document matches another document. "
            "Change the content of the document and try again.",
        )
    if len(record["Versions"]) >= MAX_VERSIONS:
        raise SSMError(
            "DocumentVersionLimitExceeded",
            "The document has too many versions. Delete one or more document versions and try again.",
        )
    return latest_version


@operation("UpdateDocument")
def update_document(state, params):
    record = _document(state, params["Name"])
    _refuse_aws_owned(record, "update")
    latest_version = _check_updatable(record, params)
    # AWS: UpdateDocument.DocumentFormat
    # AWS: shape:UpdateDocument.DocumentType — the record's type, never the request's
    derived = content_rules.read(params["Content"], params.get("DocumentFormat") or "JSON", record["DocumentType"])
    # Display name and target type carry over from the latest version unless given again.
    # AWS: shape:UpdateDocument.Requires — carried over, UpdateDocument cannot send it
    carried = {key: latest_version[key] for key in ("DisplayName", "TargetType", "Requires")}
    given = {key: value for key, value in params.items() if value is not None}
    number = str(record["LastVersion"] + 1)
    # Each version has the attachments its own request names.
    attached = attachments.resolve(state, params.get("Attachments"), find)
    version = _new_version(number, {**carried, **given}, derived, now(), attached)
    record["Versions"][number] = version
    record["LastVersion"] += 1
    return {"DocumentDescription": _description(state, record, version)}


@operation("UpdateDocumentDefaultVersion")
def update_document_default_version(state, params):
    record = _document(state, params["Name"])
    if record["Owner"] == AMAZON:
        raise _no_document()
    version = record["Versions"].get(params["DocumentVersion"])
    if version is None:
        raise _no_version()
    if version["SchemaVersion"] and version["SchemaVersion"].startswith("1."):
        raise SSMError(
            "InvalidDocumentSchemaVersion",
            f"The default version can't be changed for documents with schema version {version['SchemaVersion']}.",
        )
    record["DefaultVersion"] = version["DocumentVersion"]
    return {
        "Description": _compact(
            {
                "Name": record["Name"],
                "DefaultVersion": version["DocumentVersion"],
                "DefaultVersionName": version["VersionName"],
            }
        )
    }


@operation("DeleteDocument")
def delete_document(state, params):
    record = _document(state, params["Name"])
    _refuse_aws_owned(record, "delete")
    if record["DocumentType"] == "ApplicationConfigurationSchema" and not params.get("Force"):
        raise SSMError(
            "InvalidDocumentOperation",
            "You must specify the Force flag to delete a document of type ApplicationConfigurationSchema.",
        )
    if not params.get("DocumentVersion") and not params.get("VersionName"):
        if record.get("Permissions"):
            # AWS: InvalidDocumentOperation — a shared document is unshared before it can be deleted
            raise SSMError(
                "InvalidDocumentOperation",
                "You attempted to delete a document while it is still shared. You must stop sharing the document "
                "before you can delete it.",
            )
        del state.documents[record["Name"]]
        drop_tags(state, "Document", record["Name"])
        return {}
    try:
        version = _version(record, params.get("DocumentVersion"), params.get("VersionName"))
    except SSMError:
        raise SSMError("InvalidDocument", "The specified document version does not exist.") from None
    if version["DocumentVersion"] == record["DefaultVersion"]:
        raise SSMError("InvalidDocumentOperation", "Default version of the document can't be deleted.")
    del record["Versions"][version["DocumentVersion"]]
    return {}


@operation("ListDocuments")
def list_documents(state, params):
    predicates = [filter_predicate(f["Key"], f.get("Values") or []) for f in params.get("Filters") or []]
    # The deprecated DocumentFilterList: lower-case members, one value each.
    predicates += [filter_predicate(f["key"], [f["value"]]) for f in params.get("DocumentFilterList") or []]
    matching = [
        _identifier(state, record)
        for _, record in sorted(state.documents.items())
        if all(matches(state, record) for matches in predicates)
    ]
    return page_result({}, "DocumentIdentifiers", matching, params, 50)


@operation("ListDocumentVersions")
def list_document_versions(state, params):
    record = _document(state, params["Name"])
    versions = [
        _compact(
            {
                "Name": record["Name"],
                "DisplayName": version["DisplayName"],
                "DocumentVersion": version["DocumentVersion"],
                "VersionName": version["VersionName"],
                "CreatedDate": version["CreatedDate"],
                "IsDefaultVersion": version["DocumentVersion"] == record["DefaultVersion"],
                "DocumentFormat": version["DocumentFormat"],
                "Status": "Active",
            }
        )
        for _, version in sorted(record["Versions"].items(), key=lambda item: int(item[0]))
    ]
    return page_result({}, "DocumentVersions", versions, params, 50)
