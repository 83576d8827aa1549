#pragma once

// CoachingCore: the CoachingService RPCs (except alerts) as plain calls over
// the ports, for the gRPC adapter to wrap one to one.
//
// Status contract (the adapter maps codes one to one, libs/grpc/status.h):
//   INVALID_ARGUMENT     a missing or malformed field; the message starts
//                        with the field ("month: ...", "session.deal_id: ...")
//   NOT_FOUND            an unknown rep or manager (from the metrics
//                        service), no plan, no such objective or session
//   FAILED_PRECONDITION  e.g. accepting a recommendation when there is none
//   UNAVAILABLE, ...     a port failed (the message names the call)
//   DATA_LOSS            stored state that does not parse
//
// One skill at a time: once a month's focus is accepted (AcceptFocusSkill or
// CreatePlan), RecommendFocusSkill answers ACCEPTED with it until the month
// ends or its objective is met (then the next skill is recommended and the
// met one is not offered again that month). Unaccepted recommendations are
// remembered per rep-month for hysteresis, so recomputing does not
// flip-flop on noise.
//
// Thread-safe: the RPC methods may run concurrently (read-modify-write of
// the store is serialised inside) provided the ports are thread-safe.

#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "coachstream/v1/coaching_service.pb.h"
#include "coachstream/v1/event.pb.h"
#include "libs/base/clock.h"
#include "services/coaching/core/competency_library.h"
#include "services/coaching/core/metrics_fetch.h"
#include "services/coaching/core/options.h"
#include "services/coaching/core/ports.h"
#include "services/coaching/core/recommender.h"
#include "services/coaching/core/records.h"

namespace cs::coaching {

// What LogSession hands back: the response, and the event the adapter must
// publish to coaching.events.v1 under `event_key` ("tenant/rep_id") before
// answering. The session is already stored; a retry of the same request
// returns the same session and an event with the same event_id.
struct LoggedSession {
  coachstream::v1::LogSessionResponse response;
  coachstream::v1::Event event;
  std::string event_key;
};

class CoachingCore {
 public:
  // The ports and clock must outlive the core. INVALID_ARGUMENT naming the
  // option for bad options.
  static absl::StatusOr<std::unique_ptr<CoachingCore>> Create(CoachingCoreOptions options,
                                                              CompetencyLibrary library,
                                                              MetricsSource& metrics, CoachingStore& store,
                                                              const Clock& clock);

  // The month's focus: ACCEPTED (the accepted one, with fresh evidence),
  // RECOMMENDED (the largest gain, see recommender.h) or INSUFFICIENT_DATA
  // (with missing_data). Writes the hysteresis memo and a met objective.
  absl::StatusOr<coachstream::v1::RecommendFocusSkillResponse> RecommendFocusSkill(
      const coachstream::v1::RecommendFocusSkillRequest& request);
  // Accepts `competency_id`, or the current recommendation when empty
  // (FAILED_PRECONDITION when there is none). Idempotent. FAILED_PRECONDITION
  // when the month's plan is for another competency.
  absl::StatusOr<coachstream::v1::AcceptFocusSkillResponse> AcceptFocusSkill(
      const coachstream::v1::AcceptFocusSkillRequest& request);

  // Creates or replaces the rep's plan for the month, and accepts its
  // competency as the month's focus. Objective progress is computed.
  absl::StatusOr<coachstream::v1::CoachingPlan> CreatePlan(const coachstream::v1::CreatePlanRequest& request);
  absl::StatusOr<coachstream::v1::CoachingPlan> GetPlan(const coachstream::v1::GetPlanRequest& request);
  // Recomputes one objective's progress and records when it was reviewed.
  absl::StatusOr<coachstream::v1::Objective> ReviewObjective(
      const coachstream::v1::ReviewObjectiveRequest& request);

  absl::StatusOr<LoggedSession> LogSession(const coachstream::v1::LogSessionRequest& request);
  // Sessions whose occurred_at falls in the month (tenant zone), oldest
  // first; withdrawn sessions are left out.
  absl::StatusOr<coachstream::v1::ListSessionsResponse> ListSessions(
      const coachstream::v1::ListSessionsRequest& request);

  absl::StatusOr<coachstream::v1::GetTeamBoardResponse> GetTeamBoard(
      const coachstream::v1::GetTeamBoardRequest& request);
  absl::StatusOr<coachstream::v1::GetCoachingImpactResponse> GetCoachingImpact(
      const coachstream::v1::GetCoachingImpactRequest& request);

  const CompetencyLibrary& library() const { return library_; }
  const CoachingCoreOptions& options() const { return options_; }

 private:
  // A rep's data for one month's decision.
  struct RepContext {
    std::string tenant, rep;
    Period month;
    WindowSpec spec;
    WindowData data;
    DriverWindow window;
    FunnelModel model;
    coachstream::v1::Role role = coachstream::v1::ROLE_UNSPECIFIED;
    std::string name;
  };
  struct FocusState {
    std::optional<FocusRecord> focus;
    std::optional<RecommendationMemo> memo;
    std::optional<coachstream::v1::CoachingPlan> plan;
  };

  CoachingCore(CoachingCoreOptions options, CompetencyLibrary library, MetricsSource& metrics,
               CoachingStore& store, const Clock& clock);

  absl::TimeZone Zone(std::string_view tenant) const;
  absl::Status CheckMonthNotTooFar(std::string_view field, const Period& month,
                                   std::string_view tenant) const;
  RepContext MakeContext(std::string tenant, std::string rep, const Period& month, WindowSpec spec,
                         WindowData data) const;
  absl::StatusOr<RepContext> LoadRep(const std::string& tenant, const std::string& rep, const Period& month);
  absl::StatusOr<FocusState> LoadFocusState(const std::string& tenant, const std::string& rep,
                                            const std::string& month) const;
  RecommendInput MakeInput(const RepContext& ctx, const FocusState& state) const;

  // Recommendation responses (focus_response.cc).
  coachstream::v1::RecommendFocusSkillResponse BuildResponse(const RepContext& ctx, const Recommendation& r,
                                                             const std::string& note) const;
  coachstream::v1::RecommendFocusSkillResponse BuildAccepted(const RepContext& ctx, const FocusRecord& focus,
                                                             const Recommendation& r) const;
  coachstream::v1::SkillCandidate ToProto(const RepContext& ctx, const Candidate& c) const;
  std::string BriefRationale(const RepContext& ctx, const Candidate& c) const;

  // Plans, objectives and the stored focus (plan_service.cc, coaching_core.cc).
  absl::Status FillProgress(const std::string& tenant, const std::string& rep, PeriodDriversCache& cache,
                            coachstream::v1::Objective* objective) const;
  absl::StatusOr<bool> FocusObjectiveMet(const RepContext& ctx, const FocusState& state,
                                         PeriodDriversCache& cache) const;
  absl::StatusOr<std::optional<coachstream::v1::CoachingPlan>> LoadPlan(const std::string& tenant,
                                                                        const std::string& rep,
                                                                        const std::string& month) const;
  absl::Status MarkObjectiveMet(const RepContext& ctx);
  // Stores an accepted focus (or keeps the identical one already stored).
  absl::Status SaveAcceptedFocus(const RepContext& ctx, FocusRecord* record);
  absl::Status SavePlan(const Competency& competency, coachstream::v1::CoachingPlan* plan);
  // Stores the new leader of an unaccepted recommendation (hysteresis).
  absl::Status RememberRecommendation(const RepContext& ctx, const Recommendation& r,
                                      const std::optional<RecommendationMemo>& memo);

  // Team board rows (board_service.cc).
  absl::Status FillBoardFocus(const RepContext& ctx, PeriodDriversCache& cache,
                              coachstream::v1::BoardRow* row) const;
  absl::Status FillBoardDeals(const RepContext& ctx, coachstream::v1::BoardRow* row) const;

  const CoachingCoreOptions options_;
  const CompetencyLibrary library_;
  MetricsSource& metrics_;
  CoachingStore& store_;
  const Clock& clock_;
  absl::flat_hash_map<std::string, absl::TimeZone> tenant_zones_;
  absl::TimeZone default_zone_;
  // Serialises read-modify-write sequences on the store.
  absl::Mutex write_mu_;
};

}  // namespace cs::coaching
