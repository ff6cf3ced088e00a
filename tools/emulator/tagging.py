"""Resource Groups Tagging API GetResources: the SSM backend's resources, then moto's for every other service.

moto serves the Tagging API but knows nothing of the SSM backend's windows, baselines, documents and managed
nodes. So GetResources is answered here: the caller's (account, region) SSM resources of the asked types first
(tools/emulator/ssm/tagged.py), then, unless every ResourceTypeFilter is one of those types, what moto's own
backend lists for the same account and region (its SSM parameters, EC2 instances, ...). One list, paged here.
"""

import base64
import binascii
import hashlib
import json
import re

import botocore.session

from .moto_lock import MOTO_LOCK
from .ssm.errors import SSMError
from .ssm.tagged import TYPES, tagged_resources
from .ssm.validation import validate_input

TARGET = "ResourceGroupsTaggingAPI_20170126.GetResources"
MODEL = botocore.session.get_session().get_service_model("resourcegroupstaggingapi")
MAX_RESOURCE_TYPES = 100
DEFAULT_RESOURCES_PER_PAGE = 100  # the API reference names no default; its maximum
_PAGE_PARAMETERS = ("ResourcesPerPage", "TagsPerPage", "PaginationToken")
# AWS: tagging:GetResources.ResourceTypeFilters
_RESOURCE_TYPE = re.compile(r"[a-z0-9-]+(?::[A-Za-z0-9./-]+)?")


class TaggingError(Exception):
    def __init__(self, message, code="InvalidParameterException"):
        super().__init__(message)
        self.code = code
        self.message = message


def _check(params):
    try:
        validate_input(MODEL.operation_model("GetResources"), params)
    except SSMError as error:  # the Tagging API answers its input constraints with InvalidParameterException
        raise TaggingError(error.message) from None
    per_page, tags_per_page = params.get("ResourcesPerPage"), params.get("TagsPerPage")
    if per_page is not None and not 1 <= per_page <= 100:
        raise TaggingError("ResourcesPerPage must be between 1 and 100.")
    if tags_per_page is not None and not 100 <= tags_per_page <= 500:
        raise TaggingError("TagsPerPage must be between 100 and 500.")
    if params.get("ResourceARNList") and any(params.get(k) for k in ("ResourceTypeFilters", "TagFilters")):
        raise TaggingError("ResourceARNList cannot be used with ResourceTypeFilters or TagFilters.")
    if params.get("ResourceARNList") and any(params.get(k) is not None for k in _PAGE_PARAMETERS):
        raise TaggingError("ResourceARNList cannot be used with ResourcesPerPage, TagsPerPage or PaginationToken.")
    if params.get("ExcludeCompliantResources") and not params.get("IncludeComplianceDetails"):
        raise TaggingError("ExcludeCompliantResources can be used only with IncludeComplianceDetails set to true.")
    resource_types = params.get("ResourceTypeFilters") or []
    if len(resource_types) > MAX_RESOURCE_TYPES:
        raise TaggingError(f"ResourceTypeFilters can include up to {MAX_RESOURCE_TYPES} items.")
    malformed = [value for value in resource_types if not _RESOURCE_TYPE.fullmatch(value)]
    if malformed:
        raise TaggingError(f"Resource type {malformed[0]} is not in the format service[:resourceType].")


def _ssm_types(resource_types):
    """The SSM backend's resource types a ResourceTypeFilters list asks for (all of them when it is empty)."""
    if not resource_types:
        return list(TYPES)
    return [kind for kind in TYPES if kind in resource_types or kind.split(":")[0] in resource_types]


def _matches_tags(tags, tag_filters):
    """Every filter holds: its key is present with one of its values, or with any value when it lists none."""
    for tag_filter in tag_filters:
        key, values = tag_filter["Key"], tag_filter.get("Values") or []
        if key not in tags or (values and tags[key] not in values):
            return False
    return True


def _moto_resources(account, region, resource_types):
    """[(resource type, ARN, tags)] moto's services hold for the account and region, SSM backend types left out."""
    from moto.resourcegroupstaggingapi.models import resourcegroupstaggingapi_backends

    found, token = [], None
    with MOTO_LOCK:
        backend = resourcegroupstaggingapi_backends[account][region]
        while True:
            token, page = backend.get_resources(
                pagination_token=token, resources_per_page=100, tags_per_page=500, resource_type_filters=resource_types
            )
            found += [(r.resource_type, r.arn, dict(r.tags)) for r in page if r.resource_type not in TYPES]
            if not token:
                return found


def _query_digest(params):
    query = {key: value for key, value in params.items() if key not in _PAGE_PARAMETERS}
    return hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()[:16]


def _start(params):
    token = params.get("PaginationToken")
    if not token:
        return 0
    try:
        decoded = json.loads(base64.b64decode(token, validate=True))
        if decoded["query"] == _query_digest(params):
            return int(decoded["offset"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        pass
    raise TaggingError("The specified pagination token is not valid for this request.")


def _page(resources, params):
    """(page, next token): up to ResourcesPerPage resources, no more tags than TagsPerPage (an untagged resource
    counts as one), never one resource split across pages; the token is "" after the last page."""
    start = _start(params)
    per_page = params.get("ResourcesPerPage") or DEFAULT_RESOURCES_PER_PAGE
    tag_budget = params.get("TagsPerPage")
    end, tags_used = start, 0
    while end < len(resources) and end - start < per_page:
        weight = max(1, len(resources[end][2]))
        if tag_budget is not None and end > start and tags_used + weight > tag_budget:
            break
        tags_used += weight
        end += 1
    if end >= len(resources):
        return resources[start:], ""
    token = json.dumps({"offset": end, "query": _query_digest(params)})
    return resources[start:end], base64.b64encode(token.encode()).decode()


def get_resources(backend, account, region, params):
    """(HTTP status, JSON body) of GetResources for a caller of `account` in `region`; `backend` is the SSM one."""
    try:
        _check(params)
        resource_types = params.get("ResourceTypeFilters") or []
        state = backend.region(region, account)
        with state.lock:
            resources = tagged_resources(state, _ssm_types(resource_types))
        if not resource_types or not all(kind in TYPES for kind in resource_types):
            resources += _moto_resources(account, region, resource_types)
        resources = [item for item in resources if _matches_tags(item[2], params.get("TagFilters") or [])]
        if params.get("ResourceARNList"):
            wanted = set(params["ResourceARNList"])
            resources = [item for item in resources if item[1] in wanted]
        page, token = _page(resources, params)
    except TaggingError as error:
        return 400, {"__type": error.code, "message": error.message}
    mappings = [
        {"ResourceARN": resource_arn, "Tags": [{"Key": key, "Value": value} for key, value in tags.items()]}
        for _, resource_arn, tags in page
    ]
    # IncludeComplianceDetails adds nothing: the endpoint models no tag policies, so there is nothing to comply with.
    return 200, {"PaginationToken": token, "ResourceTagMappingList": mappings}
