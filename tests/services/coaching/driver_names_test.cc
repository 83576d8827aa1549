// The coaching core's driver catalog must use the metrics service's names
// and units (services/metrics/core/drivers.cc is the source of truth).

#include "gtest/gtest.h"
#include "services/coaching/core/driver_catalog.h"
#include "services/metrics/core/drivers.h"

namespace cs::coaching {
namespace {

TEST(DriverNamesTest, EveryPublishedDriverMatchesTheMetricsService) {
  for (const DriverInfo& info : AllDrivers()) {
    if (info.derived()) {
      EXPECT_EQ(metrics::FindDriver(info.name), nullptr) << info.name << " is published now: use it";
      EXPECT_NE(metrics::FindDriver(info.numerator_driver), nullptr) << info.numerator_driver;
      EXPECT_NE(metrics::FindDriver(info.denominator_driver), nullptr) << info.denominator_driver;
      continue;
    }
    const metrics::DriverSpec* spec = metrics::FindDriver(info.name);
    ASSERT_NE(spec, nullptr) << "metrics service has no driver " << info.name;
    EXPECT_EQ(spec->unit, info.unit) << info.name;
  }
}

}  // namespace
}  // namespace cs::coaching
