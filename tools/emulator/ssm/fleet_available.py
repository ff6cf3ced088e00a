"""DescribeAvailablePatches and DescribeEffectivePatchesForPatchBaseline, served from the simulated catalog.

The catalog (fleet_catalog.py) holds one list of patches per operating system, without a product: a node's product
fills it in. Here a catalog patch becomes one API Patch per product it applies to: every Windows Server product for
an operating system patch (an application patch names its own product), the one product of each Amazon Linux.
Which patches a baseline approves, and when, comes from fleet_approval.py: the rules the fleet is patched by.
"""

import datetime
import hashlib

from .baselines_store import find_baseline
from .common import now, page_result
from .errors import SSMError, validation_error
from .fleet_approval import decide, filter_matches, listed_in, rule_selects
from .fleet_catalog import region_catalog
from .fleet_nodes import PLATFORMS, WINDOWS_BUILDS
from .registry import operation

MAX_RESULTS = 50
# AWS: DescribeAvailablePatches
LISTED_SYSTEMS = ("WINDOWS", "AMAZON_LINUX", "AMAZON_LINUX_2")
WINDOWS_PRODUCTS = tuple(f"WindowsServer{year}" for year in sorted(WINDOWS_BUILDS))

# AWS: DescribeAvailablePatches.Filters
WINDOWS_KEYS = ("PATCH_SET", "PRODUCT", "PRODUCT_FAMILY", "MSRC_SEVERITY", "CLASSIFICATION", "PATCH_ID")
LINUX_KEYS = (
    "PRODUCT", "NAME", "SEVERITY", "EPOCH", "VERSION", "RELEASE", "ARCH", "REPOSITORY", "ADVISORY_ID", "CVE_ID",
    "BUGZILLA_ID",
)  # fmt: skip


def _midnight(day):
    return datetime.datetime.combine(day, datetime.time(), datetime.UTC)


def _windows_patch(patch, product):
    kb = patch.patch_id
    # AWS: Patch.Id — the patch's own id, not its KB number
    digest = hashlib.sha256(f"{kb}/{product}".encode()).hexdigest()
    return {
        "Id": f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}",
        "ReleaseDate": _midnight(patch.released),
        "Title": patch.title,
        "Description": f"{patch.title}. Install this update to resolve issues in {product}.",
        "ContentUrl": f"https://support.microsoft.com/help/{kb.removeprefix('KB')}",
        "Vendor": "Microsoft",
        "ProductFamily": patch.attributes["PRODUCT_FAMILY"],
        "Product": product,
        "Classification": patch.classification,
        "MsrcSeverity": patch.severity,
        "KbNumber": kb,
        "MsrcNumber": "",
        "Language": "All",
    }


def _linux_patch(patch, operating_system, product):
    attributes = patch.attributes
    return {
        "ReleaseDate": _midnight(patch.released),
        "Title": patch.title,
        "Description": f"{attributes['NAME']} update",
        "Vendor": "Amazon Linux",
        "ProductFamily": PLATFORMS[operating_system][1] + (" 2" if operating_system == "AMAZON_LINUX_2" else ""),
        "Product": product,
        "Classification": patch.classification,
        "Severity": patch.severity,
        "AdvisoryIds": [attributes["ADVISORY_ID"]],
        "BugzillaIds": [],
        "CVEIds": [cve for cve in patch.cve_ids.split(",") if cve],
        "Name": attributes["NAME"],
        "Epoch": 0,
        "Version": attributes["VERSION"],
        "Release": attributes["RELEASE"],
        "Arch": attributes["ARCH"],
        "Repository": attributes["REPOSITORY"],
    }


def listed(state):
    """[(operating system, catalog patch, product, API Patch)] of every patch DescribeAvailablePatches lists."""
    entries = []
    for patch in region_catalog(state, "WINDOWS"):
        products = [patch.attributes["PRODUCT"]] if "PRODUCT" in patch.attributes else WINDOWS_PRODUCTS
        entries += [("WINDOWS", patch, product, _windows_patch(patch, product)) for product in products]
    for operating_system in ("AMAZON_LINUX", "AMAZON_LINUX_2"):
        product = PLATFORMS[operating_system][3]
        # AWS: guide:update-notice-packages-security — every catalog patch is an update notice's package
        for patch in region_catalog(state, operating_system):
            entries.append((operating_system, patch, product, _linux_patch(patch, operating_system, product)))
    entries.sort(key=lambda entry: (entry[2], -entry[1].released.toordinal(), entry[1].patch_id))
    return entries


def _search_values(operating_system, patch, product, key):
    """The values a DescribeAvailablePatches filter key compares with (exact matches)."""
    if key == "PRODUCT":
        return [product]
    if operating_system == "WINDOWS":
        if key == "PATCH_ID":
            return [patch.patch_id]
        return [patch.attributes.get(key)]
    attributes = patch.attributes
    by_key = {
        "NAME": [attributes["NAME"]],
        "SEVERITY": [patch.severity],
        "EPOCH": ["0"],
        "VERSION": [attributes["VERSION"]],
        "RELEASE": [attributes["RELEASE"]],
        "ARCH": [attributes["ARCH"]],
        "REPOSITORY": [attributes["REPOSITORY"]],
        "ADVISORY_ID": [attributes["ADVISORY_ID"]],
        "CVE_ID": [cve for cve in patch.cve_ids.split(",") if cve],
        "BUGZILLA_ID": [],
    }
    return by_key.get(key, [])


def _checked(filters):
    keys = [flt["Key"] for flt in filters]
    for key in keys:
        if key not in WINDOWS_KEYS and key not in LINUX_KEYS:
            raise validation_error(
                f"Filter key {key} is not valid. Valid keys: {', '.join(dict.fromkeys(WINDOWS_KEYS + LINUX_KEYS))}."
            )
    linux_only = [key for key in keys if key not in WINDOWS_KEYS]
    if linux_only and "PRODUCT" not in keys:
        # AWS: DescribeAvailablePatches.Filters
        raise validation_error(f"Filters for Linux patches ({', '.join(linux_only)}) need a PRODUCT filter.")
    return filters


@operation("DescribeAvailablePatches")
def describe_available_patches(state, params):
    filters = _checked(params.get("Filters") or [])
    with_product = any(flt["Key"] == "PRODUCT" for flt in filters)
    found = []
    for operating_system, patch, product, api_patch in listed(state):
        if not with_product and operating_system != "WINDOWS":
            continue  # without PRODUCT, a request is about Windows patches
        if all(
            set(flt.get("Values") or []) & set(_search_values(operating_system, patch, product, flt["Key"]))
            for flt in filters
        ):
            found.append(api_patch)
    return page_result({}, "Patches", found, params, MAX_RESULTS)


def _approval_day(baseline, patch, product):
    """The day a rule first approves the patch, with that rule's compliance level; (None, None) if no rule will."""
    global_filters = (baseline.get("GlobalFilters") or {}).get("PatchFilters") or []
    if not all(filter_matches(patch, product, flt) for flt in global_filters):
        return None, None
    best = (None, None)
    for rule in (baseline.get("ApprovalRules") or {}).get("PatchRules") or []:
        if not rule_selects(rule, patch, product, True):
            continue
        if rule.get("ApproveUntilDate"):  # AWS: guide:approve-until-date-whole-day
            if patch.released > datetime.date.fromisoformat(rule["ApproveUntilDate"]):
                continue
            day = patch.released
        else:
            # AWS: guide:approve-after-days-instant (releases are at 00:00 UTC: the day is the instant's)
            day = patch.released + datetime.timedelta(days=rule.get("ApproveAfterDays") or 0)
        if best[0] is None or day < best[0]:
            best = (day, rule.get("ComplianceLevel") or "UNSPECIFIED")  # AWS: PatchRule.ComplianceLevel
    return best


def _status(baseline, decision, product):
    """The PatchStatus of a catalog patch under a baseline, or None when the baseline does not concern it."""
    patch = decision.patch
    if decision.rejected:  # AWS: guide:rejected-list-overrides
        return {"DeploymentStatus": "EXPLICIT_REJECTED", "ComplianceLevel": "UNSPECIFIED"}
    if listed_in(patch, baseline.get("ApprovedPatches") or []):
        return {
            "DeploymentStatus": "EXPLICIT_APPROVED",
            "ComplianceLevel": decision.level,
            "ApprovalDate": _midnight(patch.released),
        }
    day, level = _approval_day(baseline, patch, product)
    if day is None:
        return None
    if decision.approved:
        return {"DeploymentStatus": "APPROVED", "ComplianceLevel": decision.level, "ApprovalDate": _midnight(day)}
    # AWS: PatchStatus.ApprovalDate
    return {"DeploymentStatus": "PENDING_APPROVAL", "ComplianceLevel": level, "ApprovalDate": _midnight(day)}


@operation("DescribeEffectivePatchesForPatchBaseline")
def describe_effective_patches(state, params):
    baseline = find_baseline(state, params["BaselineId"])
    if baseline["OperatingSystem"] != "WINDOWS":
        # AWS: DescribeEffectivePatchesForPatchBaseline
        raise SSMError(
            "UnsupportedOperatingSystem",
            f"DescribeEffectivePatchesForPatchBaseline applies to WINDOWS baselines only; {params['BaselineId']} is "
            f"for {baseline['OperatingSystem']}.",
        )
    today = now().date()
    effective = []
    for operating_system, patch, product, api_patch in listed(state):
        if operating_system != "WINDOWS":
            continue
        (decision,) = decide(baseline, "WINDOWS", product, today, [patch])
        status = _status(baseline, decision, product)
        if status is not None:
            effective.append({"Patch": api_patch, "PatchStatus": status})
    return page_result({}, "EffectivePatches", effective, params, MAX_RESULTS)
