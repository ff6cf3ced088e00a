# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The options of the parts of a maintenance window (ssm_window_target, ssm_window_task); their argument spec is
    # module_utils/targets.py's window_part_spec.
    DOCUMENTATION = r"""
options:
  window:
    description:
      - The maintenance window, by name or by id (V(mw-0c50858d01EXAMPLE)).
      - When several windows share the name the module fails and lists their ids.
    type: str
    required: true
  state:
    description:
      - V(present) registers it with O(window), or updates it in place; V(absent) deregisters it.
    type: str
    choices: [present, absent]
    default: present
"""
