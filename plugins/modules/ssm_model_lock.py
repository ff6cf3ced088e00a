#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ssm_model_lock
short_description: Take or release the lock that keeps two runs from applying one patching model at once
version_added: 2.0.0
description:
  - Holds a lock per patching model, account and region in the SSM parameter C(/patchmodel/<model>/lock), so that
    two runs of the same model (two job templates, a schedule and a person) never apply it at the same time, the
    way Terraform's state lock does.
  - O(state=present) takes the lock. SSM's PutParameter with C(Overwrite=false) creates the parameter only when it
    does not exist, so exactly one run gets it. A run that finds the lock held waits up to O(wait_timeout)
    seconds, then fails before changing anything, naming the holder.
  - A lock taken more than O(ttl) seconds ago is stale, and the next run takes it over. The takeover itself is
    guarded by a second parameter, C(/patchmodel/<model>/lock-takeover), so two runs never both take over.
  - O(state=absent) releases the lock this run holds (O(token)), or any holder's with O(force=true).
  - In check mode nothing is written; the result says who holds the lock, if anyone. A preview needs no lock.
  - Every call retries throttling and server errors; a create or delete whose answer was lost is recognised.
author:
  - patchmodel.ssm contributors (@patchmodel)
options:
  model:
    description:
      - The name of the patching model (C(patch_model.name)). Letters, digits, C(_), C(.) and C(-), at most 200.
    type: str
    required: true
  state:
    description:
      - V(present) takes the lock, V(absent) releases it.
    type: str
    choices: [present, absent]
    default: present
  owner:
    description:
      - Who takes the lock, shown to runs that wait for it (for example C(AWX job 42)).
      - Defaults to C(<user>@<host> pid <pid>) of the controller.
    type: str
  ttl:
    description:
      - Seconds after which a lock counts as stale and the next run takes it over. Longer than any run.
    type: int
    default: 3600
  wait_timeout:
    description:
      - Seconds to wait for a lock held by another run before failing. V(0) fails at once.
    type: int
    default: 900
  poll_interval:
    description:
      - Seconds between looks at a held lock (jittered by half either way).
    type: int
    default: 5
  token:
    description:
      - With O(state=absent), the RV(lock.token) that O(state=present) returned; the lock is released only when
        that token still holds it.
    type: str
  force:
    description:
      - With O(state=absent), release the lock whoever holds it. For clearing a lock by hand after a run died.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes
"""

EXAMPLES = r"""
- name: Take the model's lock
  patchmodel.ssm.ssm_model_lock:
    model: webserver-prd
    owner: "AWX job {{ awx_job_id | default('manual') }}"
  register: model_lock

- name: Release it
  patchmodel.ssm.ssm_model_lock:
    model: webserver-prd
    state: absent
    token: "{{ model_lock.lock.token }}"

- name: Clear a lock left by a run that died
  patchmodel.ssm.ssm_model_lock:
    model: webserver-prd
    state: absent
    force: true
"""

RETURN = r"""
lock:
  description: The lock this run took (O(state=present)); empty in check mode and after a release.
  returned: always
  type: dict
  contains:
    parameter_name:
      description: The SSM parameter holding the lock.
      type: str
      sample: /patchmodel/webserver-prd/lock
    owner:
      description: Who holds it.
      type: str
    token:
      description: This run's token; pass it to O(state=absent).
      type: str
    arn:
      description:
        - ARN of the parameter, C(arn:<partition>:ssm:<region>:<account>:parameter/<name without its leading
          slash>), in the partition of the caller's credentials; as C(GetParameter) answers it when the run read
          the parameter, else built from one C(sts:GetCallerIdentity) (which needs no permission).
      type: str
      sample: arn:aws:ssm:us-east-1:123456789012:parameter/patchmodel/webserver-prd/lock
    acquired:
      description: When it was taken (UTC, ISO 8601).
      type: str
    expires:
      description: When it becomes stale (UTC, ISO 8601).
      type: str
holder:
  description:
    - The lock held by another run, when this run found it held (check mode, a release left alone), with the keys
      of RV(lock) (its C(arn) as C(GetParameter) answers it).
  returned: when another run holds the lock
  type: dict
waited:
  description: Seconds this run waited for the lock.
  returned: when O(state=present) and not in check mode
  type: float
"""

import getpass
import os
import socket

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing botocore

from ansible_collections.patchmodel.ssm.plugins.module_utils.arns import Arns
from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.model_lock import ModelLock, model_problems


def default_owner():
    return f"{getpass.getuser()}@{socket.gethostname()} pid {os.getppid()}"


def option_problems(params):
    problems = model_problems(params["model"])
    for option in ("ttl", "poll_interval"):
        if params[option] < 1:
            problems.append(f"{option}: must be at least 1 second, got {params[option]}")
    if params["wait_timeout"] < 0:
        problems.append(f"wait_timeout: must be 0 or more seconds, got {params['wait_timeout']}")
    if params["state"] == "present" and (params["token"] or params["force"]):
        problems.append("token and force go with state=absent only")
    if params["state"] == "absent" and not (params["token"] or params["force"]):
        problems.append("state=absent needs the token of the lock to release, or force=true")
    return problems


def take(module, lock):
    params = module.params
    if module.check_mode:
        held = lock.holder()
        if held is None:
            return {"changed": False, "lock": {}}
        module.warn(f"The model '{params['model']}' is locked by {held.owner}: a real run would wait for it.")
        return {"changed": False, "lock": {}, "holder": held.view(lock.name)}
    owner = params["owner"] or default_owner()
    view, waited_or_holder = lock.acquire(owner, params["wait_timeout"], params["poll_interval"])
    if view is None:
        held = waited_or_holder.view(lock.name)
        module.fail_json(
            msg=f"The model '{params['model']}' is locked by {held['owner']} since {held['acquired']} (stale after "
            f"{held['expires']}); waited {params['wait_timeout']} s and changed nothing. If no run of this model is "
            f"active, release it: patchmodel.ssm.ssm_model_lock with model={params['model']}, state=absent and "
            f"force=true, or delete the SSM parameter {lock.name}.",
            holder=held,
        )
    if "arn" not in view:  # put by this run: PutParameter does not answer the ARN
        view["arn"] = Arns(module).parameter(lock.name)
    return {"changed": True, "lock": view, "waited": waited_or_holder}


def release(module, lock):
    params = module.params
    if module.check_mode:
        held = lock.holder()
        changed = bool(held) and (params["force"] or held.token == params["token"])
        return {"changed": changed, "lock": {}}
    changed, held = lock.release(params["token"], params["force"])
    result = {"changed": changed, "lock": {}}
    if held is not None:
        result["holder"] = held.view(lock.name)
        module.warn(
            f"The lock of '{params['model']}' is now held by {held.owner}, not by this run (it went stale and was "
            "taken over): left alone."
        )
    return result


def main():
    module = PatchModelModule(
        argument_spec=dict(
            model=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            owner=dict(type="str"),
            ttl=dict(type="int", default=3600),
            wait_timeout=dict(type="int", default=900),
            poll_interval=dict(type="int", default=5),
            token=dict(type="str", no_log=False),
            force=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    module.fail_on_problems(option_problems(module.params))
    lock = ModelLock(module.ssm_client(), module.params["model"], module.params["ttl"])
    try:
        result = take(module, lock) if module.params["state"] == "present" else release(module, lock)
    except (BotoCoreError, ClientError) as error:
        action = "take" if module.params["state"] == "present" else "release"
        module.fail_json_aws(error, msg=f"Failed to {action} the lock {lock.name}")
    module.exit_json(**result)


if __name__ == "__main__":
    main()
