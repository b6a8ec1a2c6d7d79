#include "engine/classifier.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(Classifier, NoRatingIsUnclassified) {
  Classification c = Classify(VulnerabilityDef{}, ClassScale::Default());
  EXPECT_EQ(c.class_name, "unclassified");
  EXPECT_EQ(c.source, "none");
}

TEST(Classifier, PrefersScannerCvss3OverSeverity) {
  VulnerabilityDef d{.scanner_severity = 2, .cvss2_score = 10.0, .cvss3_score = 9.8};
  Classification c = Classify(d, ClassScale::Default());
  EXPECT_EQ(c.class_name, "CRITICAL");
  EXPECT_EQ(c.source, "auto:scanner-cvss-v3");
}

TEST(Classifier, FallsBackToV4ThenV2ThenSeverity) {
  ClassScale s = ClassScale::Default();
  EXPECT_EQ(Classify({.scanner_severity = 1, .cvss2_score = 5.0, .cvss4_score = 7.1}, s).source,
            "auto:scanner-cvss-v4");
  EXPECT_EQ(Classify({.scanner_severity = 1, .cvss2_score = 5.0}, s).class_name, "MEDIUM");
  Classification c = Classify({.scanner_severity = 3}, s);
  EXPECT_EQ(c.class_name, "HIGH");
  EXPECT_EQ(c.source, "auto:scanner-severity");
  EXPECT_EQ(Classify({.scanner_severity = 0}, s).class_name, "INFORMATIVE");
}

TEST(Classifier, ManualSourcesAreRecognised) {
  EXPECT_TRUE(IsManualClassification("manual"));
  EXPECT_FALSE(IsManualClassification("auto:scanner-severity"));
  EXPECT_FALSE(IsManualClassification("none"));
}

}  // namespace
}  // namespace vigil
