"""Reading SSM document content as SSM does: parse by format, check the schema, derive what Describe shows."""

import json
import re

import yaml

from .errors import SSMError

MAX_CONTENT_BYTES = 64 * 1024
ALL_PLATFORMS = ("Windows", "Linux", "MacOS")

# Schema versions each document type accepts (User Guide, "Schemas, features, and examples").
SCHEMA_VERSIONS = {
    "Command": ("1.2", "2.0", "2.2"),
    "Policy": ("2.0", "2.2"),
    "Automation": ("0.3",),
    "Session": ("1.0",),
    "Package": ("2.0",),
}
# Types whose content is free-form (AppConfig data, calendars, templates): only the format is checked.
STEP_TYPES = ("Command", "Policy", "Automation")
PARAMETER_TYPES = ("String", "StringList", "Boolean", "Integer", "MapList", "StringMap")

# Plugins that run on fewer than all platforms (Command document plugin reference).
ACTION_PLATFORMS = {
    "aws:runShellScript": ("Linux", "MacOS"),
    "aws:runPowerShellScript": ("Windows",),
    "aws:applications": ("Windows",),
    "aws:psModule": ("Windows",),
    "aws:cloudWatch": ("Windows",),
    "aws:configureDocker": ("Windows", "Linux"),
    "aws:domainJoin": ("Windows", "Linux"),
}

# {{ Name }} references to document parameters (not {{ ssm:... }}, {{ step.Output }} or {{ global:... }}).
_PARAMETER_REFERENCE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")


def invalid_content(message):
    return SSMError("InvalidDocumentContent", message)


def parse(content, document_format):
    """The content as a Python value, or InvalidDocumentContent when it is not well-formed in its format."""
    if document_format == "JSON":
        try:
            return json.loads(content)
        except json.JSONDecodeError as error:
            raise invalid_content(f"JSON not well-formed. at Line: {error.lineno}, Column: {error.colno}") from None
    if document_format == "YAML":
        try:
            return yaml.safe_load(content)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" at Line: {mark.line + 1}, Column: {mark.column + 1}" if mark else ""
            raise invalid_content(f"YAML not well-formed.{where}") from None
    return content


def check_size(content):
    if len(content.encode("utf-8")) > MAX_CONTENT_BYTES:
        raise SSMError("MaxDocumentSizeExceeded", "The size limit of a document is 64 KB.")


def read(content, document_format, document_type):
    """Validate content for its type and return what DescribeDocument derives from it."""
    check_size(content)
    if document_type not in SCHEMA_VERSIONS:
        if document_format != "TEXT":
            parse(content, document_format)
        return {"SchemaVersion": None, "Description": None, "Parameters": [], "PlatformTypes": []}
    if document_format == "TEXT":
        raise invalid_content(f"The document format TEXT is not supported for {document_type} documents.")
    data = parse(content, document_format)
    if not isinstance(data, dict):
        raise invalid_content("The content for the document isn't valid.")
    schema_version = _schema_version(data, document_type)
    parameters = _parameters(data)
    if document_type in STEP_TYPES:
        _check_steps(data, schema_version)
        _check_references(data, parameters)
    description = data.get("description")
    return {
        "SchemaVersion": schema_version,
        "Description": description if isinstance(description, str) else None,
        "Parameters": parameters,
        "PlatformTypes": _platforms(data, document_type),
    }


def _schema_version(data, document_type):
    if "schemaVersion" not in data:
        raise invalid_content("Document schema version is missing.")
    version = str(data["schemaVersion"])
    if version not in SCHEMA_VERSIONS[document_type]:
        raise invalid_content(f"Document schema version is invalid. Value: {version}")
    return version


def _check_steps(data, schema_version):
    if schema_version == "1.2":
        if not isinstance(data.get("runtimeConfig"), dict) or not data["runtimeConfig"]:
            raise invalid_content("runtimeConfig is required for schema version 1.2.")
        return
    steps = data.get("mainSteps")
    if not isinstance(steps, list) or not steps:
        raise invalid_content(f"mainSteps is required for schema version {schema_version}.")
    for index, step in enumerate(steps):
        if not isinstance(step, dict) or not step.get("action") or not step.get("name"):
            raise invalid_content(f"Step {index + 1} of mainSteps must have an action and a name.")


def _parameters(data):
    declared = data.get("parameters") or {}
    if not isinstance(declared, dict):
        raise invalid_content("parameters must be a map of parameter names to definitions.")
    result = []
    for name, definition in declared.items():
        kind = definition.get("type") if isinstance(definition, dict) else None
        if kind not in PARAMETER_TYPES:
            raise invalid_content(f'Parameter "{name}" has an invalid type: {kind}.')
        parameter = {"Name": name, "Type": kind}
        if isinstance(definition.get("description"), str):
            parameter["Description"] = definition["description"]
        if "default" in definition:
            default = definition["default"]
            parameter["DefaultValue"] = default if isinstance(default, str) else json.dumps(default)
        result.append(parameter)
    return result


def _check_references(data, parameters):
    declared = {parameter["Name"] for parameter in parameters}
    body = json.dumps({key: value for key, value in data.items() if key != "parameters"}, default=str)
    for name in _PARAMETER_REFERENCE.findall(body):
        if name not in declared:
            raise invalid_content(f'Parameter "{name}" is not declared.')


def _platforms(data, document_type):
    if document_type != "Command":
        return list(ALL_PLATFORMS)
    found = set()
    if isinstance(data.get("runtimeConfig"), dict):
        for action in data["runtimeConfig"]:
            found.update(ACTION_PLATFORMS.get(action, ALL_PLATFORMS))
    for step in data.get("mainSteps") or []:
        condition = (step.get("precondition") or {}).get("StringEquals")
        if isinstance(condition, list) and len(condition) == 2 and condition[0] == "platformType":
            found.add(condition[1])
        else:
            found.update(ACTION_PLATFORMS.get(step.get("action"), ALL_PLATFORMS))
    return [platform for platform in ALL_PLATFORMS if platform in found]


def render(content, stored_format, wanted_format):
    """Content in the format GetDocument asks for: JSON and YAML convert into each other, TEXT does not."""
    if not wanted_format or wanted_format == stored_format:
        return content
    if "TEXT" in (stored_format, wanted_format):
        raise SSMError("ValidationException", f"Invalid document format {wanted_format}")
    data = parse(content, stored_format)
    if wanted_format == "JSON":
        return json.dumps(data, indent=2, default=str)
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True)
