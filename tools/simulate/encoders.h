#pragma once

// Vendor encoders: simulated activity -> the exact payloads, ce_type values
// and CloudEvents attributes the ingest parsers accept
// (services/ingest/core/payload_parser.cc routing table). One .cc per vendor
// family. All are pure functions of their inputs.

#include <cstdint>

#include "absl/time/time.h"
#include "tools/simulate/encode_common.h"

namespace cs::simulate {

// encode_hr.cc: io.coachstream.hr.person, one record per person.
SimRecord EncodePerson(const EncodeContext& ctx, int person, absl::Time updated_at);

// encode_salesforce.cc: OpportunityChangeEvent (CometD JSON) for deal step
// `step` (CREATE, UPDATE with only the changed fields, or GAP_UPDATE), and
// OpportunityLineItemChangeEvent for kLineItem (CREATE) / kDiscount (UPDATE).
SimRecord EncodeSfOpportunity(const EncodeContext& ctx, int deal, int step);
SimRecord EncodeSfLineItem(const EncodeContext& ctx, int deal, int step);

// encode_hubspot.cc: a Webhooks API batch (com.hubspot.webhook.batch) with one
// deal.* event per changed property. `attempt` > 0 marks a redelivery.
SimRecord EncodeHubspotBatch(const EncodeContext& ctx, int deal, int step, int attempt);

// encode_gong.cc: one /v2/calls/extensive record (io.gong.calls.extensive):
// metadata, parties, CRM context and interaction stats only.
SimRecord EncodeGongCall(const EncodeContext& ctx, int conversation);

// encode_dialers.cc: a Salesloft call_created or Outreach call.created
// webhook body, by the rep's team dialer.
SimRecord EncodeDial(const EncodeContext& ctx, int dial);

// encode_calendar.cc: the Google Calendar Event resource or Microsoft Graph
// event of meeting `meeting`; version 0 as first synced, version 1 after its
// change (cancelled, or declined by one invitee).
SimRecord EncodeMeeting(const EncodeContext& ctx, int meeting, int version);

}  // namespace cs::simulate
