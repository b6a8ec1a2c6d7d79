#include "engine/classifier.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

ClassificationConfig Order(std::vector<std::string> order) {
  ClassificationConfig c;
  c.order = std::move(order);
  return c;
}

TEST(Classifier, NoRatingIsUnclassified) {
  Classification c = Classify(VulnerabilityDef{}, ClassificationConfig{});
  EXPECT_EQ(c.class_name, "unclassified");
  EXPECT_EQ(c.source, "none");
  EXPECT_FALSE(c.score.has_value());
}

TEST(Classifier, PrefersScannerCvss3OverSeverity) {
  VulnerabilityDef d{.scanner_severity = 2, .cvss2_score = 10.0, .cvss3_score = 9.8};
  Classification c = Classify(d, ClassificationConfig{});
  EXPECT_EQ(c.class_name, "CRITICAL");
  EXPECT_EQ(c.source, "auto:scanner-cvss-v3");
  EXPECT_EQ(c.score, 9.8);
}

TEST(Classifier, FallsBackToV4ThenV2ThenSeverity) {
  ClassificationConfig s;
  EXPECT_EQ(Classify({.scanner_severity = 1, .cvss2_score = 5.0, .cvss4_score = 7.1}, s).source,
            "auto:scanner-cvss-v4");
  EXPECT_EQ(Classify({.scanner_severity = 1, .cvss2_score = 5.0}, s).class_name, "MEDIUM");
  Classification c = Classify({.scanner_severity = 3}, s);
  EXPECT_EQ(c.class_name, "HIGH");
  EXPECT_EQ(c.source, "auto:scanner-severity");
  EXPECT_FALSE(c.score.has_value());
  EXPECT_EQ(Classify({.scanner_severity = 0}, s).class_name, "INFORMATIVE");
}

// Each source order decides which rating wins.
TEST(Classifier, TheConfiguredOrderDecides) {
  VulnerabilityDef d{
      .scanner_severity = 4, .cvss2_score = 6.8, .cvss3_score = 9.8, .cvss4_score = 8.7};
  struct Case {
    std::vector<std::string> order;
    const char* source;
    const char* cls;
  };
  const Case cases[] = {
      {{"scanner-cvss-v3", "scanner-cvss-v2"}, "auto:scanner-cvss-v3", "CRITICAL"},
      {{"scanner-cvss-v4", "scanner-cvss-v3"}, "auto:scanner-cvss-v4", "HIGH"},
      {{"scanner-cvss-v2", "scanner-cvss-v3"}, "auto:scanner-cvss-v2", "MEDIUM"},
      {{"scanner-severity", "scanner-cvss-v3"}, "auto:scanner-severity", "CRITICAL"},
      // NVD's ratings are not stored yet: an NVD-first order falls through to the scanner's.
      {{"nvd-v4", "nvd-v3.1", "scanner-cvss-v2"}, "auto:scanner-cvss-v2", "MEDIUM"},
      {{"nvd-v3.1"}, "none", "unclassified"},
  };
  for (const auto& c : cases) {
    Classification got = Classify(d, Order(c.order));
    EXPECT_EQ(got.source, c.source);
    EXPECT_EQ(got.class_name, c.cls);
  }
}

TEST(Classifier, ARenamedScaleIsUsed) {
  ClassificationConfig c;
  c.scale = *ClassScale::Create({{"URGENT", 7.0}, {"ROUTINE", 0.0}});
  EXPECT_EQ(Classify({.cvss3_score = 7.0}, c).class_name, "URGENT");
  EXPECT_EQ(Classify({.cvss3_score = 6.9}, c).class_name, "ROUTINE");
}

TEST(Classifier, ManualSourcesAreRecognisedAndKept) {
  EXPECT_TRUE(IsManualClassification("manual"));
  EXPECT_FALSE(IsManualClassification("auto:scanner-severity"));
  EXPECT_FALSE(IsManualClassification("none"));
  Classification derived{"HIGH", "auto:scanner-cvss-v3", 7.5};
  VulnClass manual{.class_name = "LOW", .class_source = "manual", .auto_class = "CRITICAL"};
  VulnClass merged = MergeClass(derived, manual);
  EXPECT_EQ(merged.class_name, "LOW");
  EXPECT_EQ(merged.class_source, "manual");
  EXPECT_EQ(merged.auto_class, "HIGH");
  EXPECT_EQ(merged.rating_score, 7.5);
  VulnClass automatic =
      MergeClass(derived, VulnClass{.class_name = "LOW", .class_source = "auto:scanner-severity"});
  EXPECT_EQ(automatic.class_name, "HIGH");
}

}  // namespace
}  // namespace vigil
