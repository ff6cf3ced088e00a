"""The local AWS endpoint: moto for IAM, EC2, S3, SNS, CloudWatch Logs and STS, the project's own
SSM Patch Manager backend for SSM. A test and demo fixture that behaves like AWS."""
