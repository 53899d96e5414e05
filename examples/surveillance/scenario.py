#!/usr/bin/env python3
"""The surveillance scenario's clients: the admin makes the images table (with its change
stream), a camera ingests images, then the outcome is checked through weir:

- every image got its geo metadata and its faces, each from its own function, and each
  function's completion mark exactly once (the mark is the sequence number of the change it
  completed);
- every image with a face on the missing-persons list is tagged, and one notification went out
  for it, however often weir called the function;
- no function acted twice on one record (its eventID), however weir repeated or bisected calls;
- the analyst sees the images with only its fields (no image, no faces, no marks).

Prints a summary; exits 1 when a check fails.
"""
import argparse
import json
import os
import random
import sys
import time

import boto3

p = argparse.ArgumentParser()
p.add_argument("--weir", required=True)
p.add_argument("--state", required=True)
p.add_argument("--images", type=int, default=40)
p.add_argument("--timeout", type=float, default=120)
ARGS = p.parse_args()

KEYS = {
    "admin": ("AKIASURVADMIN0000001", "surv-admin-secret"),
    "camera": ("AKIASURVCAMERA000001", "surv-camera-secret"),
    "analyst": ("AKIASURVANALYST00001", "surv-analyst-secret"),
}
MISSING = {"person-17", "person-42"}


def client(who):
    key, secret = KEYS[who]
    return boto3.client("dynamodb", endpoint_url=ARGS.weir, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key=secret)


admin, camera, analyst = client("admin"), client("camera"), client("analyst")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL", what)


admin.create_table(TableName="images", BillingMode="PAY_PER_REQUEST",
                   AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                   KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                   StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})

rng = random.Random(20261206)
expected_missing = set()
t0 = time.time()
for i in range(ARGS.images):
    people = sorted({"person-%d" % rng.randint(1, 60) for _ in range(rng.randint(1, 3))})
    if i % 10 == 3:
        people.append(rng.choice(sorted(MISSING)))
    image_id = "img-%03d" % i
    if MISSING.intersection(people):
        expected_missing.add(image_id)
    camera.put_item(TableName="images", Item={
        "id": {"S": image_id}, "camera": {"S": "cam-%d" % (i % 4)},
        "taken_at": {"S": "2026-12-06T12:%02d:%02dZ" % (i // 60, i % 60)},
        "image_uri": {"S": "s3://frames/cam-%d/%s.jpg" % (i % 4, "+".join(people))}})
print("ingested %d images (%d with a missing person) in %.1f s" % (ARGS.images, len(expected_missing), time.time() - t0))


def scan(c, **kw):
    items, start = [], None
    while True:
        page = c.scan(TableName="images", **({"ExclusiveStartKey": start} if start else {}), **kw)
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def lines(name):
    try:
        with open(os.path.join(ARGS.state, name)) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


deadline = time.time() + ARGS.timeout
while True:
    items = scan(admin)
    complete = [i for i in items if "geo_done" in i and "faces_done" in i and "geo" in i and "faces" in i]
    notified = {i["id"]["S"] for i in items if "notified" in i}
    if len(complete) == ARGS.images and notified >= expected_missing:
        break
    if time.time() > deadline:
        break
    time.sleep(0.5)
elapsed = time.time() - t0
print("enriched %d of %d images, notified %d of %d, after %.1f s" % (len(complete), ARGS.images, len(notified),
                                                                   len(expected_missing), elapsed))
check(len(complete) == ARGS.images, "every image has geo, faces and both completion marks")
check(notified == expected_missing, "exactly the images with a missing person are notified: %s vs %s"
      % (sorted(notified), sorted(expected_missing)))
for i in items:
    tagged = i.get("missing_person", {}).get("BOOL", False)
    check(tagged == (i["id"]["S"] in expected_missing), "the tag of %s" % i["id"]["S"])

for kind in ("geo", "faces", "notify"):
    acted = lines(kind + "-acted.jsonl")
    seen_events = {s["eventID"] for s in lines(kind + "-seen.jsonl")}
    acted_events = [a["eventID"] for a in acted]
    check(len(acted_events) == len(set(acted_events)), "%s acted once per event" % kind)
    check(set(acted_events) == seen_events, "%s acted on every event it was given" % kind)
notifications = lines("notify-acted.jsonl")
by_image = {}
for n in notifications:
    by_image[n["did"]["notify"]] = by_image.get(n["did"]["notify"], 0) + 1
check(by_image == {i: 1 for i in expected_missing}, "one notification per tagged image: %s" % by_image)

seen = scan(analyst)
fields = set()
for i in seen:
    fields |= set(i)
check(len(seen) == ARGS.images, "the analyst sees every image")
check(fields <= {"id", "camera", "taken_at", "geo", "missing_person"}, "the analyst sees only its fields: %s" % sorted(fields))

for k in ("geo", "faces", "notify"):
    calls = lines(k + "-calls.jsonl")
    print("%s: %d calls (%d repeated keys answered without acting), %d records acted on"
          % (k, len(calls), sum(1 for c in calls if not c["acted"]), len(lines(k + "-acted.jsonl"))))
print("analyst fields: %s" % sorted(fields))
if failures:
    print("%d checks failed" % len(failures))
    sys.exit(1)
print("surveillance scenario: all checks passed")
