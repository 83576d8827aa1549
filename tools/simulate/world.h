#pragma once

// The simulated activity, vendor-neutral: what happened, when, to whom. The
// encoders turn it into vendor payloads; nothing here knows a JSON shape.
// Indices (rep, account, deal, meeting) point into Org::people and the
// vectors of World.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tools/simulate/org_model.h"

namespace cs::simulate {

struct Contact {
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string title;
};

struct Account {
  std::string name;
  std::string domain;         // the customer's e-mail domain
  std::string sf_account_id;  // 001...
  std::vector<Contact> contacts;
};

// An outbound dial logged by the team's dialer (Salesloft or Outreach).
enum class Disposition { kNoAnswer, kVoicemail, kBusy, kWrongNumber, kConnected, kMeetingBooked };

struct Dial {
  int64_t call_id = 0;
  int rep = -1;
  absl::Time dialed_at;
  int ring_s = 0;   // until answered or given up
  int talk_s = 0;   // 0 unless connected
  Disposition disposition = Disposition::kNoAnswer;
};

// Canonical deal stages the vendor labels map onto (ingest stage_map.cc).
enum class Stage { kQualification, kDiscovery, kProposal, kNegotiation, kClosedWon, kClosedLost };

enum class DealStepKind {
  kCreate,     // the opportunity/deal appears with all its fields
  kStage,      // stage move (open stages)
  kCloseDate,  // close date pushed out (a slip)
  kAmount,     // amount re-estimated
  kLineItem,   // Salesforce: a product line item is added (discount 0)
  kDiscount,   // discount granted: amount and line-item discount change together
  kClose,      // closed won or lost (stage, flags, final amount and close date)
  kGap,        // Salesforce GAP_UPDATE (a nasty: no fields)
};

// One change of a deal; the fields hold the deal's state AFTER the change.
struct DealStep {
  absl::Time at;
  DealStepKind kind = DealStepKind::kStage;
  Stage stage = Stage::kQualification;
  int64_t amount_usd = 0;
  absl::CivilDay close_date;
  int discount_bps = 0;
  bool amount_changed = false;      // kClose/kDiscount: amount differs from before
  bool close_date_changed = false;  // kClose: close date moved to the close day
  // Nasty: delivered after the following step (an out-of-order older update).
  bool deliver_late = false;
};

struct Deal {
  std::string id;             // Salesforce 006... or HubSpot numeric deal id
  std::string line_item_id;   // Salesforce 00k... (empty for HubSpot)
  CrmSystem crm = CrmSystem::kSalesforce;
  int owner = -1;
  int account = -1;
  std::string name;
  absl::Time created_at;
  std::vector<DealStep> steps;  // in time order; steps[0] is kCreate
};

enum class MeetingKind { kCustomer, kOneOnOne, kInternal };

struct Meeting {
  std::string id;              // vendor event id
  std::string series_id;       // recurring series (empty if single)
  CalendarSystem system = CalendarSystem::kGoogle;
  MeetingKind kind = MeetingKind::kCustomer;
  int organizer = -1;
  std::vector<int> internal;   // people invited, organizer first
  int account = -1;            // customer meetings: contacts come from here
  std::vector<int> contacts;   // indices into the account's contacts
  int deal = -1;
  std::string title;
  absl::Time created_at;        // vendor "created" (of the series, for instances)
  absl::Time synced_at;         // first delivery by the connector (>= created_at)
  absl::Time start;
  absl::Time end;
  // A later change: cancelled by the organizer, or declined by one invitee.
  bool cancelled = false;
  int declined_by = -1;
  absl::Time changed_at;
  bool micro_coaching = false;  // 1:1 about one deal (<= 30 min)
};

// A call analysed by Gong (a recorded customer meeting).
struct Conversation {
  std::string call_id;
  int meeting = -1;
  int rep = -1;
  absl::Time started;
  int duration_s = 0;
  double talk_ratio = 0;
  int longest_monologue_s = 0;
  int longest_customer_story_s = 0;
  double question_rate_per_hour = 0;
  double interactivity = 0;
  double patience_s = 0;
  int action_items = 0;
  absl::Time analysed_at;  // when Gong makes it available (emission time)
};

struct World {
  std::vector<Account> accounts;
  std::vector<Deal> deals;
  std::vector<Dial> dials;
  std::vector<Meeting> meetings;
  std::vector<Conversation> conversations;
};

}  // namespace cs::simulate
