# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SendCommand exactly once, although it has no ClientToken.

A SendCommand whose answer is lost (a 5xx or a broken connection after AWS accepted it) cannot simply be sent
again: AWS would run the command twice. So the command carries a marker in its Comment, botocore is told not to
retry it, and after an unclear failure the commands sent since just before are searched for the marker: found,
that is our command; not found, it is sent again. A throttled call never took effect and is sent again at once.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid

try:
    import botocore.config
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing botocore

from ansible_collections.patchmodel.ssm.plugins.module_utils.retries import (
    FIRST_DELAY,
    MAX_DELAY,
    is_throttling,
    is_transient,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import paginate

COMMENT_MAX = 100  # botocore ssm model: Comment, max length 100
ATTEMPTS = 10
# Commands are searched from this long before the first attempt, so the controller's clock may lag AWS's by as much.
CLOCK_SKEW = datetime.timedelta(minutes=15)


def marked_comment(comment, marker):
    """The user's comment (shortened if need be) followed by the marker, within the Comment limit."""
    tag = f"[{marker}]"
    room = COMMENT_MAX - len(tag) - 1
    return f"{comment[:room]} {tag}" if comment else tag


def marked_request(request):
    """The request with a marker of its own at the end of its Comment, for send_command_once."""
    return dict(request, Comment=marked_comment(request.get("Comment"), f"patchmodel:{uuid.uuid4().hex[:12]}"))


def find_sent(client, document_name, comment, since):
    """The command with this marked comment sent since `since`, or None."""
    filters = [
        {"key": "InvokedAfter", "value": since.strftime("%Y-%m-%dT%H:%M:%SZ")},
        {"key": "DocumentName", "value": document_name},
    ]
    for command in paginate(client, "list_commands", "Commands", Filters=filters):
        if command.get("Comment") == comment:
            return command
    return None


def send_command_once(module, reader, request, sleep=time.sleep):
    """SendCommand's Command for a marked_request(), sent at most once in effect.

    `reader` is a retrying client for the look-ups; the send itself goes through a client with botocore's own
    retries off, since botocore would resend blindly.
    """
    sender = module.client("ssm", config=botocore.config.Config(retries={"total_max_attempts": 1}))
    since = datetime.datetime.now(datetime.UTC) - CLOCK_SKEW
    attempt = 0
    while True:
        try:
            return sender.send_command(**request)["Command"]
        except (BotoCoreError, ClientError) as error:
            attempt += 1
            if attempt == ATTEMPTS or not is_transient(error):
                raise
            if not (isinstance(error, ClientError) and is_throttling(error)):
                found = find_sent(reader, request["DocumentName"], request["Comment"], since)
                if found:
                    return found
        sleep(random.uniform(0, min(MAX_DELAY, FIRST_DELAY * 2 ** (attempt - 1))))
