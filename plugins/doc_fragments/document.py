# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # What the modules built on module_utils/document.py share: PyYAML, and the document types (DOCUMENT_TYPES), which
    # ssm_document creates and ssm_document_info filters by; each module describes (and defaults) O(document_type).
    DOCUMENTATION = r"""
requirements:
  - PyYAML
options:
  document_type:
    type: str
    choices: [Command, Policy, Automation, Session, Package, ApplicationConfiguration, ApplicationConfigurationSchema,
      DeploymentStrategy, ChangeCalendar, Automation.ChangeTemplate, ProblemAnalysis, ProblemAnalysisTemplate,
      CloudFormation, ConformancePackTemplate, QuickSetup, ManualApprovalPolicy, AutoApprovalPolicy]
"""
