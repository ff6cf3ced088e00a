"""Attachments of SSM document versions on the local endpoint.

CreateDocument and UpdateDocument take Attachments (AttachmentsSource: Key, Values, Name); each version keeps its own
list of resolved attachments, which DescribeDocument reports as AttachmentsInformation (names) and GetDocument as
AttachmentsContent (name, size, hash, URL). Files are looked up in moto's S3 when they are there, so their size and
hash are real; a file moto does not hold is kept by name and URL alone.
"""

import hashlib
import posixpath

from ..moto_lock import MOTO_LOCK
from .errors import SSMError


def _s3_parts(url):
    """(bucket, key) of s3://bucket/key."""
    path = url.removeprefix("s3://")
    bucket, _, key = path.partition("/")
    return bucket, key


def _s3_objects(state, bucket, prefix):
    """{key: bytes} of moto's objects in the bucket under the prefix ({} when moto has no such bucket)."""
    from moto.s3.models import s3_backends

    with MOTO_LOCK:
        if state.account not in s3_backends:
            return {}
        found = s3_backends[state.account]["global"].buckets.get(bucket)
        if found is None:
            return {}
        return {key: found.keys[key].value for key in list(found.keys) if key.startswith(prefix)}


def _attachment(name, url, body=None):
    bucket, key = _s3_parts(url)
    attachment = {"Name": name, "Url": f"https://{bucket}.s3.amazonaws.com/{key}"}
    if body is not None:
        attachment.update(Size=len(body), Hash=hashlib.sha256(body).hexdigest(), HashType="Sha256")
    return attachment


def _referenced(state, value, find):
    """The attachment that an AttachmentReference value (document/version/file) names."""
    # AWS: AttachmentsSource.Values — <document name or ARN>/<version number>/<attachment name>
    parts = value.rsplit("/", 2)
    if len(parts) != 3:
        raise SSMError("InvalidDocumentContent", f"The attachment reference {value} isn't valid.")
    document, version, name = parts
    record = find(state, document)
    held = (record or {}).get("Versions", {}).get(version, {}).get("Attachments") or []
    match = next((dict(attachment) for attachment in held if attachment["Name"] == name), None)
    if match is None:
        raise SSMError("InvalidDocumentContent", f"The attachment reference {value} names no attachment.")
    return match


def resolve(state, sources, find):
    """The attachments a version keeps for the request's AttachmentsSource list."""
    attachments = []
    for source in sources or []:
        key, value, name = source.get("Key"), (source.get("Values") or [""])[0], source.get("Name")
        if key == "AttachmentReference":
            attachments.append(dict(_referenced(state, value, find), **({"Name": name} if name else {})))
        elif key == "S3FileUrl":
            bucket, path = _s3_parts(value)
            body = _s3_objects(state, bucket, path).get(path)
            attachments.append(_attachment(name or posixpath.basename(path), value, body))
        else:  # SourceUrl: every file under the prefix
            bucket, prefix = _s3_parts(value)
            files = _s3_objects(state, bucket, prefix.rstrip("/") + "/" if prefix else "")
            if name or not files:
                attachments.append(_attachment(name or posixpath.basename(prefix.rstrip("/")), value))
            else:
                for path, body in sorted(files.items()):
                    attachments.append(_attachment(posixpath.basename(path), f"s3://{bucket}/{path}", body))
    return attachments


def information(attachments):
    """DescribeDocument's AttachmentsInformation."""
    return [{"Name": attachment["Name"]} for attachment in attachments] or None


def content(attachments):
    """GetDocument's AttachmentsContent."""
    return [dict(attachment) for attachment in attachments] or None
