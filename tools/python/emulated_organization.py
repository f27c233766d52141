"""The emulated organization the rehearsal deploys into (moto's server at the endpoint given).

`create`: the organization (all features) in the caller's account, which becomes the management account, then one
member account per name given, the once-only steps the guide asks for before the first deploy (SCP and RCP policy
types, trusted access for the security services); prints the ids as JSON.

`designate-guardduty`: what AWS does when the management account designates a GuardDuty administrator and moto does
not: a detector in the administrator account in each region given. Run after the management stack is applied. The
detector carries the tags given (JSON): moto's GuardDuty has no TagResource, so the stack that adopts the detector
could not tag it.

`create-bucket`: a bucket the configuration expects to exist already in an account (a monitored bucket: the customer's
own data, which the baseline watches but does not create).

Uses boto3 from the emulator's own environment (.venv-emulator), pinned in emulator-constraints.txt.
"""

import json
import sys

import boto3

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
TRUSTED_SERVICES = ["guardduty", "securityhub", "config", "access-analyzer", "cloudtrail"]


def client(service, endpoint, region, credentials=None):
    return boto3.client(service, endpoint_url=endpoint, region_name=region, **(credentials or CREDENTIALS))


def create(endpoint, region, names):
    organizations = client("organizations", endpoint, region)
    organization = organizations.create_organization(FeatureSet="ALL")["Organization"]
    root_id = organizations.list_roots()["Roots"][0]["Id"]
    for policy_type in ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]:
        try:
            organizations.enable_policy_type(RootId=root_id, PolicyType=policy_type)
        except organizations.exceptions.ClientError as error:
            # An emulator without the newer policy type: the rehearsal's guardrails use SCPs only by default.
            print(f"note: {policy_type} not enabled: {error}", file=sys.stderr)
    for service in TRUSTED_SERVICES:
        organizations.enable_aws_service_access(ServicePrincipal=f"{service}.amazonaws.com")
    accounts = {}
    for name in names:
        status = organizations.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
        accounts[name] = status["AccountId"]
    print(
        json.dumps(
            {
                "organizationId": organization["Id"],
                "rootId": root_id,
                "managementAccountId": organization["MasterAccountId"],
                "accounts": accounts,
            }
        )
    )


def designate_guardduty(endpoint, account_id, role_name, tags, regions):
    sts = client("sts", endpoint, regions[0])
    session = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/{role_name}", RoleSessionName="rehearsal")
    keys = session["Credentials"]
    credentials = {
        "aws_access_key_id": keys["AccessKeyId"],
        "aws_secret_access_key": keys["SecretAccessKey"],
        "aws_session_token": keys["SessionToken"],
    }
    detectors = {}
    for region in regions:
        guardduty = client("guardduty", endpoint, region, credentials)
        existing = guardduty.list_detectors()["DetectorIds"]
        detectors[region] = existing[0] if existing else guardduty.create_detector(Enable=True, Tags=tags)["DetectorId"]
    print(json.dumps(detectors))


def assumed_credentials(endpoint, region, account_id, role_name):
    sts = client("sts", endpoint, region)
    keys = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/{role_name}", RoleSessionName="rehearsal")["Credentials"]
    return {
        "aws_access_key_id": keys["AccessKeyId"],
        "aws_secret_access_key": keys["SecretAccessKey"],
        "aws_session_token": keys["SessionToken"],
    }


def create_bucket(endpoint, account_id, role_name, region, name):
    s3 = client("s3", endpoint, region, assumed_credentials(endpoint, region, account_id, role_name))
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=name, **location)
    print(json.dumps({"bucket": name, "account": account_id, "region": region}))


def main(argv):
    command, endpoint, rest = argv[1], argv[2], argv[3:]
    if command == "create":
        create(endpoint, rest[0], rest[1:])
    elif command == "designate-guardduty":
        designate_guardduty(endpoint, rest[0], rest[1], json.loads(rest[2]), rest[3:])
    elif command == "create-bucket":
        create_bucket(endpoint, *rest[:4])
    else:
        raise SystemExit(f"unknown command {command!r}; expected create, designate-guardduty or create-bucket")


if __name__ == "__main__":
    main(sys.argv)
