#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_maintenance_window
version_added: 1.0.0
short_description: Manage AWS Systems Manager maintenance windows
description:
  - Create, update in place and delete AWS Systems Manager maintenance windows, the schedules in which
    Patch Manager tasks run.
  - Updates use C(UpdateMaintenanceWindow) with C(Replace=true) and the full desired state, so the window
    keeps its id, targets, tasks and tags. A window is never deleted and re-created.
  - Every option is validated before any call, including the AWS schedule dialect (C(cron), C(rate) and
    C(at) expressions), the time zone, the schedule offset, cutoff against duration and the start and end dates.
  - The result carries RV(next_executions), the next three runs computed locally from the schedule, time
    zone, offset and start and end dates, also in check mode before the window exists.
  - Use M(patchmodel.ssm.ssm_window_target) and M(patchmodel.ssm.ssm_window_task) to register targets and
    tasks, and M(patchmodel.ssm.ssm_maintenance_window_info) to read windows without changing them.
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  name:
    description:
      - Name of the maintenance window, 3 to 128 characters of V(a-z), V(A-Z), V(0-9), V(_), V(-) and V(.).
      - Identifies the window when O(window_id) is not given. AWS does not keep names unique; when several
        windows share the name the module fails and lists their ids.
      - With O(window_id), a different name renames the window.
      - Required to create a window.
    type: str
  window_id:
    description:
      - Id of an existing window, such as V(mw-0c50858d01EXAMPLE). Takes precedence over O(name) to identify it.
    type: str
  state:
    description:
      - V(present) creates or updates the window; V(absent) deletes it, with its targets and tasks.
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - Description of the window, 1 to 128 characters. V("") removes it.
      - C(no_log), because AWS marks this field sensitive; results and diffs show it masked.
    type: str
  schedule:
    description:
      - When the window runs, in the AWS schedule dialect. Required to create a window.
      - V(cron(minutes hours day-of-month month day-of-week year)), six fields (a seventh, leading seconds
        field is accepted too). Exactly one of day-of-month and day-of-week is V(?). Day-of-week counts
        V(1)-V(7) from Sunday or takes V(SUN)-V(SAT); V(L) (last), V(W) (nearest weekday, such as V(15W)) and
        V(#) (nth weekday of the month, such as V(WED#1)) are supported. Example V(cron(0 21 ? * WED#1 *)).
      - V(rate(N unit)) with unit V(minute), V(hour) or V(day) for N=1 and V(minutes), V(hours) or V(days)
        otherwise, such as V(rate(5 minutes)) or V(rate(1 day)).
      - V(at(yyyy-mm-ddThh:mm:ss)) for a single run, such as V(at(2022-07-06T21:00:00)).
    type: str
  schedule_timezone:
    description:
      - IANA time zone the schedule is read in, such as V(US/Central) or V(America/Chicago). AWS uses UTC
        when none is set. V("") removes it.
    type: str
  schedule_offset:
    description:
      - Days, V(1) to V(6), to wait after the date and time given by a C(cron) schedule before running, for
        example to run two days after Patch Tuesday. Only with a C(cron) schedule. V(0) removes the offset.
    type: int
  duration:
    description:
      - Length of the window in hours, V(1) to V(24). Required to create a window.
    type: int
  cutoff:
    description:
      - Hours before the end of the window when no new task starts, V(0) to V(23), less than O(duration).
        Required to create a window.
    type: int
  allow_unassociated_targets:
    description:
      - Whether tasks may run on managed nodes that are not registered as targets of the window.
    type: bool
    default: false
  start_date:
    description:
      - ISO-8601 date and time when the window becomes active, such as V(2022-07-06T20:00-05:00). Dates are
        compared as instants, so V(2022-07-07T01:00:00Z) is the same start. V("") removes it.
    type: str
  end_date:
    description:
      - ISO-8601 date and time when the window becomes inactive; after O(start_date). V("") removes it.
    type: str
  enabled:
    description:
      - Whether the window runs. V(false) keeps the window but stops its runs.
    type: bool
    default: true
notes:
  - Options left unset keep their current value on update, except O(allow_unassociated_targets) and
    O(enabled), which have defaults.
  - RV(next_executions) follows the AWS documentation for schedules, time zones (a wall-clock time skipped by a
    daylight-saving change does not run, a repeated one runs once), offsets and start and end dates; a
    C(rate) schedule counts from its start date or, when that has passed, from the window's creation. AWS's
    own next run is RV(window.next_execution_time) when AWS reports it.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - patchmodel.ssm.attributes
"""

EXAMPLES = r"""
# Step 3 of the Amazon Linux 2 patching model: the first Wednesday of each month at 9:00 pm US/Central,
# for two hours, no new tasks in the last hour, active from 6 July 2022 8:00 pm CDT.
- name: Create the production web server maintenance window
  patchmodel.ssm.ssm_maintenance_window:
    name: Patch-WebServer-Prd
    description: Patching Maintenance Window for Patching WebServer in production
    schedule: cron(0 21 ? * WED#1 *)
    schedule_timezone: US/Central
    start_date: "2022-07-06T20:00-05:00"
    duration: 2
    cutoff: 1
    allow_unassociated_targets: false
  register: webserver_window

- name: Show when the window really runs
  ansible.builtin.debug:
    var: webserver_window.next_executions

# The Windows Server 2016 walkthrough: a fast feedback loop, every 5 minutes for one hour.
- name: Create the Windows demo maintenance window
  patchmodel.ssm.ssm_maintenance_window:
    name: Patch-Windows-Server-2016-Base
    schedule: rate(5 minutes)
    duration: 1
    cutoff: 0
    allow_unassociated_targets: false
    tags:
      Patch Group: Windows Server 2016 Base

- name: Preview moving the production window to two days after the first Tuesday
  patchmodel.ssm.ssm_maintenance_window:
    name: Patch-WebServer-Prd
    schedule: cron(0 21 ? * TUE#1 *)
    schedule_offset: 2
  check_mode: true
  diff: true

- name: Pause the demo window without deleting it
  patchmodel.ssm.ssm_maintenance_window:
    name: Patch-Windows-Server-2016-Base
    enabled: false

- name: Delete the production window by id (its targets and tasks go with it)
  patchmodel.ssm.ssm_maintenance_window:
    window_id: "{{ webserver_window.window.window_id }}"
    state: absent
"""

RETURN = r"""
window:
  description:
    - The maintenance window after the run (as it would be, in check mode), in the shape of the module's options.
    - Empty when O(state=absent).
    - RV(window.description), which AWS marks sensitive, shows as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER). In the
      C(--diff) output a description that changes shows as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER (changed)).
      The module compares the real values.
  returned: always
  type: dict
  contains:
    window_id:
      description: Id of the window; V(null) for a window check mode would create.
      type: str
      sample: mw-0c50858d01EXAMPLE
    arn:
      description:
        - ARN of the window, C(arn:<partition>:ssm:<region>:<account>:maintenancewindow/<window_id>),
          in the partition of the caller's credentials (C(aws), C(aws-cn), C(aws-us-gov)), read with
          C(sts:GetCallerIdentity), which needs no permission.
        - Left out for a window check mode would create, which has no id yet.
      returned: when the window exists
      type: str
      sample: arn:aws:ssm:us-east-1:123456789012:maintenancewindow/mw-0c50858d01EXAMPLE
    name:
      description: Name of the window.
      type: str
      sample: Patch-WebServer-Prd
    description:
      description: Description of the window, masked; V(null) when it has none.
      type: str
      sample: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
    schedule:
      description: Schedule expression.
      type: str
      sample: cron(0 21 ? * WED#1 *)
    schedule_timezone:
      description: IANA time zone of the schedule, V(null) for UTC.
      type: str
      sample: US/Central
    schedule_offset:
      description: Days after the cron date and time that the window runs, or V(null).
      type: int
      sample: null
    duration:
      description: Length of the window in hours.
      type: int
      sample: 2
    cutoff:
      description: Hours before the end of the window when no new task starts.
      type: int
      sample: 1
    allow_unassociated_targets:
      description: Whether tasks may run on nodes that are not registered targets.
      type: bool
      sample: false
    start_date:
      description: When the window becomes active (ISO 8601, as AWS stores it), or V(null).
      type: str
      sample: "2022-07-06T20:00-05:00"
    end_date:
      description: When the window becomes inactive, or V(null).
      type: str
      sample: null
    enabled:
      description: Whether the window runs.
      type: bool
      sample: true
    tags:
      description: Tags of the window.
      type: dict
      sample: {}
    created_date:
      description: When the window was created (ISO 8601); V(null) in check mode before creation.
      type: str
      sample: "2022-07-06T18:02:11.403000+00:00"
    modified_date:
      description: When the window was last modified (ISO 8601).
      type: str
      sample: "2022-07-06T18:02:11.403000+00:00"
    next_execution_time:
      description: The next run as AWS reports it, when it does.
      type: str
      sample: "2022-08-03T21:00-05:00"
    next_executions:
      description: Same as RV(next_executions).
      type: list
      elements: str
      sample: ["2022-07-06T21:00:00-05:00", "2022-08-03T21:00:00-05:00", "2022-09-07T21:00:00-05:00"]
next_executions:
  description:
    - The next three runs computed locally from the schedule, time zone, offset and start and end dates, as
      ISO-8601 date-times in the schedule's time zone. Fewer when the window stops before (or for an C(at)
      schedule, which runs once); none for a disabled window.
    - Also returned in check mode for a window that does not exist yet. Empty when O(state=absent).
  returned: always
  type: list
  elements: str
  sample: ["2022-07-06T21:00:00-05:00", "2022-08-03T21:00:00-05:00", "2022-09-07T21:00:00-05:00"]
"""

from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import run
from ansible_collections.patchmodel.ssm.plugins.module_utils.window import Window


def argument_spec():
    return Window.argument_spec()


def main():
    module = PatchModelModule(argument_spec=argument_spec(), supports_check_mode=True, **Window.rules)
    run(module, Window)


if __name__ == "__main__":
    main()
