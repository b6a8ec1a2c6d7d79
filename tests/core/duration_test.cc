#include "core/duration.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

using std::chrono::seconds;

TEST(Duration, RejectsWhatIsNotADuration) {
  for (const char* bad :
       {"", "7", "d", "7x", "1.5d", "-1d", "7d ", "3mo", "1y", "99999999999999w"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

TEST(Duration, ParsesUnitsAndSums) {
  EXPECT_EQ(*ParseDuration("90s"), seconds(90));
  EXPECT_EQ(*ParseDuration("15m"), seconds(900));
  EXPECT_EQ(*ParseDuration("24h"), seconds(86400));
  EXPECT_EQ(*ParseDuration("7d"), seconds(7 * 86400));
  EXPECT_EQ(*ParseDuration("2w"), seconds(14 * 86400));
  EXPECT_EQ(*ParseDuration("1d12h"), seconds(36 * 3600));
  EXPECT_EQ(*ParseDuration("0s"), seconds(0));
}

TEST(Duration, FormatsShortestExactForm) {
  EXPECT_EQ(FormatDuration(seconds(0)), "0s");
  EXPECT_EQ(FormatDuration(seconds(90)), "1m30s");
  EXPECT_EQ(FormatDuration(seconds(36 * 3600)), "1d12h");
  EXPECT_EQ(FormatDuration(seconds(90 * 86400)), "90d");
  EXPECT_EQ(FormatDuration(seconds(14 * 86400)), "2w");
  EXPECT_EQ(*ParseDuration(FormatDuration(seconds(123457))), seconds(123457));
}

}  // namespace
}  // namespace vigil
