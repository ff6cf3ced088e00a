"""arns.Arns: ARNs in the caller's partition and account, from one sts:GetCallerIdentity per module run."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.arns import Arns
from ansible_collections.patchmodel.ssm.plugins.module_utils.section import ItemModule


class FakeSts:
    def __init__(self, caller_arn, account):
        self.answer = {"Arn": caller_arn, "Account": account, "UserId": "AIDAEXAMPLE"}
        self.calls = []

    def get_caller_identity(self, **kwargs):
        self.calls.append(kwargs)
        return dict(self.answer)


class FakeModule:
    """What Arns uses of a PatchModelModule: its region and aws_client()."""

    check_mode = False
    _diff = False

    def __init__(self, region="us-east-1", caller_arn="arn:aws:iam::111122223333:user/ops", account="111122223333"):
        self.region = region
        self.sts = FakeSts(caller_arn, account)
        self.clients = []

    def aws_client(self, service):
        self.clients.append(service)
        return self.sts


@pytest.mark.parametrize(
    "region, caller_arn, partition",
    [
        ("us-east-1", "arn:aws:iam::111122223333:user/ops", "aws"),
        ("cn-north-1", "arn:aws-cn:sts::111122223333:assumed-role/patching/run", "aws-cn"),
        ("us-gov-west-1", "arn:aws-us-gov:iam::111122223333:user/ops", "aws-us-gov"),
    ],
)
def test_the_partition_is_the_one_the_callers_arn_names(region, caller_arn, partition):
    arns = Arns(FakeModule(region=region, caller_arn=caller_arn))
    assert arns.ssm("patchbaseline/pb-0123") == f"arn:{partition}:ssm:{region}:111122223333:patchbaseline/pb-0123"
    assert arns.managed_node("i-0abc") == f"arn:{partition}:ec2:{region}:111122223333:instance/i-0abc"


def test_the_account_is_the_callers_unless_given():
    arns = Arns(FakeModule(account="444455556666", caller_arn="arn:aws:sts::444455556666:assumed-role/r/s"))
    assert arns.maintenance_window("mw-0c50858d01EXAMPLE") == (
        "arn:aws:ssm:us-east-1:444455556666:maintenancewindow/mw-0c50858d01EXAMPLE"
    )
    assert arns.ssm("document/AWS-RunPatchBaseline", account="") == (
        "arn:aws:ssm:us-east-1::document/AWS-RunPatchBaseline"
    )


def test_an_aws_owned_baselines_id_is_already_its_arn_and_kept():
    owned = "arn:aws:ssm:us-east-2:733109147000:patchbaseline/pb-0e392de35e7c563b7"
    module = FakeModule()
    arns = Arns(module)
    assert arns.patch_baseline(owned) == owned
    assert module.sts.calls == []  # nothing to ask for an ARN already known
    assert arns.patch_baseline("pb-0c10e65780EXAMPLE") == (
        "arn:aws:ssm:us-east-1:111122223333:patchbaseline/pb-0c10e65780EXAMPLE"
    )


@pytest.mark.parametrize(
    "name, resource",
    [
        ("/patchmodel/webserver-prd/lock", "parameter/patchmodel/webserver-prd/lock"),
        ("plain-name", "parameter/plain-name"),
    ],
)
def test_a_parameter_arn_drops_the_leading_slash(name, resource):
    assert Arns(FakeModule()).parameter(name) == f"arn:aws:ssm:us-east-1:111122223333:{resource}"


def test_window_parts_and_hybrid_nodes_have_their_own_resource_types():
    arns = Arns(FakeModule())
    prefix = "arn:aws:ssm:us-east-1:111122223333:"
    assert arns.window_target("e32eecb2") == prefix + "windowtarget/e32eecb2"
    assert arns.window_task("4f7ca192") == prefix + "windowtask/4f7ca192"
    assert arns.managed_node("mi-0123456789abcdef0") == prefix + "managed-instance/mi-0123456789abcdef0"


def test_one_get_caller_identity_per_module_run_however_many_arns():
    module = FakeModule()
    for index in range(5):
        Arns(module).window_task(f"task-{index}")
    assert len(module.sts.calls) == 1
    assert module.sts.calls[0] == {"aws_retry": True}
    assert module.clients == ["sts"]


def test_no_call_until_an_arn_is_asked_for():
    module = FakeModule()
    Arns(module)
    assert module.sts.calls == []


def test_the_items_of_a_section_module_share_one_call_and_its_region():
    module = FakeModule(region="eu-west-1")
    items = [ItemModule(module, {"name": f"w{index}"}, f"window 'w{index}'") for index in range(16)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(lambda item: Arns(item).maintenance_window("mw-0c50858d01EXAMPLE"), items))
    assert set(found) == {"arn:aws:ssm:eu-west-1:111122223333:maintenancewindow/mw-0c50858d01EXAMPLE"}
    assert len(module.sts.calls) == 1


def test_two_module_runs_ask_once_each():
    first, second = FakeModule(), FakeModule(account="999988887777")
    Arns(first).window_target("a")
    assert Arns(second).window_target("a").split(":")[4] == "999988887777"
    assert (len(first.sts.calls), len(second.sts.calls)) == (1, 1)
