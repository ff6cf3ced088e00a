# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which patch filter keys and values a patch baseline accepts for each operating system.

botocore knows the 19 PatchFilterKey names but not which of them, or which values, fit an operating
system; AWS answers that only with a ValidationException after the call. These checks fail first,
naming the option path and what is allowed instead.

Sources (AWS Systems Manager API reference and user guide):
- DescribePatchProperties: the properties usable in filters per operating system.
- PatchFilter: PATCH_SET and PRODUCT_FAMILY for WINDOWS; "exact values ... or a wildcard (*)".
- The PatchFilter reference before 2019 listed the closed value lists per operating system, with
  SECTION for Ubuntu ("only the length of the key value is validated").
- "How patch baseline rules work on Linux-based systems": Priority and Section on Debian, Raspberry Pi
  OS and Ubuntu; update notice type/severity on yum/dnf systems; SLES categories and severities.
- "About predefined and custom patch baselines": Oracle Linux severities ("Important", "Moderate").
- "Package name formats for approved and rejected patch lists": the patch list formats.
- SSM API changes of 2020-10-15: ADVISORY_ID, ARCH, BUGZILLA_ID, CVE_ID, EPOCH, NAME, RELEASE,
  REPOSITORY, SECURITY and VERSION joined PatchFilterKey to search DescribeAvailablePatches.
Limits that botocore's model already states (at most 4 filters, 20 values, 64 characters, 50 patches of
100 characters) are left to api_validation.py, which checks every request against the model.
"""

from __future__ import annotations

import difflib

OPERATING_SYSTEMS = (
    "WINDOWS",
    "AMAZON_LINUX",
    "AMAZON_LINUX_2",
    "AMAZON_LINUX_2022",
    "AMAZON_LINUX_2023",
    "UBUNTU",
    "REDHAT_ENTERPRISE_LINUX",
    "SUSE",
    "CENTOS",
    "ORACLE_LINUX",
    "DEBIAN",
    "MACOS",
    "RASPBIAN",
    "ROCKY_LINUX",
    "ALMA_LINUX",
)
CONTEXTS = ("approval_rule", "global_filter")
WILDCARD = "*"

# Keys botocore accepts that only search DescribeAvailablePatches; no baseline filters on them.
SEARCH_ONLY_KEYS = (
    "ADVISORY_ID",
    "ARCH",
    "BUGZILLA_ID",
    "CVE_ID",
    "EPOCH",
    "NAME",
    "RELEASE",
    "REPOSITORY",
    "SECURITY",
    "VERSION",
)

OPEN = None  # any non-empty value: product names and sections grow with every release

_WINDOWS = {
    "PATCH_SET": ("OS", "APPLICATION"),
    "PRODUCT_FAMILY": OPEN,
    "PRODUCT": OPEN,
    "CLASSIFICATION": (
        "CriticalUpdates",
        "DefinitionUpdates",
        "Drivers",
        "FeaturePacks",
        "SecurityUpdates",
        "ServicePacks",
        "Tools",
        "UpdateRollups",
        "Updates",
        "Upgrades",
    ),
    "MSRC_SEVERITY": ("Critical", "Important", "Moderate", "Low", "Unspecified"),
    "PATCH_ID": OPEN,
}
_UPDATEINFO_TYPES = ("Security", "Bugfix", "Enhancement", "Recommended", "Newpackage")
_AMAZON_LINUX = {
    "PRODUCT": OPEN,
    "CLASSIFICATION": _UPDATEINFO_TYPES,
    "SEVERITY": ("Critical", "Important", "Medium", "Low"),
    "PATCH_ID": OPEN,
}
# Red Hat rates Moderate, AWS's older reference says Medium: accept both rather than block either.
_RED_HAT_FAMILY = {
    "PRODUCT": OPEN,
    "CLASSIFICATION": _UPDATEINFO_TYPES,
    "SEVERITY": ("Critical", "Important", "Moderate", "Medium", "Low"),
    "PATCH_ID": OPEN,
}
_SUSE = {
    "PRODUCT": OPEN,
    "CLASSIFICATION": ("Security", "Recommended", "Optional", "Feature", "Document", "Yast"),
    "SEVERITY": ("Critical", "Important", "Moderate", "Low"),
    "PATCH_ID": OPEN,
}
_DEBIAN_FAMILY = {
    "PRODUCT": OPEN,
    "SECTION": OPEN,
    "PRIORITY": ("Required", "Important", "Standard", "Optional", "Extra"),
    "PATCH_ID": OPEN,
}
# macOS classifications name package managers (softwareupdate, installer, brew, brew cask) in the
# console, yet the predefined baseline speaks of "Security": no closed list is documented.
_MACOS = {"PRODUCT": OPEN, "CLASSIFICATION": OPEN, "PATCH_ID": OPEN}

_FILTER_RULES = {
    "WINDOWS": _WINDOWS,
    "AMAZON_LINUX": _AMAZON_LINUX,
    "AMAZON_LINUX_2": _AMAZON_LINUX,
    "AMAZON_LINUX_2022": _AMAZON_LINUX,
    "AMAZON_LINUX_2023": _AMAZON_LINUX,
    "UBUNTU": _DEBIAN_FAMILY,
    "REDHAT_ENTERPRISE_LINUX": _RED_HAT_FAMILY,
    "SUSE": _SUSE,
    "CENTOS": _RED_HAT_FAMILY,
    "ORACLE_LINUX": _RED_HAT_FAMILY,
    "DEBIAN": _DEBIAN_FAMILY,
    "MACOS": _MACOS,
    "RASPBIAN": _DEBIAN_FAMILY,
    "ROCKY_LINUX": _RED_HAT_FAMILY,
    "ALMA_LINUX": _RED_HAT_FAMILY,
}

# The key people reach for on one system when another system names the same idea differently.
_SEVERITY_KEYS = ("MSRC_SEVERITY", "SEVERITY", "PRIORITY")

_YUM_FORMAT = (
    "package names such as example-pkg-0.710.10-2.7.abcd.x86_64, optionally with a wildcard "
    "(system-release.*); approved lists also take advisory, CVE and Bugzilla ids"
)
_APT_FORMAT = "package names only, without architecture or version, such as ExamplePkg33"
PATCH_LIST_FORMATS = {
    "WINDOWS": "Microsoft Knowledge Base or Security Bulletin ids such as KB2032276 or MS10-048",
    "AMAZON_LINUX": _YUM_FORMAT,
    "AMAZON_LINUX_2": _YUM_FORMAT,
    "AMAZON_LINUX_2022": _YUM_FORMAT,
    "AMAZON_LINUX_2023": _YUM_FORMAT,
    "UBUNTU": _APT_FORMAT,
    "REDHAT_ENTERPRISE_LINUX": _YUM_FORMAT,
    "SUSE": "package names such as SUSE-SLE-Example-Package-12-2018-123, optionally with a wildcard",
    "CENTOS": _YUM_FORMAT,
    "ORACLE_LINUX": _YUM_FORMAT,
    "DEBIAN": _APT_FORMAT,
    "MACOS": "full package names without wildcards, such as XProtectPlistConfigData",
    "RASPBIAN": _APT_FORMAT,
    "ROCKY_LINUX": _YUM_FORMAT,
    "ALMA_LINUX": _YUM_FORMAT,
}


def filter_keys_for(operating_system, context="approval_rule"):
    """The patch filter keys AWS accepts for an operating system, in approval rules or global filters.

    AWS documents the same keys for both contexts; the argument keeps callers explicit.
    """
    if context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r}; expected one of {_join(CONTEXTS)}")
    return tuple(_rules(operating_system))


def allowed_values(operating_system, key):
    """The closed list of values for a key on an operating system, or None when any value goes."""
    return _rules(operating_system).get(key)


def validate_patch_filters(operating_system, filters, where):
    """Problems in one filter group (`[{"key": ..., "values": [...]}]`), each naming its option path."""
    if operating_system not in _FILTER_RULES:
        return [f"{where}: operating system {operating_system!r} is not one of {_join(OPERATING_SYSTEMS)}"]
    if filters is None:
        return []
    if not isinstance(filters, list):
        return [f"{where}: must be a list of {{key, values}} filters, got {type(filters).__name__}"]
    problems = []
    first_seen = {}
    for index, patch_filter in enumerate(filters):
        path = f"{where}[{index}]"
        if not isinstance(patch_filter, dict):
            problems.append(f"{path}: must be a mapping with key and values, got {type(patch_filter).__name__}")
            continue
        key = patch_filter.get("key")
        if isinstance(key, str) and key in first_seen:
            problems.append(
                f"{path}.key: {key} is repeated (first at {where}[{first_seen[key]}]); a filter group takes "
                "each key once, so put all its values in one filter"
            )
        elif isinstance(key, str):
            first_seen[key] = index
        key_problem = _key_problem(operating_system, key, f"{path}.key")
        if key_problem:
            problems.append(key_problem)
            continue
        problems.extend(_value_problems(operating_system, key, patch_filter.get("values"), f"{path}.values"))
    return problems


def validate_patch_list(operating_system, patches, where):
    """Light checks of approved or rejected patches: only what AWS's documented formats rule out."""
    if operating_system not in _FILTER_RULES:
        return [f"{where}: operating system {operating_system!r} is not one of {_join(OPERATING_SYSTEMS)}"]
    if patches is None:
        return []
    if not isinstance(patches, list):
        return [f"{where}: must be a list of patch names, got {type(patches).__name__}"]
    expected = f"{operating_system} patch lists take {PATCH_LIST_FORMATS[operating_system]}"
    problems = []
    for index, patch in enumerate(patches):
        path = f"{where}[{index}]"
        if not isinstance(patch, str) or not patch.strip():
            problems.append(f"{path}: must be a non-empty patch name, got {patch!r}; {expected}")
        elif "," in patch:
            problems.append(f"{path}: {patch!r} holds several patches; give each as its own list item")
        elif patch != patch.strip() or (operating_system != "WINDOWS" and any(c.isspace() for c in patch)):
            problems.append(f"{path}: {patch!r} contains whitespace; {expected}")
        elif operating_system == "MACOS" and WILDCARD in patch:
            problems.append(f"{path}: {patch!r} uses a wildcard, which macOS patch lists do not support; {expected}")
    return problems


def _rules(operating_system):
    if operating_system not in _FILTER_RULES:
        raise ValueError(f"unknown operating system {operating_system!r}; expected one of {_join(OPERATING_SYSTEMS)}")
    return _FILTER_RULES[operating_system]


def _key_problem(operating_system, key, path):
    keys = _FILTER_RULES[operating_system]
    if isinstance(key, str) and key in keys:
        return None
    allowed = f"allowed keys for {operating_system}: {_join(keys)}"
    if key is None or key == "":
        return f"{path}: a filter needs a key; {allowed}"
    if not isinstance(key, str):
        return f"{path}: must be a string, got {key!r}; {allowed}"
    hint = ""
    if key.upper() in keys:
        hint = f" (keys are upper case: {key.upper()})"
    elif key in SEARCH_ONLY_KEYS:
        hint = " (it searches DescribeAvailablePatches; baselines cannot filter on it)"
    elif key in _SEVERITY_KEYS:
        hint = "".join(f" ({operating_system} uses {other})" for other in _SEVERITY_KEYS if other in keys)
    return f"{path}: {key!r} is not a patch filter key for {operating_system}{hint}; {allowed}"


def _value_problems(operating_system, key, values, path):
    allowed = allowed_values(operating_system, key)
    expected = f"{key} values for {operating_system}: {_described(allowed)}"
    if values is None or values == []:
        return [f"{path}: a filter needs at least one value ([{WILDCARD!r}] matches all); {expected}"]
    if not isinstance(values, list):
        return [f"{path}: must be a list of strings, got {type(values).__name__}; {expected}"]
    problems = []
    for index, value in enumerate(values):
        problem = _value_problem(value, allowed, expected, f"a {key} value for {operating_system}")
        if problem:
            problems.append(f"{path}[{index}]: {problem}")
    if WILDCARD in values and len(values) > 1:
        problems.append(f"{path}: {WILDCARD!r} already matches every value; give it alone or list values without it")
    return problems


def _value_problem(value, allowed, expected, what):
    if not isinstance(value, str):
        return f"must be a string, got {value!r}; {expected}"
    if not value.strip():
        return f"must not be empty; {expected}"
    if value == WILDCARD:
        return None
    if value.strip().lower() == "all":
        return f"{value!r} is the console's label; the API spells all as {WILDCARD!r}; {expected}"
    if allowed is OPEN or value in allowed:
        return None
    return f"{value!r} is not {what}{_did_you_mean(value, allowed)}; allowed: {_described(allowed)}"


def _described(allowed):
    if allowed is OPEN:
        return f"any non-empty value, or {WILDCARD!r} for all"
    return f"{WILDCARD!r} for all, or {_join(allowed)}"


def _did_you_mean(value, allowed):
    by_lower_case = {choice.lower(): choice for choice in allowed}
    close = difflib.get_close_matches(value.strip().lower(), by_lower_case, n=1, cutoff=0.75)
    return f" (did you mean {by_lower_case[close[0]]!r}?)" if close else ""


def _join(items):
    return ", ".join(items)
