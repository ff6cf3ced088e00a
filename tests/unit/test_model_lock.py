"""The model lock (plugins/module_utils/model_lock.py) against an in-memory Parameter Store with SSM's semantics:
PutParameter with Overwrite=false fails with ParameterAlreadyExists, reads of a missing name ParameterNotFound."""

import datetime
import json

import botocore.exceptions
import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.model_lock import ModelLock, model_problems

LOCK = "/patchmodel/web/lock"
MARKER = LOCK + "-takeover"


def client_error(code, operation):
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": code}}, operation)


class ParameterStore:
    """Put/Get/Delete of SSM parameters; `lose_next` applies the next put, then answers as botocore's retry would."""

    def __init__(self):
        self.parameters = {}
        self.calls = []
        self.lose_next = False
        self.before_put = None  # a hook: another run's calls interleaved just before a put

    def put_parameter(self, aws_retry, Name, Value, Overwrite=False, **_):
        assert aws_retry
        self.calls.append(("PutParameter", Name))
        if self.before_put:
            hook, self.before_put = self.before_put, None
            hook()
        if Name in self.parameters and not Overwrite:
            raise client_error("ParameterAlreadyExists", "PutParameter")
        version = self.parameters.get(Name, {}).get("Version", 0) + 1
        now = datetime.datetime.now(datetime.UTC)
        self.parameters[Name] = {"Name": Name, "Value": Value, "Version": version, "LastModifiedDate": now}
        if self.lose_next:
            # The answer was lost; botocore sent the call again and this is what the retry got.
            self.lose_next = False
            raise client_error("ParameterAlreadyExists", "PutParameter")
        return {"Version": version}

    def get_parameter(self, aws_retry, Name):
        self.calls.append(("GetParameter", Name))
        if Name not in self.parameters:
            raise client_error("ParameterNotFound", "GetParameter")
        return {"Parameter": dict(self.parameters[Name])}

    def delete_parameter(self, aws_retry, Name):
        self.calls.append(("DeleteParameter", Name))
        if Name not in self.parameters:
            raise client_error("ParameterNotFound", "DeleteParameter")
        del self.parameters[Name]

    def age(self, name, seconds):
        self.parameters[name]["LastModifiedDate"] -= datetime.timedelta(seconds=seconds)

    def holder(self, name=LOCK):
        return json.loads(self.parameters[name]["Value"])


@pytest.fixture
def store():
    return ParameterStore()


def lock_of(store, ttl=3600, sleeps=None):
    return ModelLock(store, "web", ttl, sleep=(sleeps.append if sleeps is not None else lambda seconds: None))


def test_a_free_lock_is_taken_with_one_create(store):
    view, waited = lock_of(store).acquire("run-a", wait_timeout=0, poll_interval=1)
    assert view["owner"] == "run-a" and view["parameter_name"] == LOCK
    assert store.holder()["token"] == view["token"]
    assert store.calls == [("PutParameter", LOCK)]


def test_a_held_lock_makes_the_second_run_wait_then_fail_naming_the_holder(store):
    first, _ = lock_of(store).acquire("run-a", 0, 1)
    sleeps = []
    view, holder = lock_of(store, sleeps=sleeps).acquire("run-b", wait_timeout=0, poll_interval=1)
    assert view is None and holder.owner == "run-a" and holder.token == first["token"]
    assert store.holder()["owner"] == "run-a"  # the waiting run wrote nothing
    assert [call for call in store.calls if call[0] != "GetParameter"] == [("PutParameter", LOCK)] * 2


def test_a_waiting_run_gets_the_lock_once_the_holder_releases_it(store):
    first, _ = lock_of(store).acquire("run-a", 0, 1)
    waiting = lock_of(store, sleeps=[])
    waiting.sleep = lambda seconds: lock_of(store).release(first["token"], force=False)
    view, _ = waiting.acquire("run-b", wait_timeout=60, poll_interval=1)
    assert view["owner"] == "run-b" and store.holder()["owner"] == "run-b"


def test_a_lost_answer_of_our_own_create_is_recognised_by_the_token(store):
    store.lose_next = True
    view, _ = lock_of(store).acquire("run-a", 0, 1)
    assert view is not None and store.holder()["token"] == view["token"]


def test_a_stale_lock_is_taken_over_through_the_marker_and_the_marker_removed(store):
    lock_of(store, ttl=60).acquire("run-dead", 0, 1)
    store.age(LOCK, 61)
    view, _ = lock_of(store, ttl=60).acquire("run-b", 0, 1)
    assert view["owner"] == "run-b" and store.holder()["owner"] == "run-b"
    assert MARKER not in store.parameters
    assert ("PutParameter", MARKER) in store.calls and ("DeleteParameter", LOCK) in store.calls


def test_a_run_that_loses_the_takeover_marker_deletes_nothing(store):
    lock_of(store, ttl=60).acquire("run-dead", 0, 1)
    store.age(LOCK, 61)
    # Another run is in the middle of its takeover: it holds the marker.
    store.parameters[MARKER] = {
        "Name": MARKER,
        "Value": json.dumps({"token": "other"}),
        "Version": 1,
        "LastModifiedDate": datetime.datetime.now(datetime.UTC),
    }
    view, holder = lock_of(store, ttl=60).acquire("run-b", wait_timeout=0, poll_interval=1)
    assert ("DeleteParameter", LOCK) not in store.calls
    assert store.holder()["owner"] == "run-dead" and store.parameters[MARKER]["Value"] == '{"token": "other"}'
    assert view is None and holder.owner == "run-dead"


def test_a_stale_lock_replaced_during_the_takeover_is_not_deleted(store):
    lock_of(store, ttl=60).acquire("run-dead", 0, 1)
    store.age(LOCK, 61)
    fresh = {}

    def another_run_replaces_it():
        # Between this run's read and its marker: the stale lock goes and a third run takes a fresh one.
        del store.parameters[LOCK]
        fresh["view"], _ = lock_of(store, ttl=60).acquire("run-c", 0, 1)

    taker = lock_of(store, ttl=60)
    original = taker._take_over

    def take_over(stale, token):
        store.before_put = another_run_replaces_it
        return original(stale, token)

    taker._take_over = take_over
    view, holder = taker.acquire("run-b", wait_timeout=0, poll_interval=1)
    assert store.holder()["owner"] == "run-c"  # the fresh lock survived
    assert view is None and holder.owner == "run-c"


def test_an_abandoned_takeover_marker_is_cleared(store):
    lock_of(store, ttl=60).acquire("run-dead", 0, 1)
    store.age(LOCK, 61)
    store.parameters[MARKER] = {
        "Name": MARKER,
        "Value": json.dumps({"token": "died-mid-takeover", "ttl": 120}),
        "Version": 1,
        "LastModifiedDate": datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=121),
    }
    view, _ = lock_of(store, ttl=60).acquire("run-b", 0, 1)
    assert view["owner"] == "run-b" and MARKER not in store.parameters


def test_release_deletes_only_the_lock_this_run_holds(store):
    first, _ = lock_of(store).acquire("run-a", 0, 1)
    changed, holder = lock_of(store).release("some-other-token", force=False)
    assert (changed, holder.owner) == (False, "run-a") and LOCK in store.parameters
    assert lock_of(store).release(first["token"], force=False) == (True, None)
    assert LOCK not in store.parameters
    assert lock_of(store).release(first["token"], force=False) == (False, None)


def test_force_releases_whoever_holds_it(store):
    lock_of(store).acquire("run-a", 0, 1)
    assert lock_of(store).release(None, force=True) == (True, None) and LOCK not in store.parameters


def test_a_value_that_is_no_lock_of_ours_is_held_by_unknown_until_stale(store):
    now = datetime.datetime.now(datetime.UTC)
    store.parameters[LOCK] = {"Name": LOCK, "Value": "garbage", "Version": 3, "LastModifiedDate": now}
    view, holder = lock_of(store).acquire("run-a", 0, 1)
    assert view is None and "unknown" in holder.owner


@pytest.mark.parametrize(
    "model, ok", [("webserver-prd", True), ("a.b_c-1", True), ("bad name", False), ("", False), ("x/y", False)]
)
def test_model_names_must_fit_one_parameter_path_segment(model, ok):
    assert (model_problems(model) == []) is ok
