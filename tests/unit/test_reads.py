"""Reads: each read made once per run (across threads), tags read many at a time with the tagging API, and the
fallbacks when that API is refused or leaves a resource out."""

import threading

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.reads import Reads, resource_id_of
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import Resource
from botocore.exceptions import ClientError

ARN = "arn:aws:ssm:us-east-1:111111111111:maintenancewindow/mw-0123456789abcdef0"


class SSM:
    """ListTagsForResource answers from a dict, counting calls."""

    def __init__(self, tags):
        self.tags, self.calls = tags, []

    def list_tags_for_resource(self, aws_retry, ResourceType, ResourceId):
        self.calls.append(ResourceId)
        return {"TagList": [{"Key": k, "Value": v} for k, v in self.tags.get(ResourceId, {}).items()]}


class Tagging:
    """GetResources answering `pages` in turn (or raising `error`), counting calls."""

    def __init__(self, pages=(), error=None):
        self.pages, self.error, self.calls = list(pages), error, []

    def get_resources(self, aws_retry, **params):
        self.calls.append(params)
        if self.error:
            raise ClientError({"Error": {"Code": self.error, "Message": "denied"}}, "GetResources")
        return self.pages[len(self.calls) - 1]


def mapping(window_id, **tags):
    arn = ARN.replace("mw-0123456789abcdef0", window_id)
    return {"ResourceARN": arn, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}


def test_the_id_ending_an_arn_is_the_resource_id():
    assert resource_id_of(ARN) == "mw-0123456789abcdef0"
    assert resource_id_of("arn:aws-cn:ssm:cn-north-1:111111111111:document/Pre-patch-Doc") == "Pre-patch-Doc"


def test_a_read_is_made_once_for_every_thread_that_asks_and_made_again_once_forgotten():
    reads, made, gate = Reads(client=None), [], threading.Event()

    def compute():
        gate.wait(5)
        made.append(1)
        return "answer"

    answers = []
    threads = [threading.Thread(target=lambda: answers.append(reads.once("key", compute))) for _ in range(8)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join()
    assert answers == ["answer"] * 8 and made == [1]
    reads.forget("key")
    assert reads.once("key", compute) == "answer" and made == [1, 1]


def test_a_failed_read_is_not_kept():
    reads, attempts = Reads(client=None), []

    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("lost")
        return "answer"

    with pytest.raises(RuntimeError):
        reads.once("key", flaky)
    assert reads.once("key", flaky) == "answer"


def test_listing_reads_every_tag_of_a_type_in_one_paginated_call_and_ssm_only_for_what_it_leaves_out():
    ssm = SSM({"mw-0000000000000000c": {"late": "tagged"}})
    pages = [
        {"ResourceTagMappingList": [mapping("mw-0000000000000000a", a="1")], "PaginationToken": "next"},
        {"ResourceTagMappingList": [mapping("mw-0000000000000000b", b="2")], "PaginationToken": ""},
    ]
    tagging = Tagging(pages)
    reads = Reads(ssm, listing=True, tagging_client=tagging)
    assert reads.tags("MaintenanceWindow", "mw-0000000000000000a") == {"a": "1"}
    assert reads.tags("MaintenanceWindow", "mw-0000000000000000b") == {"b": "2"}
    # Never tagged, so not in the tagging API's answer: read from SSM.
    assert reads.tags("MaintenanceWindow", "mw-0000000000000000c") == {"late": "tagged"}
    assert [call.get("PaginationToken") for call in tagging.calls] == [None, "next"]
    assert tagging.calls[0]["ResourceTypeFilters"] == ["ssm:maintenancewindow"]
    assert ssm.calls == ["mw-0000000000000000c"]


def test_a_refused_tagging_api_falls_back_to_one_read_per_resource_with_one_warning():
    ssm, warnings = SSM({"mw-0000000000000000a": {"a": "1"}}), []
    reads = Reads(ssm, listing=True, tagging_client=Tagging(error="AccessDeniedException"), warn=warnings.append)
    assert reads.tags("MaintenanceWindow", "mw-0000000000000000a") == {"a": "1"}
    assert reads.tags("MaintenanceWindow", "mw-0000000000000000b") == {}
    assert ssm.calls == ["mw-0000000000000000a", "mw-0000000000000000b"]
    assert len(warnings) == 1 and "tag:GetResources" in warnings[0]


def test_another_tagging_error_is_raised():
    reads = Reads(SSM({}), listing=True, tagging_client=Tagging(error="InvalidParameterException"))
    with pytest.raises(ClientError):
        reads.tags("MaintenanceWindow", "mw-0000000000000000a")


def test_without_listing_each_resource_reads_its_own_tags():
    ssm, tagging = SSM({"mw-0000000000000000a": {"a": "1"}}), Tagging([])
    reads = Reads(ssm, tagging_client=tagging)
    assert reads.tags("MaintenanceWindow", "mw-0000000000000000a") == {"a": "1"}
    assert tagging.calls == [] and ssm.calls == ["mw-0000000000000000a"]


class Module:
    check_mode = False

    def __init__(self, tags):
        self.params = {"tags": tags, "purge_tags": True}


class Writes(SSM):
    """SSM that also records tag writes."""

    def __init__(self, tags):
        super().__init__(tags)
        self.writes = []

    def add_tags_to_resource(self, aws_retry, **params):
        self.writes.append(("add", params["Tags"]))

    def remove_tags_from_resource(self, aws_retry, **params):
        self.writes.append(("remove", params["TagKeys"]))


class Tagged(Resource):
    tag_type = "MaintenanceWindow"


def settle_with(listed_tags, ssm_tags, wanted):
    window_id = "mw-0000000000000000a"
    ssm = Writes({window_id: ssm_tags})
    reads = Reads(
        ssm, listing=True, tagging_client=Tagging([{"ResourceTagMappingList": [mapping(window_id, **listed_tags)]}])
    )
    resource = Tagged(Module(wanted), ssm, checker=None, reads=reads)
    before = {"tags": reads.tags("MaintenanceWindow", window_id)}
    changed = resource.settle(window_id, {"WindowId": window_id}, {}, before)
    return changed, ssm.writes, resource.tags


def test_tags_listed_behind_a_recent_change_are_confirmed_with_ssm_before_any_write():
    # The tagging API still shows the old value; SSM already holds the wanted one: nothing to write.
    assert settle_with({"stage": "old"}, {"stage": "new"}, {"stage": "new"}) == (False, [], {"stage": "new"})


def test_a_real_tag_difference_is_written_after_confirming_it():
    changed, writes, tags = settle_with({"stage": "old"}, {"stage": "old"}, {"stage": "new"})
    assert changed and writes == [("add", [{"Key": "stage", "Value": "new"}])] and tags == {"stage": "new"}
