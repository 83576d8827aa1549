#include "services/coaching/core/competency_library.h"

#include <cstdlib>
#include <functional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace cs::coaching {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

// A valid one-competency library to break field by field.
Json ValidDoc() {
  return Json::parse(R"({
    "schema_version": 1, "library_version": "test-1",
    "competencies": [{
      "id": "connecting", "name": "Connecting", "kind": "skill", "description": "Reach people.",
      "roles": ["sdr", "account_executive"], "lever": "connect",
      "drivers": [{"driver": "connect_rate", "better": "higher", "role": "outcome"},
                  {"driver": "talk_ratio", "better": "lower", "role": "behaviour"}],
      "target_driver": "connect_rate",
      "activities": ["Call at better hours"]
    }]
  })");
}

absl::Status ParseStatus(const Json& doc) { return CompetencyLibrary::Parse(doc.dump()).status(); }

TEST(CompetencyLibraryTest, DefaultLibraryCoversTheRequiredCompetencies) {
  absl::StatusOr<CompetencyLibrary> library = CompetencyLibrary::Default();
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_FALSE(library->version().empty());
  for (const char* id : {"prospecting_volume", "connecting", "discovery_qualification", "advancing_deals",
                         "closing", "negotiation", "pipeline_velocity", "listening_questioning"}) {
    EXPECT_NE(library->Find(id), nullptr) << id;
  }
  const Competency* volume = library->Find("prospecting_volume");
  EXPECT_EQ(volume->kind, CompetencyKind::kWill);
  EXPECT_TRUE(volume->AppliesTo(coachstream::v1::ROLE_SDR));
  const Competency* negotiation = library->Find("negotiation");
  EXPECT_NE(negotiation->FindDriver("avg_discount"), nullptr);
  EXPECT_NE(negotiation->FindDriver("avg_won_deal_size"), nullptr);
  EXPECT_FALSE(negotiation->AppliesTo(coachstream::v1::ROLE_SDR));
  EXPECT_TRUE(negotiation->AppliesTo(coachstream::v1::ROLE_UNSPECIFIED));
  const Competency* velocity = library->Find("pipeline_velocity");
  for (const char* d : {"median_cycle_days", "close_date_slips", "stalled_deals"}) {
    EXPECT_NE(velocity->FindDriver(d), nullptr) << d;
  }
  const Competency* listening = library->Find("listening_questioning");
  for (const char* d : {"talk_ratio", "question_rate", "longest_monologue"}) {
    EXPECT_NE(listening->FindDriver(d), nullptr) << d;
  }
  for (const Competency& c : library->competencies()) {
    EXPECT_FALSE(c.activities.empty()) << c.id;
    EXPECT_NE(c.FindDriver(c.target_driver), nullptr) << c.id;
  }
}

TEST(CompetencyLibraryTest, ParsesAValidDocument) {
  absl::StatusOr<CompetencyLibrary> library = CompetencyLibrary::Parse(ValidDoc().dump());
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_EQ(library->version(), "test-1");
  const Competency* c = library->Find("connecting");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->lever, Lever::kConnect);
  EXPECT_EQ(c->drivers[1].role, DriverRole::kBehaviour);
  EXPECT_EQ(c->drivers[1].better, Direction::kLowerIsBetter);
  EXPECT_EQ(library->Find("nope"), nullptr);
}

struct BadCase {
  const char* name;
  std::function<void(Json&)> mutate;
  const char* expected;  // a substring of the error, starting with the field
};

TEST(CompetencyLibraryTest, ValidationErrorsNameTheField) {
  const BadCase cases[] = {
      {"unknown driver", [](Json& d) { d["competencies"][0]["drivers"][0]["driver"] = "connect_rat"; },
       "competencies[0].drivers[0].driver: unknown driver \"connect_rat\""},
      {"bad direction", [](Json& d) { d["competencies"][0]["drivers"][0]["better"] = "more"; },
       "competencies[0].drivers[0].better: \"more\" is not"},
      {"contradicting direction", [](Json& d) { d["competencies"][0]["drivers"][1]["better"] = "higher"; },
       "competencies[0].drivers[1].better: contradicts driver \"talk_ratio\""},
      {"outcome off the model", [](Json& d) { d["competencies"][0]["drivers"][1]["role"] = "outcome"; },
       "competencies[0].drivers[1].role: driver \"talk_ratio\" is not part of the bookings model"},
      {"target not a driver", [](Json& d) { d["competencies"][0]["target_driver"] = "win_rate_count"; },
       "competencies[0].target_driver: \"win_rate_count\" is not one of"},
      {"unknown role", [](Json& d) { d["competencies"][0]["roles"][1] = "cro"; },
       "competencies[0].roles[1]: unknown role \"cro\""},
      {"unknown lever", [](Json& d) { d["competencies"][0]["lever"] = "luck"; },
       "competencies[0].lever: unknown lever \"luck\""},
      {"bad kind", [](Json& d) { d["competencies"][0]["kind"] = "talent"; }, "competencies[0].kind:"},
      {"missing name", [](Json& d) { d["competencies"][0].erase("name"); }, "competencies[0].name: required"},
      {"empty activities", [](Json& d) { d["competencies"][0]["activities"] = Json::array(); },
       "competencies[0].activities: must be a non-empty array"},
      {"bad id", [](Json& d) { d["competencies"][0]["id"] = "Connect Me"; },
       "competencies[0].id: must match"},
      {"typo key", [](Json& d) { d["competencies"][0]["activites"] = Json::array({"x"}); },
       "competencies[0].activites: unknown key"},
      {"duplicate driver",
       [](Json& d) { d["competencies"][0]["drivers"][1] = d["competencies"][0]["drivers"][0]; },
       "competencies[0].drivers[1].driver: \"connect_rate\" is listed twice"},
      {"duplicate id", [](Json& d) { d["competencies"].push_back(d["competencies"][0]); },
       "competencies[1].id: duplicate id \"connecting\""},
      {"schema version", [](Json& d) { d["schema_version"] = 2; }, "schema_version: must be 1"},
      {"no competencies", [](Json& d) { d["competencies"] = Json::array(); }, "competencies: must be"},
  };
  for (const BadCase& c : cases) {
    Json doc = ValidDoc();
    c.mutate(doc);
    const absl::Status s = ParseStatus(doc);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.expected)) << c.name;
  }
}

TEST(CompetencyLibraryTest, MalformedJsonIsAnErrorNotAnException) {
  const absl::Status s = CompetencyLibrary::Parse("{\"schema_version\": 1, ").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("competency library"));
  EXPECT_FALSE(CompetencyLibrary::Parse("[]").ok());
  EXPECT_FALSE(CompetencyLibrary::Parse("").ok());
}

TEST(CompetencyLibraryTest, ReadFileNamesThePath) {
  const absl::Status s = CompetencyLibrary::ReadFile("/nonexistent/competencies.json").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.message()), HasSubstr("/nonexistent/competencies.json"));
}

TEST(CompetencyLibraryTest, ShippedFileMatchesTheCompiledInDefault) {
  const char* source = std::getenv("CS_SOURCE_DIR");
  if (source == nullptr) GTEST_SKIP() << "CS_SOURCE_DIR not set";
  absl::StatusOr<CompetencyLibrary> file =
      CompetencyLibrary::ReadFile(std::string(source) + "/services/coaching/core/competencies.default.json");
  ASSERT_TRUE(file.ok()) << file.status();
  absl::StatusOr<CompetencyLibrary> compiled = CompetencyLibrary::Default();
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(file->version(), compiled->version());
  EXPECT_EQ(file->competencies().size(), compiled->competencies().size());
}

}  // namespace
}  // namespace cs::coaching
