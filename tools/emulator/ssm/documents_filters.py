"""ListDocuments filters: the Filters keys (Owner, Name, DocumentType, PlatformTypes, TargetType,
SearchKeyword, tag:<key>) and the deprecated DocumentFilterList, as predicates over document records."""

from .errors import SSMError
from .tags import tag_list

AMAZON = "Amazon"
# Owner value -> predicate(state, record).
OWNER_FILTERS = {
    "Self": lambda state, record: record["Owner"] == state.account,
    "Amazon": lambda state, record: record["Owner"] == AMAZON,
    "All": lambda state, record: True,
    # Nothing is shared with this account and no third party publishes documents here.
    "Private": lambda state, record: False,
    "Public": lambda state, record: False,
    "ThirdParty": lambda state, record: False,
}


def _tag_filter(key):
    tag_key = key[len("tag:") :]
    return lambda state, record, values: any(
        tag["Key"] == tag_key and (not values or tag["Value"] in values)
        for tag in tag_list(state, "Document", record["Name"])
    )


def _default(record, field):
    return record["Versions"][record["DefaultVersion"]][field]


# Filters key -> predicate(state, record, values): OR across the values of one filter.
_KEY_FILTERS = {
    "Name": lambda state, record, values: any(record["Name"].startswith(value) for value in values),
    "DocumentType": lambda state, record, values: record["DocumentType"] in values,
    "PlatformTypes": lambda state, record, values: bool(set(_default(record, "PlatformTypes")) & set(values)),
    "TargetType": lambda state, record, values: _default(record, "TargetType") in values,
    "SearchKeyword": lambda state, record, values: any(value.lower() in record["Name"].lower() for value in values),
}


def filter_predicate(key, values):
    """predicate(state, record) for one filter; AND across filters is the caller's."""
    if key == "Owner":
        if len(values) != 1:
            raise SSMError("ValidationException", "Only one Owner value can be specified in a filter.")
        return OWNER_FILTERS.get(values[0], lambda state, record: False)
    if key.startswith("tag:"):
        tag_filter = _tag_filter(key)
        return lambda state, record: tag_filter(state, record, values)
    if key not in _KEY_FILTERS:
        raise SSMError("InvalidFilterKey", f"The filter key {key} is not valid.")
    key_filter = _KEY_FILTERS[key]
    return lambda state, record: key_filter(state, record, values)
