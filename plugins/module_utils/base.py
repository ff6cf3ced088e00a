# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module class every patchmodel.ssm module uses: amazon.aws's, labelled with our collection."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

COLLECTION_NAME = "patchmodel.ssm"
COLLECTION_VERSION = "1.0.0"


class PatchModelModule(AnsibleAWSModule):
    """AnsibleAWSModule whose API calls say they come from patchmodel.ssm (user agent)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)

    def ssm_client(self):
        """An SSM client whose calls retry throttling and 5xx with jittered backoff (aws_retry=True)."""
        return self.client("ssm", retry_decorator=AWSRetry.jittered_backoff(retries=8, delay=1, max_delay=20))

    def fail_on_problems(self, problems):
        """Fail, before any API call, listing every problem found in the module's input."""
        if problems:
            self.fail_json(msg="Invalid parameters: " + "; ".join(problems), problems=problems)
