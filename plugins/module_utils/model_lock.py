# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A lock per (model, account, region), held in an SSM parameter, like Terraform's state lock.

PutParameter with Overwrite=false is SSM's one atomic create-if-absent: it fails with ParameterAlreadyExists when
the parameter exists (SSM API reference, PutParameter), so exactly one run creates the lock. The value names the
holder. A lock whose parameter was last written more than its ttl ago (LastModifiedDate, AWS's clock) is stale.
Taking a stale lock over goes through a second parameter, the takeover marker, created the same way: only the one
run that creates it deletes the stale lock, so two runs that find the same stale lock never delete each other's
fresh one. docs/reliability.md explains clearing a lock by hand.
"""

from __future__ import annotations

import datetime
import json
import random
import re
import time
import uuid

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

PREFIX = "/patchmodel"
MODEL_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")  # what an SSM parameter name allows in one path segment
ABANDONED_MARKER_SECONDS = 120  # a takeover takes a few calls; a marker this old was left by a run that died
OWNER_MAX = 256


def parameter_name(model):
    return f"{PREFIX}/{model}/lock"


def model_problems(model):
    if not MODEL_NAME.match(model or ""):
        return [
            f"model: '{model}' cannot name an SSM parameter: use 1 to 200 letters, digits, '_', '.' or '-' "
            "(the lock is the parameter /patchmodel/<model>/lock)"
        ]
    return []


def _now():
    return datetime.datetime.now(datetime.UTC)


def _iso(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Held:
    """A lock parameter as read: who holds it, since when, and whether it is stale."""

    def __init__(self, parameter, default_ttl):
        self.version = parameter.get("Version")
        self.arn = parameter.get("ARN")  # GetParameter answers it; a lock this run just put has none yet
        self.modified = parameter.get("LastModifiedDate") or _now()
        try:
            value = json.loads(parameter.get("Value") or "")
            value = value if isinstance(value, dict) else {}
        except ValueError:
            value = {}
        self.token = value.get("token")
        self.owner = value.get("owner") or "unknown (the parameter does not hold a patchmodel lock)"
        self.acquired = value.get("acquired") or _iso(self.modified)
        ttl = value.get("ttl")
        self.ttl = ttl if isinstance(ttl, int) and ttl > 0 else default_ttl
        self.expires = self.modified + datetime.timedelta(seconds=self.ttl)

    def stale(self):
        return _now() >= self.expires

    def view(self, name):
        view = {
            "parameter_name": name,
            "owner": self.owner,
            "token": self.token,
            "acquired": self.acquired,
            "expires": _iso(self.expires),
        }
        return dict(view, arn=self.arn) if self.arn else view


class ModelLock:
    """Take and release the lock of one model; every call retried (aws_retry) and safe to repeat."""

    def __init__(self, client, model, ttl, sleep=time.sleep):
        self.client = client
        self.model = model
        self.ttl = ttl
        self.name = parameter_name(model)
        self.marker = self.name + "-takeover"
        self.sleep = sleep

    def read(self, name=None):
        try:
            return self.client.get_parameter(aws_retry=True, Name=name or self.name)["Parameter"]
        except is_boto3_error_code("ParameterNotFound"):
            return None

    def holder(self):
        parameter = self.read()
        return Held(parameter, self.ttl) if parameter else None

    def _create(self, name, value, description):
        """True when this call created the parameter (or a lost answer of ours had: the token is ours)."""
        try:
            self.client.put_parameter(
                aws_retry=True,
                Name=name,
                Value=json.dumps(value, sort_keys=True),
                Type="String",
                Overwrite=False,
                Description=description,
                Tags=[{"Key": "patchmodel:model", "Value": self.model}],
            )
            return True
        except is_boto3_error_code("ParameterAlreadyExists"):
            found = self.read(name)
            return bool(found) and Held(found, self.ttl).token == value["token"]

    def _delete(self, name):
        try:
            self.client.delete_parameter(aws_retry=True, Name=name)
        except is_boto3_error_code("ParameterNotFound"):
            pass  # gone already: a lost answer of our own, or another run's cleanup

    def acquire(self, owner, wait_timeout, poll_interval):
        """(lock view, seconds waited), or (None, holder) when another run still holds it after wait_timeout."""
        start = time.monotonic()
        token = str(uuid.uuid4())
        while True:
            acquired = _now()
            value = {"model": self.model, "owner": owner[:OWNER_MAX], "token": token, "acquired": _iso(acquired)}
            value["ttl"] = self.ttl
            if self._create(self.name, value, f"patchmodel.ssm lock of the model {self.model}"):
                held = Held({"Value": json.dumps(value), "LastModifiedDate": acquired}, self.ttl)
                return held.view(self.name), round(time.monotonic() - start, 1)
            held = self.holder()
            if held is None:
                self.sleep(random.uniform(0.1, 0.5))  # released since our create: try again soon
                continue
            if held.stale() and self._take_over(held, token):
                continue  # the stale lock is gone: try to create it at once
            waited = time.monotonic() - start
            if waited >= wait_timeout:
                return None, held
            self.sleep(min(poll_interval * random.uniform(0.5, 1.5), max(wait_timeout - waited, 0.1)))

    def _take_over(self, stale, token):
        """Delete a stale lock if this run wins the takeover marker. False: another run is taking it over."""
        marker = {"token": token, "stale_token": stale.token, "acquired": _iso(_now()), "ttl": ABANDONED_MARKER_SECONDS}
        if not self._create(self.marker, marker, f"patchmodel.ssm takeover of the stale lock of {self.model}"):
            found = self.read(self.marker)
            if found is None or Held(found, ABANDONED_MARKER_SECONDS).stale():
                self._delete(self.marker)  # gone, or left by a run that died during its takeover
                return True
            return False
        current = self.holder()
        if current is not None and current.token == stale.token and current.version == stale.version:
            self._delete(self.name)
        self._delete(self.marker)
        return True

    def release(self, token, force):
        """(changed, holder left alone or None): delete the lock when `token` holds it, or whoever does with force."""
        held = self.holder()
        if held is None:
            return False, None
        if force or held.token == token:
            self._delete(self.name)
            return True, None
        return False, held
