#include "core/class_scale.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(ClassScale, RejectsUnorderedOrIncompleteScales) {
  EXPECT_FALSE(ClassScale::Create({}).ok());
  EXPECT_FALSE(ClassScale::Create({{"HIGH", 7.0}, {"CRITICAL", 9.0}, {"LOW", 0.0}}).ok());
  EXPECT_FALSE(ClassScale::Create({{"HIGH", 7.0}, {"LOW", 0.1}}).ok());
  EXPECT_FALSE(ClassScale::Create({{"", 0.0}}).ok());
}

TEST(ClassScale, DefaultFollowsCvssQualitativeScale) {
  ClassScale s = ClassScale::Default();
  EXPECT_EQ(s.ForScore(10.0), "CRITICAL");
  EXPECT_EQ(s.ForScore(9.0), "CRITICAL");
  EXPECT_EQ(s.ForScore(8.9), "HIGH");
  EXPECT_EQ(s.ForScore(7.0), "HIGH");
  EXPECT_EQ(s.ForScore(6.9), "MEDIUM");
  EXPECT_EQ(s.ForScore(4.0), "MEDIUM");
  EXPECT_EQ(s.ForScore(0.1), "LOW");
  EXPECT_EQ(s.ForScore(0.0), "INFORMATIVE");
}

TEST(ClassScale, ScannerSeverityMapsThroughScores) {
  ClassScale s = ClassScale::Default();
  EXPECT_EQ(s.ForScannerSeverity(4), "CRITICAL");
  EXPECT_EQ(s.ForScannerSeverity(3), "HIGH");
  EXPECT_EQ(s.ForScannerSeverity(2), "MEDIUM");
  EXPECT_EQ(s.ForScannerSeverity(1), "LOW");
  EXPECT_EQ(s.ForScannerSeverity(0), "INFORMATIVE");
}

TEST(ClassScale, FewerRenamedClasses) {
  auto s = ClassScale::Create({{"URGENT", 7.0}, {"NORMAL", 0.0}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->ForScannerSeverity(4), "URGENT");
  EXPECT_EQ(s->ForScannerSeverity(2), "NORMAL");
  EXPECT_EQ(*s->Rank("NORMAL"), 1);
  EXPECT_FALSE(s->Contains("HIGH"));
}

}  // namespace
}  // namespace vigil
