# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The operating systems of patch baselines (module_utils/patch_filters.py OPERATING_SYSTEMS), which
    # ssm_patch_baseline creates baselines for and ssm_patch_baseline_info filters by; each module describes
    # O(operating_system) itself.
    DOCUMENTATION = r"""
options:
  operating_system:
    type: str
    choices: [WINDOWS, AMAZON_LINUX, AMAZON_LINUX_2, AMAZON_LINUX_2022, AMAZON_LINUX_2023, UBUNTU,
      REDHAT_ENTERPRISE_LINUX, SUSE, CENTOS, ORACLE_LINUX, DEBIAN, MACOS, RASPBIAN, ROCKY_LINUX, ALMA_LINUX]
"""
