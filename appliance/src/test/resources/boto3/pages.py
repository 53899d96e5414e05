"""Follows the pages of Query and Scan calls with boto3 and prints every page of each.

stdin: a JSON list of reads, each {"key": ACCESS_KEY_ID, "secret": SECRET, "method": "query" or "scan",
"params": {...}}; argv[1]: the endpoint. For each read, one line: a JSON list of its pages, each
page as the client parsed it (without ResponseMetadata), following LastEvaluatedKey from the
first page to the last (at most 100 pages); or {"error": CODE, "message": ...} when a page failed.
No retries: one request per page.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main():
    endpoint = sys.argv[1]
    reads = json.load(sys.stdin)
    clients = {}
    for read in reads:
        key = (read["key"], read["secret"])
        if key not in clients:
            clients[key] = boto3.client(
                "dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                aws_access_key_id=read["key"], aws_secret_access_key=read["secret"],
                config=Config(retries={"max_attempts": 1, "mode": "standard"}))
        client = clients[key]
        params = dict(read["params"])
        pages = []
        try:
            while len(pages) < 100:
                page = getattr(client, read["method"])(**params)
                page.pop("ResponseMetadata", None)
                pages.append(page)
                if not page.get("LastEvaluatedKey"):
                    break
                params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
            print(json.dumps(pages, default=str))
        except ClientError as e:
            error = e.response.get("Error", {})
            print(json.dumps({"error": error.get("Code"), "message": error.get("Message")}, default=str))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
