# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module class every patchmodel.ssm module uses: amazon.aws's, labelled with our collection."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.retries import retry_decorator

COLLECTION_NAME = "patchmodel.ssm"
COLLECTION_VERSION = "2.0.0"


class PatchModelModule(AnsibleAWSModule):
    """AnsibleAWSModule whose API calls say they come from patchmodel.ssm (user agent)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)

    def ssm_client(self):
        """An SSM client whose calls (with aws_retry=True) retry every transient error (module_utils/retries.py)."""
        return self.aws_client("ssm")

    def aws_client(self, service):
        """A client of `service` whose calls (with aws_retry=True) retry every transient error."""
        return self.client(service, retry_decorator=retry_decorator())

    def fail_on_problems(self, problems):
        """Fail, before any API call, listing every problem found in the module's input."""
        if problems:
            self.fail_json(msg="Invalid parameters: " + "; ".join(problems), problems=problems)
