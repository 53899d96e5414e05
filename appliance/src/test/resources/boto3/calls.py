"""Runs DynamoDB calls with boto3 against an endpoint and prints one JSON answer per call.

stdin: a JSON list of calls, each {"key": ACCESS_KEY_ID, "secret": SECRET, "method": "update_item", "params": {...}},
and optionally "pages": true for a query or scan to follow from its first page to its last;
argv[1]: the endpoint. Each answer is {"ok": true, "response": {...}}, or for a paged call
{"ok": true, "pages": [...]} (every page as the client parsed it, following LastEvaluatedKey,
at most 100), or {"ok": false, "code": ..., "message": ..., "item": ..., "reasons": [...]} (the
error's Item and CancellationReasons as the client parsed them; for a paged call, the first page
that failed). No retries: one request per call or page.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError


def main():
    endpoint = sys.argv[1]
    calls = json.load(sys.stdin)
    clients = {}
    for call in calls:
        key = (call["key"], call["secret"])
        if key not in clients:
            clients[key] = boto3.client(
                "dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                aws_access_key_id=call["key"], aws_secret_access_key=call["secret"],
                config=Config(retries={"max_attempts": 1, "mode": "standard"}))
        client = clients[key]
        try:
            if call.get("pages"):
                print(json.dumps({"ok": True, "pages": pages(client, call["method"], call["params"])}, default=str))
            else:
                response = getattr(client, call["method"])(**call["params"])
                response.pop("ResponseMetadata", None)
                print(json.dumps({"ok": True, "response": response}, default=str))
        except ClientError as e:
            error = e.response.get("Error", {})
            print(json.dumps({"ok": False, "code": error.get("Code"), "message": error.get("Message"),
                              "item": e.response.get("Item"), "reasons": e.response.get("CancellationReasons")},
                             default=str))
        except ParamValidationError as e:
            print(json.dumps({"ok": False, "code": "ParamValidationError", "message": str(e)}))
        sys.stdout.flush()


def pages(client, method, params):
    params = dict(params)
    out = []
    while len(out) < 100:
        page = getattr(client, method)(**params)
        page.pop("ResponseMetadata", None)
        out.append(page)
        if not page.get("LastEvaluatedKey"):
            break
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return out


if __name__ == "__main__":
    main()
