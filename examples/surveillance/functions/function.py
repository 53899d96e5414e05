#!/usr/bin/env python3
"""One enrichment or notification function of the surveillance example, as an HTTP endpoint.

weir calls it with a signed JSON payload: {"trigger", "eventId", "table", "records": [...]}, the
records being DynamoDB stream records cut through the trigger's role. The function checks the
signature (X-Weir-Signature: v1=HMAC-SHA256(secret, timestamp + "." + body)) and the timestamp,
acts at most once per record (its eventID, kept in a file, so a call weir repeats after a crash,
a lost answer or a timeout, whole or bisected into smaller batches, does not act twice), and
answers 200.

kinds:
  geo     writes geo metadata of each new image back through weir (as the geo worker)
  faces   writes the faces found in each image, and tags the image when a face is on the
          missing-persons list (as the faces worker)
  notify  appends one notification per tagged image to a file (the "notification goes out")
"""
import argparse
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MISSING = {"person-17", "person-42"}   # the missing-persons list of the scenario


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--kind", required=True, choices=["geo", "faces", "notify"])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--state", required=True, help="directory for the idempotency keys and outputs")
    p.add_argument("--weir", default="http://127.0.0.1:8000", help="weir's endpoint, for the writes back")
    p.add_argument("--access-key-id", default="")
    p.add_argument("--secret-access-key-env", default="FUNCTION_SECRET_ACCESS_KEY")
    p.add_argument("--signing-secret-env", default="WEIR_TRIGGER_SECRET")
    return p.parse_args()


ARGS = parse_args()
SIGNING_SECRET = os.environ[ARGS.signing_secret_env].encode()
LOCK = threading.Lock()
os.makedirs(ARGS.state, exist_ok=True)
DONE_FILE = os.path.join(ARGS.state, ARGS.kind + "-keys.txt")
ACTED_FILE = os.path.join(ARGS.state, ARGS.kind + "-acted.jsonl")
SEEN_FILE = os.path.join(ARGS.state, ARGS.kind + "-seen.jsonl")
CALLS_FILE = os.path.join(ARGS.state, ARGS.kind + "-calls.jsonl")


def done_keys():
    try:
        with open(DONE_FILE) as f:
            return set(line.strip() for line in f if line.strip())
    except FileNotFoundError:
        return set()


DONE = done_keys()


def remember(event_id):
    """Marks a record's work done, durably, before the call is answered."""
    DONE.add(event_id)
    with open(DONE_FILE, "a") as f:
        f.write(event_id + "\n")
        f.flush()
        os.fsync(f.fileno())
_client = None


def dynamodb():
    global _client
    if _client is None:
        import boto3
        _client = boto3.client("dynamodb", endpoint_url=ARGS.weir, region_name="us-east-1",
                               aws_access_key_id=ARGS.access_key_id,
                               aws_secret_access_key=os.environ[ARGS.secret_access_key_env])
    return _client


def append(path, obj):
    with open(path, "a") as f:
        f.write(json.dumps(obj, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())


def geo_of(uri):
    h = hashlib.sha256(uri.encode()).digest()
    return {"lat": {"N": "%.4f" % (52.0 + h[0] / 255.0)}, "lon": {"N": "%.4f" % (13.0 + h[1] / 255.0)}}


def faces_of(uri):
    # the "model": the image's name lists who is in it, e.g. cam3/2026-12-06/person-17+person-3.jpg
    name = uri.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return [f for f in name.split("+") if f.startswith("person-")]


def act(record):
    """Does the function's work for one record; returns what it did (for the acted log)."""
    image = record["dynamodb"].get("NewImage", {})
    key = record["dynamodb"]["Keys"]
    if ARGS.kind == "geo":
        dynamodb().update_item(TableName="images", Key=key, UpdateExpression="SET geo = :g",
                               ExpressionAttributeValues={":g": {"M": geo_of(image["image_uri"]["S"])}})
        return {"geo": key["id"]["S"]}
    if ARGS.kind == "faces":
        faces = faces_of(image["image_uri"]["S"])
        values = {":f": {"L": [{"S": f} for f in faces]}}
        update = "SET faces = :f"
        if MISSING.intersection(faces):
            update += ", missing_person = :t"
            values[":t"] = {"BOOL": True}
        dynamodb().update_item(TableName="images", Key=key, UpdateExpression=update, ExpressionAttributeValues=values)
        return {"faces": key["id"]["S"], "missing": sorted(MISSING.intersection(faces))}
    # notify: the notification that goes out once per tagged image
    return {"notify": key["id"]["S"], "camera": image.get("camera", {}).get("S")}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ts = self.headers.get("X-Weir-Timestamp", "")
        sig = self.headers.get("X-Weir-Signature", "")
        key = self.headers.get("X-Weir-Idempotency-Key", "")
        want = "v1=" + hmac.new(SIGNING_SECRET, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
        if not ts.isdigit() or abs(time.time() - int(ts)) > 300 or not hmac.compare_digest(sig, want) or not key:
            self.send_response(401)
            self.end_headers()
            return
        payload = json.loads(body)
        with LOCK:
            for r in payload["records"]:
                append(SEEN_FILE, {"key": key, "eventID": r["eventID"]})
            # Once per record: weir bisects a failed batch into new batches with new keys, so a
            # record's eventID, not the call's key, says whether its work is done.
            todo = [r for r in payload["records"] if r["eventID"] not in DONE]
            append(CALLS_FILE, {"key": key, "acted": bool(todo)})
            for r in todo:
                try:
                    did = act(r)
                except Exception as e:  # the write back failed: weir retries the call
                    print("function %s: %s" % (ARGS.kind, e), file=sys.stderr)
                    self.send_response(503)
                    self.end_headers()
                    return
                append(ACTED_FILE, {"key": key, "eventID": r["eventID"], "did": did})
                remember(r["eventID"])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok":true}')


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    print("function %s listening on 127.0.0.1:%d" % (ARGS.kind, ARGS.port), flush=True)
    server.serve_forever()
