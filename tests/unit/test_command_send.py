"""SendCommand at most once in effect (plugins/module_utils/command_send.py), although it has no ClientToken."""

import botocore.exceptions
import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils import command_send

REQUEST = {"DocumentName": "AWS-RunPatchBaseline", "InstanceIds": ["i-1"], "Parameters": {"Operation": ["Scan"]}}


def client_error(code, status):
    return botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "SendCommand"
    )


class FakeSSM:
    """`answers`: what each SendCommand does: 'ok', 'lost' (applied, answered 500), 'error' (500, not applied),
    'throttle' (400, not applied)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.commands = []
        self.sends = 0
        self.lists = 0

    def send_command(self, **request):
        self.sends += 1
        answer = self.answers.pop(0)
        if answer == "throttle":
            raise client_error("ThrottlingException", 400)
        if answer == "error":
            raise client_error("InternalServerError", 500)
        command = {"CommandId": f"c-{len(self.commands)}", "Comment": request["Comment"], "Status": "Pending"}
        self.commands.append(command)
        if answer == "lost":
            raise client_error("InternalServerError", 500)
        return {"Command": command}

    def list_commands(self, aws_retry, Filters, **_):
        assert aws_retry
        self.lists += 1
        assert {flt["key"] for flt in Filters} == {"InvokedAfter", "DocumentName"}
        return {"Commands": list(self.commands)}


class FakeModule:
    def __init__(self, ssm):
        self.ssm = ssm
        self.client_config = None

    def client(self, service, config):
        self.client_config = config
        return self.ssm


def send(answers):
    ssm = FakeSSM(answers)
    module = FakeModule(ssm)
    request = command_send.marked_request(dict(REQUEST, Comment="nightly"))
    command = command_send.send_command_once(module, ssm, request, sleep=lambda s: None)
    return ssm, module, command


def test_a_lost_answer_finds_the_command_aws_accepted_instead_of_sending_it_again():
    ssm, module, command = send(["lost", "ok"])
    assert ssm.sends == 1 and len(ssm.commands) == 1
    assert command["CommandId"] == "c-0"
    assert module.client_config.retries == {"total_max_attempts": 1}  # botocore would resend blindly


def test_a_server_error_that_sent_nothing_is_sent_again_once():
    ssm, _, command = send(["error", "ok"])
    assert ssm.sends == 2 and len(ssm.commands) == 1 and command["CommandId"] == "c-0"


def test_a_throttled_send_is_sent_again_without_a_search():
    ssm, _, command = send(["throttle", "throttle", "ok"])
    assert (ssm.sends, ssm.lists, len(ssm.commands)) == (3, 0, 1)


def test_the_marker_keeps_the_users_comment_and_the_100_character_limit():
    _, _, command = send(["ok"])
    assert command["Comment"].startswith("nightly [patchmodel:") and command["Comment"].endswith("]")
    long = command_send.marked_comment("x" * 100, "patchmodel:0123456789ab")
    assert len(long) == 100 and long.endswith("[patchmodel:0123456789ab]")
    assert command_send.marked_comment(None, "patchmodel:0123456789ab") == "[patchmodel:0123456789ab]"


def test_a_permanent_error_is_raised_at_once():
    ssm = FakeSSM([])
    ssm.send_command = lambda **request: (_ for _ in ()).throw(client_error("InvalidDocument", 400))
    with pytest.raises(botocore.exceptions.ClientError, match="InvalidDocument"):
        command_send.send_command_once(FakeModule(ssm), ssm, command_send.marked_request(REQUEST), sleep=lambda s: None)
