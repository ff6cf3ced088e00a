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

from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import problem

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


def _keys(**keys):
    """Filter keys and their closed value lists (OPEN: any): PRODUCT, `keys`, PATCH_ID, as on all but WINDOWS."""
    return {"PRODUCT": OPEN, **keys, "PATCH_ID": OPEN}


_AMAZON_LINUX = _keys(CLASSIFICATION=_UPDATEINFO_TYPES, SEVERITY=("Critical", "Important", "Medium", "Low"))
# Red Hat rates Moderate, AWS's older reference says Medium: accept both rather than block either.
_RED_HAT_FAMILY = _keys(
    CLASSIFICATION=_UPDATEINFO_TYPES, SEVERITY=("Critical", "Important", "Moderate", "Medium", "Low")
)
_SUSE = _keys(
    CLASSIFICATION=("Security", "Recommended", "Optional", "Feature", "Document", "Yast"),
    SEVERITY=("Critical", "Important", "Moderate", "Low"),
)
_DEBIAN_FAMILY = _keys(SECTION=OPEN, PRIORITY=("Required", "Important", "Standard", "Optional", "Extra"))
# macOS classifications name package managers (softwareupdate, installer, brew, brew cask) in the
# console, yet the predefined baseline speaks of "Security": no closed list is documented.
_MACOS = _keys(CLASSIFICATION=OPEN)

# The key people reach for on one system when another system names the same idea differently.
_SEVERITY_KEYS = ("MSRC_SEVERITY", "SEVERITY", "PRIORITY")

_YUM_FORMAT = (
    "package names such as example-pkg-0.710.10-2.7.abcd.x86_64, optionally with a wildcard "
    "(system-release.*); approved lists also take advisory, CVE and Bugzilla ids"
)
_APT_FORMAT = "package names only, without architecture or version, such as ExamplePkg33"

# Every operating system a baseline is for (botocore's OperatingSystem): its filter keys, and what its approved
# and rejected patch lists take.
_SYSTEMS = {
    "WINDOWS": (_WINDOWS, "Microsoft Knowledge Base or Security Bulletin ids such as KB2032276 or MS10-048"),
    "AMAZON_LINUX": (_AMAZON_LINUX, _YUM_FORMAT),
    "AMAZON_LINUX_2": (_AMAZON_LINUX, _YUM_FORMAT),
    "AMAZON_LINUX_2022": (_AMAZON_LINUX, _YUM_FORMAT),
    "AMAZON_LINUX_2023": (_AMAZON_LINUX, _YUM_FORMAT),
    "UBUNTU": (_DEBIAN_FAMILY, _APT_FORMAT),
    "REDHAT_ENTERPRISE_LINUX": (_RED_HAT_FAMILY, _YUM_FORMAT),
    "SUSE": (_SUSE, "package names such as SUSE-SLE-Example-Package-12-2018-123, optionally with a wildcard"),
    "CENTOS": (_RED_HAT_FAMILY, _YUM_FORMAT),
    "ORACLE_LINUX": (_RED_HAT_FAMILY, _YUM_FORMAT),
    "DEBIAN": (_DEBIAN_FAMILY, _APT_FORMAT),
    "MACOS": (_MACOS, "full package names without wildcards, such as XProtectPlistConfigData"),
    "RASPBIAN": (_DEBIAN_FAMILY, _APT_FORMAT),
    "ROCKY_LINUX": (_RED_HAT_FAMILY, _YUM_FORMAT),
    "ALMA_LINUX": (_RED_HAT_FAMILY, _YUM_FORMAT),
}
OPERATING_SYSTEMS = tuple(_SYSTEMS)
_FILTER_RULES = {system: rules[0] for system, rules in _SYSTEMS.items()}
PATCH_LIST_FORMATS = {system: rules[1] for system, rules in _SYSTEMS.items()}


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
    problems = _unchecked(operating_system, filters, where, "{key, values} filters")
    if problems or not filters:
        return problems
    first_seen = {}
    for index, patch_filter in enumerate(filters):
        path = f"{where}[{index}]"
        if not isinstance(patch_filter, dict):
            problems.append(problem(path, f"must be a mapping with key and values, got {type(patch_filter).__name__}"))
            continue
        key = patch_filter.get("key")
        if isinstance(key, str) and key in first_seen:
            repeated = f"{key} is repeated (first at {where}[{first_seen[key]}]); a filter group takes each key once"
            problems.append(problem(f"{path}.key", f"{repeated}, so put all its values in one filter"))
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
    problems = _unchecked(operating_system, patches, where, "patch names")
    if problems or not patches:
        return problems
    expected = f"{operating_system} patch lists take {PATCH_LIST_FORMATS[operating_system]}"
    for index, patch in enumerate(patches):
        path = f"{where}[{index}]"
        if not isinstance(patch, str) or not patch.strip():
            problems.append(problem(path, f"must be a non-empty patch name, got {patch!r}; {expected}"))
        elif "," in patch:
            problems.append(problem(path, f"{patch!r} holds several patches; give each as its own list item"))
        elif patch != patch.strip() or (operating_system != "WINDOWS" and any(c.isspace() for c in patch)):
            problems.append(problem(path, f"{patch!r} contains whitespace; {expected}"))
        elif operating_system == "MACOS" and WILDCARD in patch:
            problems.append(
                problem(path, f"{patch!r} uses a wildcard, which macOS patch lists do not support; {expected}")
            )
    return problems


def _unchecked(operating_system, items, where, what):
    """[the problem] when the list at `where` cannot be checked (an unknown system, not a list), else []."""
    if operating_system not in _FILTER_RULES:
        return [problem(where, f"operating system {operating_system!r} is not one of {_join(OPERATING_SYSTEMS)}")]
    if items is not None and not isinstance(items, list):
        return [problem(where, f"must be a list of {what}, got {type(items).__name__}")]
    return []


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
        return problem(path, f"a filter needs a key; {allowed}")
    if not isinstance(key, str):
        return problem(path, f"must be a string, got {key!r}; {allowed}")
    hint = ""
    if key.upper() in keys:
        hint = f" (keys are upper case: {key.upper()})"
    elif key in SEARCH_ONLY_KEYS:
        hint = " (it searches DescribeAvailablePatches; baselines cannot filter on it)"
    elif key in _SEVERITY_KEYS:
        hint = "".join(f" ({operating_system} uses {other})" for other in _SEVERITY_KEYS if other in keys)
    return problem(path, f"{key!r} is not a patch filter key for {operating_system}{hint}; {allowed}")


def _value_problems(operating_system, key, values, path):
    allowed = allowed_values(operating_system, key)
    expected = f"{key} values for {operating_system}: {_described(allowed)}"
    if values is None or values == []:
        return [problem(path, f"a filter needs at least one value ([{WILDCARD!r}] matches all); {expected}")]
    if not isinstance(values, list):
        return [problem(path, f"must be a list of strings, got {type(values).__name__}; {expected}")]
    problems = []
    for index, value in enumerate(values):
        found = _value_problem(value, allowed, expected, f"a {key} value for {operating_system}")
        if found:
            problems.append(problem(f"{path}[{index}]", found))
    if WILDCARD in values and len(values) > 1:
        problems.append(
            problem(path, f"{WILDCARD!r} already matches every value; give it alone or list values without it")
        )
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
