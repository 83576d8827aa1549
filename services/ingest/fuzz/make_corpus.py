#!/usr/bin/env python3
"""Writes seed corpora for the ingest fuzz targets from the vendor fixtures.

usage: make_corpus.py OUT_DIR [FIXTURES_DIR]
OUT_DIR/<family>/<n> = one byte selecting the ce_type (index into the
family's types, in SupportedTypes() order) followed by a fixture payload.
"""
import json
import os
import sys

out = sys.argv[1]
fixtures = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "../../../tests/fixtures/vendor")


def load(name):
    with open(os.path.join(fixtures, name)) as f:
        return json.load(f)


sf = load("salesforce_opportunity_cdc.json")
act = load("salesforce_task_event_activities.json")
gcal = load("google_calendar_event.json")
graph = load("msgraph_event.json")
hr = {"person_id": "p_1", "emails": ["a@ourco.com"], "system_ids": {"salesforce": "005"},
      "role": "sdr", "quotas": [{"period": "2024-Q3", "amount": "1.5", "currency": "USD"}],
      "time_zone": "UTC", "start_date": "2024-01-02", "updated_at": "2024-06-01T00:00:00Z"}
seeds = {
    # index = position of the ce_type among the family's types
    "salesforce": [(0, sf[k]) for k in ("cometd_create", "cometd_update_stage_closed_won",
                                        "cometd_gap_event")]
    + [(0, sf["pubsub_decoded_update_stage_closed_won"]["decoded_payload"]),
       (1, sf["cometd_opportunity_line_item_update_discount"]),
       (2, act["cometd_task_change_event_create"]), (3, act["task_call"]),
       (4, act["event_meeting"])],
    "hubspot": [(0, load("hubspot_deal_webhook.json")),
                (0, load("hubspot_generic_object_webhook.json")),
                (1, load("hubspot_crm_objects.json")["deal"]),
                (2, load("hubspot_crm_objects.json")["call"])],
    "gong": [(0, load("gong_calls_extensive.json")), (1, load("gong_calls_basic.json")),
             (2, load("gong_automation_rule_webhook.json"))],
    "dialers": [(0, load("salesloft_call_webhook.json")["body"]),
                (1, load("outreach_call_webhook.json")["body"])],
    "google": [(0, gcal[k]) for k in ("event_single", "event_recurring_instance",
                                      "events_list_incremental_response")],
    "microsoft": [(0, graph["event"]), (0, graph["delta_page_with_removed"])],
    "hr": [(0, hr), (0, {"people": [hr]})],
}
for family, items in seeds.items():
    os.makedirs(os.path.join(out, family), exist_ok=True)
    for n, (index, doc) in enumerate(items):
        with open(os.path.join(out, family, str(n)), "wb") as f:
            f.write(bytes([index]) + json.dumps(doc).encode())
env_dir = os.path.join(out, "envelope")
os.makedirs(env_dir, exist_ok=True)
structured = {"specversion": "1.0", "type": "com.salesforce.cdc.OpportunityChangeEvent",
              "id": "x", "source": "/s", "tenantid": "t_1", "data": sf["cometd_create"]}
with open(os.path.join(env_dir, "0"), "wb") as f:
    f.write(b"\x00content-type: application/cloudevents+json\n\n" + json.dumps(structured).encode())
with open(os.path.join(env_dir, "1"), "wb") as f:
    f.write(b"\x00ce_tenantid: t_1\nce_time: 2024-06-03T17:42:18Z\n\n"
            + json.dumps(sf["cometd_create"]).encode())
