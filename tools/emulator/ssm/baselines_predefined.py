"""The AWS-owned predefined patch baselines every region starts with (one default per operating system).

Names, descriptions and approval rules follow the Patch Manager user guide ("Predefined and custom patch
baselines"). AWS-owned baselines live in an AWS account of the region and are addressed by ARN; the real
ARNs of each region's default baselines come from moto's `default_baselines.json.gz` (recorded from AWS),
others get a stable id derived from region and name.
"""

import functools
import gzip
import hashlib
import importlib.resources
import json
from typing import NamedTuple

from .common import now, partition
from .registry import seeder

# Valid filter values of the predefined rules, as Patch Manager spells them.
_ANY = ("*",)
_CRITICAL_IMPORTANT = ("Critical", "Important")
_DEBIAN_PRIORITIES = ("Required", "Important", "Standard", "Optional", "Extra")


def _rule(*filters, days=7, non_security=False):
    return {
        "PatchFilterGroup": {"PatchFilters": [{"Key": key, "Values": list(values)} for key, values in filters]},
        "ComplianceLevel": "UNSPECIFIED",
        "ApproveAfterDays": days,
        "EnableNonSecurity": non_security,
    }


def _security_and_bugfix(severities=_CRITICAL_IMPORTANT):
    """Security patches of the given severities plus every Bugfix, both 7 days after release."""
    return (
        _rule(("PRODUCT", _ANY), ("CLASSIFICATION", ("Security",)), ("SEVERITY", severities)),
        _rule(("PRODUCT", _ANY), ("CLASSIFICATION", ("Bugfix",))),
    )


def _windows_os_rule(*extra):
    return _rule(
        *extra,
        ("PRODUCT", _ANY),
        ("CLASSIFICATION", ("CriticalUpdates", "SecurityUpdates")),
        ("MSRC_SEVERITY", _CRITICAL_IMPORTANT),
    )


def _debian_like():
    # No wait before approval: the repositories carry no reliable release dates.
    # AWS: PatchRule.ApproveAfterDays — 0: no delay where none is supported
    return (_rule(("PRODUCT", _ANY), ("SECTION", _ANY), ("PRIORITY", _DEBIAN_PRIORITIES), days=0),)


class Predefined(NamedTuple):
    operating_system: str
    name: str
    description: str
    rules: tuple
    default: bool = True


def _provided(label):
    return f"Default Patch Baseline for {label} Provided by AWS."


PREDEFINED = (
    Predefined("WINDOWS", "AWS-DefaultPatchBaseline", "Default Patch Baseline Provided by AWS.", (_windows_os_rule(),)),
    Predefined(
        "WINDOWS",
        "AWS-WindowsPredefinedPatchBaseline-OS",
        "Windows Predefined Patch Baseline for OS Provided by AWS.",
        (_windows_os_rule(),),
        default=False,
    ),
    Predefined(
        "WINDOWS",
        "AWS-WindowsPredefinedPatchBaseline-OS-Applications",
        "Windows Predefined Patch Baseline for OS and Applications Provided by AWS.",
        (
            _windows_os_rule(("PATCH_SET", ("OS",))),
            _rule(("PATCH_SET", ("APPLICATION",)), ("PRODUCT_FAMILY", _ANY), ("PRODUCT", _ANY)),
        ),
        default=False,
    ),
    Predefined(
        "AMAZON_LINUX", "AWS-AmazonLinuxDefaultPatchBaseline", _provided("Amazon Linux"), _security_and_bugfix()
    ),
    Predefined(
        "AMAZON_LINUX_2", "AWS-AmazonLinux2DefaultPatchBaseline", _provided("Amazon Linux 2"), _security_and_bugfix()
    ),
    Predefined(
        "AMAZON_LINUX_2022",
        "AWS-AmazonLinux2022DefaultPatchBaseline",
        _provided("Amazon Linux 2022"),
        _security_and_bugfix(),
    ),
    Predefined(
        "AMAZON_LINUX_2023",
        "AWS-AmazonLinux2023DefaultPatchBaseline",
        _provided("Amazon Linux 2023"),
        _security_and_bugfix(),
    ),
    Predefined("UBUNTU", "AWS-UbuntuDefaultPatchBaseline", _provided("Ubuntu"), _debian_like()),
    Predefined(
        "REDHAT_ENTERPRISE_LINUX",
        "AWS-RedHatDefaultPatchBaseline",
        _provided("Redhat Enterprise Linux"),
        _security_and_bugfix(),
    ),
    Predefined(
        "SUSE",
        "AWS-SuseDefaultPatchBaseline",
        _provided("Suse"),
        (_rule(("PRODUCT", _ANY), ("CLASSIFICATION", ("Security",)), ("SEVERITY", _CRITICAL_IMPORTANT)),),
    ),
    Predefined(
        "CENTOS",
        "AWS-CentOSDefaultPatchBaseline",
        _provided("CentOS"),
        (_rule(("PRODUCT", _ANY), ("CLASSIFICATION", _ANY), ("SEVERITY", _ANY), non_security=True),),
    ),
    Predefined(
        "ORACLE_LINUX",
        "AWS-OracleLinuxDefaultPatchBaseline",
        _provided("Oracle Linux Server"),
        _security_and_bugfix(severities=("Important", "Moderate")),
    ),
    Predefined("DEBIAN", "AWS-DebianDefaultPatchBaseline", _provided("Debian"), _debian_like()),
    Predefined(
        "MACOS",
        "AWS-MacOSDefaultPatchBaseline",
        _provided("MacOS"),
        (
            _rule(("PRODUCT", _ANY), ("CLASSIFICATION", ("Security",)), days=0),
            _rule(("PRODUCT", _ANY), ("CLASSIFICATION", _ANY), days=0),
        ),
    ),
    Predefined("RASPBIAN", "AWS-DefaultRaspbianPatchBaseline", _provided("Raspbian"), _debian_like()),
    Predefined("ROCKY_LINUX", "AWS-RockyLinuxDefaultPatchBaseline", _provided("Rocky Linux"), _security_and_bugfix()),
    Predefined("ALMA_LINUX", "AWS-AlmaLinuxDefaultPatchBaseline", _provided("Alma Linux"), _security_and_bugfix()),
)


@functools.cache
def _recorded_default_arns():
    """region -> operating system -> ARN of the AWS default baseline, as recorded from AWS (empty if absent)."""
    try:
        resource = importlib.resources.files("moto.ssm") / "resources" / "default_baselines.json.gz"
        return json.loads(gzip.decompress(resource.read_bytes()))
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError):
        return {}


def _digest(*parts):
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def _aws_account(region):
    for recorded in _recorded_default_arns().get(region, {}).values():
        return recorded.split(":")[4]
    return str(int(_digest("account", region), 16))[:12]


# AWS: GetPatchBaseline.BaselineId — AWS-owned baselines are addressed by ARN
def baseline_arn(region, predefined):
    if predefined.default:
        recorded = _recorded_default_arns().get(region, {}).get(predefined.operating_system)
        if recorded:
            return recorded
    baseline_id = "pb-0" + _digest(region, predefined.name)[:16]
    return f"arn:{partition(region)}:ssm:{region}:{_aws_account(region)}:patchbaseline/{baseline_id}"


@seeder
def seed_predefined_baselines(state):
    created = now()
    for predefined in PREDEFINED:
        baseline_id = baseline_arn(state.region, predefined)
        state.baselines[baseline_id] = {
            "BaselineId": baseline_id,
            "Name": predefined.name,
            "OperatingSystem": predefined.operating_system,
            "GlobalFilters": {"PatchFilters": []},
            "ApprovalRules": {"PatchRules": json.loads(json.dumps(predefined.rules))},
            "ApprovedPatches": [],
            "ApprovedPatchesComplianceLevel": "UNSPECIFIED",
            "ApprovedPatchesEnableNonSecurity": False,
            "RejectedPatches": [],
            "RejectedPatchesAction": "ALLOW_AS_DEPENDENCY",
            "CreatedDate": created,
            "ModifiedDate": created,
            "Description": predefined.description,
            "Sources": [],
            "_aws_owned": True,
            "_aws_default": predefined.default,
        }
