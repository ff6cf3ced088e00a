"""Resource Groups Tagging API GetResources on the local endpoint: the SSM backend's resources, then moto's."""

import uuid

import botocore.exceptions
import botocore.session
import pytest

from tests.emulator.accounts_support import WINDOW, call_hook, fresh_account
from tests.helpers.output_shapes import output_problems

SSM_TYPES = ["ssm:maintenancewindow", "ssm:patchbaseline", "ssm:document"]
HOOK = '{"schemaVersion": "2.2", "description": "d", "mainSteps": [{"action": "aws:runShellScript", "name": "n", '
HOOK += '"inputs": {"runCommand": ["true"]}}]}'
TAGGING_MODEL = botocore.session.get_session().get_service_model("resourcegroupstaggingapi")
# Each test gets a region of its own in the module's account, so it sees only what it made there.
_REGIONS = iter(sorted(set(botocore.session.get_session().get_available_regions("ssm")) - {"us-east-1"}))


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def tags(**pairs):
    return [{"Key": key, "Value": value} for key, value in pairs.items()]


@pytest.fixture(scope="module")
def account(local_aws):
    return fresh_account(local_aws)


class Place:
    """One (account, region): SSM and Tagging API clients signed with the account's keys."""

    def __init__(self, account, region):
        self.account, self.region = account, region
        self.ssm = account.client("ssm", region)
        self.tagging = account.client("resourcegroupstaggingapi", region)

    def arn(self, path):
        return f"arn:aws:ssm:{self.region}:{self.account.account_id}:{path}"

    def window(self, tag_list=()):
        params = {"Tags": list(tag_list)} if tag_list else {}
        window_id = self.ssm.create_maintenance_window(Name=unique("tagged-window"), **WINDOW, **params)["WindowId"]
        return window_id, self.arn(f"maintenancewindow/{window_id}")

    def baseline(self, tag_list=()):
        params = {"Tags": list(tag_list)} if tag_list else {}
        baseline = self.ssm.create_patch_baseline(
            Name=unique("tagged-baseline"), OperatingSystem="AMAZON_LINUX_2", **params
        )
        return baseline["BaselineId"], self.arn(f"patchbaseline/{baseline['BaselineId']}")

    def document(self, tag_list=()):
        name = unique("tagged-document")
        params = {"Tags": list(tag_list)} if tag_list else {}
        self.ssm.create_document(Name=name, Content=HOOK, **params)
        return name, self.arn(f"document/{name}")

    def listed(self, **params):
        """{ARN: {key: value}} of every page of GetResources."""
        found = {}
        for page in self.tagging.get_paginator("get_resources").paginate(**params):
            for mapping in page["ResourceTagMappingList"]:
                found[mapping["ResourceARN"]] = {tag["Key"]: tag["Value"] for tag in mapping["Tags"]}
        return found


@pytest.fixture
def place(account):
    return Place(account, next(_REGIONS))


def error_of(call, **params):
    with pytest.raises(botocore.exceptions.ClientError) as error:
        call(**params)
    return error.value.response


def test_lists_the_tagged_windows_baselines_and_documents_with_their_arns(place):
    _, window = place.window(tags(team="web"))
    _, baseline = place.baseline(tags(team="db", tier="1"))
    _, document = place.document(tags(team="ops"))
    place.window()  # untagged: not listed
    assert place.listed(ResourceTypeFilters=SSM_TYPES) == {
        window: {"team": "web"},
        baseline: {"team": "db", "tier": "1"},
        document: {"team": "ops"},
    }


def test_a_resource_whose_tags_were_all_removed_is_listed_with_an_empty_tag_set(place):
    window_id, window = place.window(tags(team="web"))
    place.ssm.remove_tags_from_resource(ResourceType="MaintenanceWindow", ResourceId=window_id, TagKeys=["team"])
    never_id, _ = place.window()
    place.ssm.remove_tags_from_resource(ResourceType="MaintenanceWindow", ResourceId=never_id, TagKeys=["team"])
    assert place.listed(ResourceTypeFilters=["ssm:maintenancewindow"]) == {window: {}}


def test_tags_added_later_are_listed_and_deleted_resources_are_not(place):
    window_id, window = place.window()
    place.ssm.add_tags_to_resource(ResourceType="MaintenanceWindow", ResourceId=window_id, Tags=tags(late="yes"))
    name, _ = place.document(tags(team="ops"))
    place.ssm.delete_document(Name=name)
    assert place.listed(ResourceTypeFilters=SSM_TYPES) == {window: {"late": "yes"}}


def test_aws_owned_baselines_and_documents_are_not_the_accounts(place):
    assert place.ssm.describe_patch_baselines(Filters=[{"Key": "OWNER", "Values": ["AWS"]}])["BaselineIdentities"]
    assert place.listed(ResourceTypeFilters=["ssm:patchbaseline", "ssm:document"]) == {}
    assert place.listed(ResourceTypeFilters=["ssm"]) == {}


def test_managed_nodes_tagged_with_a_patch_group_are_listed(local_aws, place):
    query = {"count": 1, "patch_groups": "web", "region": place.region, "account": place.account.account_id}
    status, seeded = call_hook(local_aws, "/_patchmodel/seed-nodes", **query)
    assert status == 200
    node = seeded["InstanceIds"][0]
    assert place.listed(ResourceTypeFilters=["ssm:managed-instance"]) == {
        place.arn(f"managed-instance/{node}"): {"Patch Group": "web"}
    }


def test_resource_type_filters_name_a_type_or_a_whole_service(place):
    _, window = place.window(tags(team="web"))
    _, baseline = place.baseline(tags(team="web"))
    parameter = unique("/patchmodel-test/param")
    place.ssm.put_parameter(Name=parameter, Value="v", Type="String", Tags=tags(team="web"))
    parameter_arn = place.arn(f"parameter{parameter}")
    assert set(place.listed(ResourceTypeFilters=["ssm:maintenancewindow"])) == {window}
    assert set(place.listed(ResourceTypeFilters=["ssm:patchbaseline", "ssm:maintenancewindow"])) == {window, baseline}
    assert set(place.listed(ResourceTypeFilters=["ssm"])) == {window, baseline, parameter_arn}
    assert set(place.listed(ResourceTypeFilters=["ssm:parameter"])) == {parameter_arn}
    assert set(place.listed(ResourceTypeFilters=["sns"])) == set()


def test_without_filters_moto_services_follow_the_ssm_resources(place):
    _, window = place.window(tags(team="web"))
    topic = place.account.client("sns", place.region).create_topic(Name=unique("topic"), Tags=tags(team="web"))
    answer = place.tagging.get_resources()
    assert [mapping["ResourceARN"] for mapping in answer["ResourceTagMappingList"]] == [window, topic["TopicArn"]]
    assert answer["PaginationToken"] == ""


def test_tag_filters_match_any_listed_value_any_value_and_all_filters(place):
    _, web = place.window(tags(team="web", env="prd"))
    _, db = place.window(tags(team="db", env="dev"))
    _, ops = place.window(tags(team="ops"))
    assert set(place.listed(TagFilters=[{"Key": "team", "Values": ["web", "db"]}])) == {web, db}
    assert set(place.listed(TagFilters=[{"Key": "env"}])) == {web, db}
    assert set(place.listed(TagFilters=[{"Key": "team", "Values": ["web", "ops"]}, {"Key": "env"}])) == {web}
    assert set(place.listed(TagFilters=[{"Key": "team", "Values": ["ops"]}])) == {ops}
    assert place.listed(TagFilters=[{"Key": "owner"}]) == {}


def test_pages_hold_at_most_resources_per_page_and_end_with_an_empty_token(place):
    made = {place.window(tags(n=str(index)))[1] for index in range(5)}
    sizes, token, seen = [], None, set()
    while token != "":
        page = place.tagging.get_resources(
            ResourceTypeFilters=["ssm:maintenancewindow"],
            ResourcesPerPage=2,
            **({"PaginationToken": token} if token else {}),
        )
        sizes.append(len(page["ResourceTagMappingList"]))
        seen |= {mapping["ResourceARN"] for mapping in page["ResourceTagMappingList"]}
        token = page["PaginationToken"]
    assert sizes == [2, 2, 1]
    assert seen == made


def test_tags_per_page_never_splits_a_resource_across_pages(place):
    made = [place.window([{"Key": f"k{index}", "Value": "v"} for index in range(40)])[1] for _ in range(3)]
    first = place.tagging.get_resources(ResourceTypeFilters=["ssm:maintenancewindow"], TagsPerPage=100)
    assert len(first["ResourceTagMappingList"]) == 2
    second = place.tagging.get_resources(
        ResourceTypeFilters=["ssm:maintenancewindow"], TagsPerPage=100, PaginationToken=first["PaginationToken"]
    )
    assert len(second["ResourceTagMappingList"]) == 1 and second["PaginationToken"] == ""
    listed = [m["ResourceARN"] for m in first["ResourceTagMappingList"] + second["ResourceTagMappingList"]]
    assert sorted(listed) == sorted(made)


def test_resource_arn_list_returns_just_those_resources(place):
    _, first = place.window(tags(team="web"))
    place.window(tags(team="web"))
    missing = place.arn("maintenancewindow/mw-0123456789abcdef0")
    answer = place.tagging.get_resources(ResourceARNList=[first, missing])
    assert [mapping["ResourceARN"] for mapping in answer["ResourceTagMappingList"]] == [first]


def test_only_the_callers_account_and_region_are_visible(local_aws, place):
    _, window = place.window(tags(team="web"))
    default_account = local_aws.client("resourcegroupstaggingapi", place.region)
    listed_by_default = default_account.get_resources(ResourceTypeFilters=SSM_TYPES)["ResourceTagMappingList"]
    assert window not in {mapping["ResourceARN"] for mapping in listed_by_default}
    elsewhere = Place(place.account, next(_REGIONS))
    assert elsewhere.listed(ResourceTypeFilters=SSM_TYPES) == {}
    assert set(place.listed(ResourceTypeFilters=SSM_TYPES)) == {window}


@pytest.mark.parametrize(
    "params",
    [
        {"ResourcesPerPage": 0},
        {"ResourcesPerPage": 101},
        {"TagsPerPage": 99},
        {"TagsPerPage": 501},
        {"ResourceARNList": ["arn:aws:ssm:us-east-1:123456789012:document/x"], "TagFilters": [{"Key": "k"}]},
        {"ResourceARNList": ["arn:aws:ssm:us-east-1:123456789012:document/x"], "ResourceTypeFilters": ["ssm"]},
        {"ResourceARNList": ["arn:aws:ssm:us-east-1:123456789012:document/x"], "ResourcesPerPage": 10},
        {"ExcludeCompliantResources": True},
        {"PaginationToken": "not-a-token"},
        {"ResourceTypeFilters": ["ssm:"]},
        {"ResourceTypeFilters": [":maintenancewindow"]},
        {"TagFilters": [{"Key": f"k{index}"} for index in range(51)]},
        {"TagFilters": [{"Key": "k", "Values": [str(index) for index in range(21)]}]},
    ],
)
def test_bad_input_is_an_invalid_parameter_exception(account, params):
    response = error_of(account.client("resourcegroupstaggingapi").get_resources, **params)
    assert response["Error"]["Code"] == "InvalidParameterException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_token_of_another_query_is_refused(place):
    for index in range(2):
        place.window(tags(n=str(index)))
    first = place.tagging.get_resources(ResourceTypeFilters=["ssm:maintenancewindow"], ResourcesPerPage=1)
    response = error_of(
        place.tagging.get_resources, ResourceTypeFilters=["ssm:document"], PaginationToken=first["PaginationToken"]
    )
    assert response["Error"]["Code"] == "InvalidParameterException"


def test_every_answer_matches_botocores_output_shape(local_aws, place):
    mark = local_aws.mark()
    place.window(tags(team="web"))
    place.document(tags(team="web", env="prd"))
    place.listed(ResourceTypeFilters=SSM_TYPES, ResourcesPerPage=1)
    place.tagging.get_resources()
    answered = [entry for entry in local_aws.requests(mark) if entry["operation"] == "GetResources"]
    assert len(answered) == 3 and all(entry["status"] == 200 for entry in answered)
    problems = [p for entry in answered for p in output_problems("GetResources", entry["response"], TAGGING_MODEL)]
    assert problems == []
