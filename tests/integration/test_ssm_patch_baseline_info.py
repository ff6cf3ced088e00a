"""ssm_patch_baseline_info against the local endpoint: one playbook of reads, asserted task by task."""

import pytest

from tests.integration.patch_baseline_support import (
    INFO_MODULE,
    MODULE,
    al2_seed,
    create_directly,
    no_traceback,
    run_tasks,
    task,
    unique,
    windows_seed,
)


@pytest.fixture(scope="module")
def reads(local_aws, tmp_path_factory):
    """Seed baselines made by the module, then every read in one playbook; the request log is kept."""
    ssm = local_aws.client("ssm")
    prefix = unique("Info")
    al2_name, windows_name, shared_name = f"{prefix}-AL2", f"{prefix}-Windows", f"{prefix}-Shared"
    al2_group, windows_group = unique("WebServer-Prd"), unique("Windows Server 2016 Base")
    shared_ids = sorted(create_directly(ssm, shared_name) for _ in range(2))
    setup = [
        task(MODULE, {**al2_seed(al2_name, patch_groups=[al2_group]), "tags": {"Team": "web"}}, name="al2"),
        task(MODULE, windows_seed(windows_name, patch_groups=[windows_group]), name="windows"),
    ]
    created = dict(zip(["al2", "windows"], run_tasks(local_aws, tmp_path_factory.mktemp("setup"), setup), strict=True))
    assert all(result["changed"] for result in created.values()), created
    al2_id = created["al2"]["baseline"]["baseline_id"]

    cases = {
        "by name": {"name": al2_name},
        "by prefix": {"name_prefix": prefix},
        "by id": {"baseline_id": al2_id},
        "by prefix and os": {"name_prefix": prefix, "operating_system": "WINDOWS"},
        "shared name": {"name": shared_name},
        "aws owned": {"name": "AWS-AmazonLinux2DefaultPatchBaseline", "owner": "AWS"},
        "aws owned of os": {"operating_system": "WINDOWS", "owner": "AWS"},
        "self only": {"name_prefix": "AWS-", "owner": "Self"},
        "nothing": {"name": unique("Missing")},
        "unknown id": {"baseline_id": "pb-0123456789abcdef0"},
        "id of other os": {"baseline_id": al2_id, "operating_system": "WINDOWS"},
        "bad name": {"name": "ab"},
        "name and prefix": {"name": al2_name, "name_prefix": prefix},
        "bad owner": {"owner": "Me"},
        "bad os": {"operating_system": "WINDOWS_2019"},
    }
    tasks = [task(INFO_MODULE, options, name=case) for case, options in cases.items()]
    tasks.append(task(INFO_MODULE, {"name": al2_name}, name="in check mode", check_mode=True))
    mark = local_aws.mark()
    results = run_tasks(local_aws, tmp_path_factory.mktemp("reads"), tasks)
    return {
        "results": dict(zip([t["name"] for t in tasks], results, strict=True)),
        "writes": local_aws.mutating(mark),
        "created": created,
        "names": {"al2": al2_name, "windows": windows_name, "shared": shared_name},
        "groups": {"al2": al2_group, "windows": windows_group},
        "shared_ids": shared_ids,
    }


def baselines(reads, case):
    result = reads["results"][case]
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is False
    return result["baselines"]


def test_reads_make_no_write(reads):
    assert reads["writes"] == []


def test_by_name_returns_the_full_baseline_with_groups_tags_and_default_flag(reads):
    (found,) = baselines(reads, "by name")
    assert found == reads["created"]["al2"]["baseline"]
    assert found["patch_groups"] == [reads["groups"]["al2"]] and found["tags"] == {"Team": "web"}
    assert found["default_baseline"] is False and found["owner"] == "Self"
    rule = found["approval_rules"][0]
    assert rule["approve_after_days"] == 0 and rule["enable_non_security"] is True
    assert {f["key"]: f["values"] for f in rule["patch_filters"]} == {
        "PRODUCT": ["*"],
        "CLASSIFICATION": ["*"],
        "SEVERITY": ["*"],
    }
    assert found["rejected_patches"] == ["system-release.*"] and found["rejected_patches_action"] == "BLOCK"


def test_by_prefix_returns_all_matches_sorted_by_name(reads):
    names = reads["names"]
    found = baselines(reads, "by prefix")
    assert [b["name"] for b in found] == [names["al2"], names["shared"], names["shared"], names["windows"]]


def test_by_id_returns_that_baseline(reads):
    (found,) = baselines(reads, "by id")
    assert found["name"] == reads["names"]["al2"]


def test_filters_combine(reads):
    (found,) = baselines(reads, "by prefix and os")
    assert found["name"] == reads["names"]["windows"] and found["patch_groups"] == [reads["groups"]["windows"]]
    assert baselines(reads, "id of other os") == []


def test_several_baselines_sharing_a_name_are_all_returned(reads):
    assert sorted(b["baseline_id"] for b in baselines(reads, "shared name")) == reads["shared_ids"]


def test_aws_owned_baselines_are_read_with_their_default_flag(reads):
    (found,) = baselines(reads, "aws owned")
    assert found["owner"] == "AWS" and found["baseline_id"].startswith("arn:aws:ssm:")
    assert found["operating_system"] == "AMAZON_LINUX_2" and found["default_baseline"] is True
    assert found["approval_rules"] and found["tags"] == {}
    windows_owned = baselines(reads, "aws owned of os")
    assert {b["operating_system"] for b in windows_owned} == {"WINDOWS"}
    assert "AWS-DefaultPatchBaseline" in [b["name"] for b in windows_owned]
    assert all(b["owner"] == "AWS" for b in windows_owned)


def test_owner_self_leaves_out_aws_owned_baselines(reads):
    assert baselines(reads, "self only") == []


def test_nothing_matching_is_an_empty_list(reads):
    assert baselines(reads, "nothing") == []
    assert baselines(reads, "unknown id") == []


def test_check_mode_reads_the_same(reads):
    assert baselines(reads, "in check mode") == baselines(reads, "by name")


@pytest.mark.parametrize(
    "case, fragments",
    [
        ("bad name", ["name: 'ab'", "3 to 128 characters"]),
        ("name and prefix", ["mutually exclusive", "name", "name_prefix"]),
        ("bad owner", ["owner", "Self, AWS, All"]),
        ("bad os", ["operating_system", "WINDOWS, AMAZON_LINUX"]),
    ],
)
def test_bad_input_fails_naming_the_option(reads, case, fragments):
    result = reads["results"][case]
    assert result.get("failed") is True and no_traceback(result), result
    for fragment in fragments:
        assert fragment in result["msg"], result["msg"]


def test_source_configurations_are_masked_unless_asked_for(local_aws, ssm, tmp_path):
    """AWS marks a source's configuration sensitive (a repo file may hold credentials)."""
    name, secret = unique("Sources"), f"password={unique('repo-secret')}"
    configuration = f"[main]\nname=MyRepo\nbaseurl=https://repo.example/al2\n{secret}"
    source = {"Name": "My-AL2-Repo", "Products": ["AmazonLinux2"], "Configuration": configuration}
    create_directly(ssm, name, Sources=[source])
    masked, clear = run_tasks(
        local_aws,
        tmp_path,
        [task(INFO_MODULE, {"name": name}), task(INFO_MODULE, {"name": name, "include_sensitive": True})],
    )
    [baseline] = masked["baselines"]
    assert baseline["sources"] == [
        {"name": "My-AL2-Repo", "products": ["AmazonLinux2"], "configuration": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}
    ]
    assert secret not in str(masked)
    assert clear["baselines"][0]["sources"][0]["configuration"] == configuration
