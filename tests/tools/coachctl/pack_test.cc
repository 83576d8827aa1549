// The 1:1 pack renderer: the key numbers are on the page, every piece of
// text is escaped, nothing is loaded from outside, and empty data renders
// a page that says what is missing.

#include <gtest/gtest.h>

#include "tests/tools/coachctl/pack_fixture.h"
#include "tools/coachctl/pack.h"

namespace cs::coachctl {
namespace {

namespace v1 = coachstream::v1;

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

TEST(PackTest, ShowsTheKeyNumbers) {
  const std::string html = RenderPack(testing::DanaPack());
  for (const char* text : {
           "Dana Reyes", "2024-06", "account executive", "enterprise", "b player",  // header
           "42%", "$42,000", "$100,000", "Connecting",                              // KPIs
           "$23,400 a month", "(+23 points of attainment)", "diagnosis layer",      // focus
           "18% vs 31%",                                                            // chart label
           "412",                                                                   // sample size
           "21%", "16%", "peers 31%", "goal 27%",                                   // trend
           "$58,000", "$174,000", "$235,000", "4.1x",                               // gap to goal
           "off track", "Find a direct dial",                              // plan
           "Globex renewal", "stalled 21 days",                                     // micro-coaching
           "What help do you need from me?", "Closing ($9,000)"}) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
  }
}

TEST(PackTest, IsSelfContained) {
  const std::string html = RenderPack(testing::DanaPack());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  for (const char* banned : {"<script", "src=", "href=", "url(", "@import", "<link", "<img", "https:"}) {
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  }
  // The only URL is the SVG namespace, which is never fetched.
  EXPECT_EQ(Count(html, "http://"), Count(html, "http://www.w3.org/2000/svg"));
  EXPECT_GE(Count(html, "<svg"), 3u);  // comparison, trend, progress
  EXPECT_EQ(Count(html, "<svg"), Count(html, "</svg>"));
  EXPECT_EQ(Count(html, "<section"), Count(html, "</section>"));
  EXPECT_EQ(Count(html, "<table"), Count(html, "</table>"));
}

TEST(PackTest, EscapesEveryText) {
  PackData d = testing::DanaPack();
  const std::string evil = "<script>alert(\"x\")</script>&'";
  d.tenant = evil;
  d.rep.set_display_name(evil);
  d.rep.set_segment(evil);
  d.recommendation.set_rationale(evil);
  d.recommendation.set_diagnosis_layer(evil);
  d.recommendation.mutable_focus()->set_competency_name(evil);
  d.recommendation.add_agenda(evil);
  d.recommendation.add_missing_data(evil);
  d.plan->add_activities(evil);
  d.plan->set_competency_id(evil);
  d.board_row->mutable_micro_coaching(0)->set_deal_name(evil);
  d.board_row->mutable_micro_coaching(0)->set_reason(evil);
  d.history[0].set_period(evil);
  const std::string html = RenderPack(d);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("alert(\"x\")"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"), std::string::npos);
  EXPECT_GE(Count(html, "&lt;script&gt;"), 10u);
}

TEST(PackTest, EmptyDataSaysWhatIsMissing) {
  PackData d;
  d.month = "2024-06";
  d.rep.set_rep_id("p_new");
  const std::string html = RenderPack(d);
  for (const char* text : {"p_new", "No recommendation available.", "No driver data for this month yet.",
                           "No focus driver yet.", "No quota known for this month.", "No plan yet for 2024-06",
                           "coachctl plan create p_new", "No open deal needs attention right now.",
                           "No agenda"}) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
  }
  EXPECT_EQ(Count(html, "<section"), Count(html, "</section>"));
}

TEST(PackTest, InsufficientDataListsWhatIsMissing) {
  PackData d = testing::DanaPack();
  d.recommendation.Clear();
  d.recommendation.set_status(v1::RECOMMENDATION_STATUS_INSUFFICIENT_DATA);
  d.recommendation.add_missing_data("calls: 7 of the 20 needed");
  d.history.clear();
  const std::string html = RenderPack(d);
  EXPECT_NE(html.find("insufficient data"), std::string::npos);
  EXPECT_NE(html.find("calls: 7 of the 20 needed"), std::string::npos);
  EXPECT_NE(html.find("No history for this driver yet."), std::string::npos);
}

TEST(PackTest, HistoryWithGapsAndNoBenchmarkStillRenders) {
  PackData d = testing::DanaPack();
  d.history[2].mutable_value()->set_denominator(0);
  d.history[2].mutable_value()->set_sample_size(0);
  d.benchmarks.clear();
  const std::string html = RenderPack(d);
  EXPECT_NE(html.find("no data"), std::string::npos);
  EXPECT_NE(html.find("no peer benchmark"), std::string::npos);
  EXPECT_NE(html.find("peers 31%"), std::string::npos) << "falls back to the evidence's benchmark";
}

TEST(PackTest, CandidatesFromOpenDealsWithoutABoard) {
  PackData d = testing::DanaPack();
  d.board_row.reset();
  const absl::Time now = d.generated_at;
  v1::OpenDeal quiet, slipping, fine;
  quiet.set_deal_id("d1");
  quiet.set_name("Initech expansion");
  quiet.mutable_last_activity_at()->set_seconds(absl::ToUnixSeconds(now - absl::Hours(24 * 28)));
  slipping.set_deal_id("d2");
  slipping.set_name("Umbrella pilot");
  slipping.set_close_date_slips(3);
  slipping.mutable_last_activity_at()->set_seconds(absl::ToUnixSeconds(now - absl::Hours(24)));
  fine.set_deal_id("d3");
  fine.set_name("Hooli");
  fine.mutable_last_activity_at()->set_seconds(absl::ToUnixSeconds(now - absl::Hours(48)));
  d.open_deals = {quiet, slipping, fine};
  auto candidates = CandidatesFromDeals(d.open_deals, now, 5);
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(candidates[0].deal_id(), "d2");  // 3 slips = 6 > 28 days = 4
  EXPECT_EQ(candidates[0].reason(), "close date slipped 3 times");
  EXPECT_EQ(candidates[1].reason(), "no activity for 28 days");
  const std::string html = RenderPack(d);
  EXPECT_NE(html.find("Umbrella pilot"), std::string::npos);
  EXPECT_EQ(html.find("Hooli"), std::string::npos);
  // Gap to goal from the drivers: $100,000 - $42,000 = $58,000; needed at a 33% win rate: $174,000.
  EXPECT_NE(html.find("$58,000"), std::string::npos);
  EXPECT_NE(html.find("$174,000"), std::string::npos);
}

TEST(PackTest, GapFromDrivers) {
  auto gap = GapFromDrivers(testing::DanaPack().rep);
  EXPECT_DOUBLE_EQ(gap.remaining_quota_minor(), 5'800'000);
  EXPECT_DOUBLE_EQ(gap.open_pipeline_minor(), 23'500'000);
  EXPECT_NEAR(gap.pipeline_needed_minor(), 17'400'000, 1);
  EXPECT_NEAR(gap.coverage(), 4.05, 0.01);
}

}  // namespace
}  // namespace cs::coachctl
