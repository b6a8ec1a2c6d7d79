#include "config/config_file.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace vigil {
namespace {

using std::chrono::hours;

TEST(ConfigFile, ReadsEverySection) {
  auto c = ParseConfig(R"(
[check]
stale_after = "45d"
coverage_window = "30d"

[[scanner]]
name = "tenable-agents"
kind = "agent"
cadence = "24h"
grace = "12h"

[[scanner]]
name = "external-quarterly"
kind = "external"

[[asset_rule]]
cidr = ["10.20.0.0/16", "2001:db8::/32"]
zone = "certificate-system"
site = "DC1"

[[asset_rule]]
name = "*.dmz.example-ca.net"
owner = "web-team"

[[zone]]
name = "certificate-system"
scan_every = "90d"
kinds = ["network", "agent"]
requirement = "NCSSR 1.7 4.c"
)",
                       "vigil.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->check.stale_after, hours(24 * 45));
  EXPECT_EQ(c->check.coverage_window, hours(24 * 30));
  ASSERT_EQ(c->scanners.size(), 2u);
  EXPECT_EQ(c->scanners[0].name, "tenable-agents");
  EXPECT_EQ(c->scanners[0].kind, "agent");
  EXPECT_EQ(c->scanners[0].cadence, hours(24));
  EXPECT_EQ(c->scanners[0].grace, hours(12));
  EXPECT_FALSE(c->scanners[1].cadence.has_value());
  ASSERT_EQ(c->asset_rules.size(), 2u);
  EXPECT_EQ(c->asset_rules[0].networks.size(), 2u);
  EXPECT_EQ(c->asset_rules[0].zone, "certificate-system");
  EXPECT_EQ(c->asset_rules[0].line, 16);
  EXPECT_EQ(c->asset_rules[1].name_patterns, std::vector<std::string>{"*.dmz.example-ca.net"});
  ASSERT_EQ(c->zone_rules.size(), 1u);
  EXPECT_EQ(c->zone_rules[0].every, hours(24 * 90));
  EXPECT_EQ(c->zone_rules[0].kinds, (std::vector<std::string>{"network", "agent"}));
  EXPECT_EQ(c->zone_rules[0].requirement, "NCSSR 1.7 4.c");
}

TEST(ConfigFile, EmptyFileIsTheDefaults) {
  auto c = ParseConfig("", "empty.toml");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->scanners.empty());
  EXPECT_EQ(c->check.stale_after, hours(24 * 30));
}

struct BadCase {
  const char* text;
  const char* position;
  const char* needle;
};

TEST(ConfigFile, RefusesBadInputWithItsPosition) {
  const BadCase cases[] = {
      {"a = [\n", "c.toml:1:", "end-of-file"},
      {"[chek]\nx = 1\n", "c.toml:1:2", "unknown key 'chek'"},
      {"[check]\nstale_afer = \"1d\"\n", "c.toml:2:1", "unknown key 'stale_afer' in [check]"},
      {"[check]\nstale_after = 30\n", "c.toml:2:15", "duration in quotes"},
      {"[check]\nstale_after = \"30 days\"\n", "c.toml:2:15", "stale_after"},
      {"check = 1\n", "c.toml:1:9", "[check] table"},
      {"[[scanner]]\nkind = \"agent\"\n", "c.toml:1:", "needs 'name'"},
      {"[[scanner]]\nname = \"a\"\nkind = \"agnet\"\n", "c.toml:3:8", "not 'agnet'"},
      {"[[scanner]]\nname = \"a\"\nkind = \"agent\"\ncadence = \"0s\"\n", "c.toml:4:11",
       "longer than zero"},
      {"[[scanner]]\nname = \"a\"\nkind = \"agent\"\n[[scanner]]\nname = \"a\"\nkind = "
       "\"agent\"\n",
       "c.toml:4:", "declared twice"},
      {"[scanner]\nname = \"a\"\n", "c.toml:1:", "[[scanner]] tables"},
      {"[[asset_rule]]\ncidr = \"10.1.2.3/16\"\nzone = \"z\"\n", "c.toml:2:8", "host bits"},
      {"[[asset_rule]]\ncidr = \"10.0.0.0/8\"\n", "c.toml:1:", "sets no label"},
      {"[[asset_rule]]\nzone = \"z\"\n", "c.toml:1:", "needs 'cidr' or 'name'"},
      {"[[asset_rule]]\ncidr = [1, 2]\nzone = \"z\"\n", "c.toml:2:9", "must hold strings"},
      {"[[zone]]\nname = \"z\"\n", "c.toml:1:", "needs scan_every"},
      {"[[zone]]\nname = \"z\"\nscan_every = \"90d\"\nkinds = [\"radar\"]\n", "c.toml:4:9",
       "unknown scanner kind 'radar'"},
      {"[[zone]]\nname = \"z\"\nscan_every = \"90d\"\nscaners = [\"x\"]\n", "c.toml:4:1",
       "unknown key 'scaners' in [[zone]]"},
  };
  for (const auto& bad : cases) {
    auto c = ParseConfig(bad.text, "c.toml");
    ASSERT_FALSE(c.ok()) << bad.text;
    EXPECT_EQ(c.status().code(), ErrorCode::kInvalidInput) << bad.text;
    EXPECT_EQ(c.status().message().rfind(bad.position, 0), 0u)
        << bad.text << " → " << c.status().message();
    EXPECT_NE(c.status().message().find(bad.needle), std::string::npos)
        << bad.text << " → " << c.status().message();
  }
}

// fuzz/regressions/config/toml-table-header-assertion.toml: toml++ 3.3.0 asserts on a table
// header whose key starts with a character no key starts with (marzer/tomlplusplus#301), so
// a build with assertions (the sanitizer build) aborted instead of refusing the file.
TEST(ConfigFile, RefusesATableHeaderWithoutAKey) {
  for (std::string text : {std::string("[\0", 2), std::string("[[[1]]]"), std::string("[[=")}) {
    auto c = ParseConfig(text, "c.toml");
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_EQ(c.status().code(), ErrorCode::kInvalidInput) << c.status().message();
    EXPECT_EQ(c.status().message().rfind("c.toml:1:", 0), 0u) << c.status().message();
  }
}

// fuzz/regressions/config/toml-*-unreachable.toml: toml++ 3.3.0 reaches
// __builtin_unreachable (undefined behaviour) when it asks whether such a character is
// whitespace (config/toml_guard.h); the file is refused before it is given one.
TEST(ConfigFile, RefusesCharactersTheTomlReaderCannotClassify) {
  const BadCase cases[] = {
      {"a = 1 \xC2\xA7\n", "c.toml:1:7", "U+00A7 outside a string or comment"},
      {"[check]\nco\xEF\xBB\xBE = 1\n", "c.toml:2:3", "U+FEFE"},
      {"s = \"\"\"\\\n  \xD0\x96\"\"\"\n", "c.toml:2:3", "U+0416"},
      // A quote after a bare value opens no string: toml++ reads on through the characters.
      {"a = 1\"x \xC8\x90\"\n", "c.toml:1:9", "U+0210"},
  };
  for (const auto& bad : cases) {
    auto c = ParseConfig(bad.text, "c.toml");
    ASSERT_FALSE(c.ok()) << bad.text;
    EXPECT_EQ(c.status().message().rfind(bad.position, 0), 0u) << c.status().message();
    EXPECT_NE(c.status().message().find(bad.needle), std::string::npos) << c.status().message();
  }
  // In strings and comments they are text like any other.
  auto c = ParseConfig(
      "# \xC2\xA7 \xD0\x96\n[[scanner]]\nname = \"caf\xC3\xA9 \xC2\xA7\"  # \xEF\xBB\xBE\n"
      "kind = \"agent\"\n[[asset_rule]]\nname = [\"x\",\n  \"caf\xC3\xA9\"]\nowner = "
      "'Zo\xC3\xAB'\n",
      "c.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->scanners.at(0).name, "caf\xC3\xA9 \xC2\xA7");
}

TEST(ConfigFile, ReadsThePolicyClassificationDecisionsAndReviews) {
  auto c = ParseConfig(R"(
[classification]
scale = [{name = "URGENT", min_score = 7.0}, {name = "ROUTINE", min_score = 0.0}]
order = ["scanner-cvss-v2", "scanner-severity"]

[policy]
profiles = ["ncssr-1.7", "cisa-kev"]
due_soon = "12h"
approval_overdue = "1d"
expiring_soon = "7d"

[[policy.rule]]
id = "house/urgent"
framework = "CPS 6.7"
stage = "respond"
classes = ["URGENT"]
zones = ["certificate-system"]
within = "24h"
stops = ["fixed", "plan"]

[[policy.rule]]
id = "house/patch"
anchor = "patch"
months = 2
cvss_min = 4.0
kev = true
stops = ["fixed", "patch-harm"]

[decisions]
need_approval = ["recast", "accept-risk"]
min_basis_length = 40
max_accept_risk = "90d"

[review]
every = "14d"
max_share = 0.6
share_window = "30d"
)",
                       "p.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->classification.scale.levels().size(), 2u);
  EXPECT_EQ(c->classification.order,
            (std::vector<std::string>{"scanner-cvss-v2", "scanner-severity"}));
  const Policy& p = c->policy;
  EXPECT_EQ(p.profiles, (std::vector<std::string>{"ncssr-1.7", "cisa-kev"}));
  ASSERT_EQ(p.rules.size(), 5u);  // 2 + 1 from the profiles, then the file's 2
  EXPECT_EQ(p.rules[0].id, "ncssr-1.7/4.f");
  EXPECT_EQ(p.rules[2].id, "cisa-kev");
  const ClockRule& house = p.rules[3];
  EXPECT_EQ(house.stage, "respond");
  EXPECT_EQ(house.within, hours(24));
  EXPECT_EQ(house.zones, std::vector<std::string>{"certificate-system"});
  EXPECT_TRUE(house.stops.fixed && house.stops.plan && !house.stops.basis);
  EXPECT_EQ(p.rules[4].anchor, ClockAnchor::kPatch);
  EXPECT_EQ(p.rules[4].months, 2);
  EXPECT_EQ(p.rules[4].cvss_min, 4.0);
  EXPECT_TRUE(p.rules[4].kev_only);
  EXPECT_TRUE(p.rules[4].stops.fixed && p.rules[4].stops.patch_harm && !p.rules[4].stops.basis);
  EXPECT_EQ(p.due_soon, hours(12));
  EXPECT_EQ(p.approval_overdue, hours(24));
  EXPECT_EQ(p.expiring_soon, hours(24 * 7));
  EXPECT_EQ(p.decisions.need_approval,
            (std::vector<DecisionType>{DecisionType::kRecast, DecisionType::kAcceptRisk}));
  EXPECT_EQ(p.decisions.min_basis_length, 40u);
  EXPECT_EQ(p.decisions.max_accept_risk, hours(24 * 90));
  EXPECT_EQ(p.review.every, hours(24 * 14));
  EXPECT_DOUBLE_EQ(p.review.max_share, 0.6);
}

TEST(ConfigFile, RefusesBadPolicies) {
  const BadCase cases[] = {
      {"[policy]\nprofiles = [\"ncssr-3\"]\n", "c.toml:2:12", "unknown profile 'ncssr-3'"},
      {"[classification]\nscale = [{name = \"A\", min_score = 5.0}, {name = \"B\", min_score = "
       "0.0}]\n[policy]\nprofiles = [\"ncssr-2\"]\n",
       "c.toml:", "not on the classification scale"},
      {"[classification]\nscale = [{name = \"A\", min_score = 5.0}, {name = \"B\", min_score = "
       "1.0}]\n",
       "c.toml:2:9", "score 0.0"},
      {"[classification]\norder = [\"nvd-v5\"]\n", "c.toml:2:9", "unknown rating source"},
      {"[[policy.rule]]\nid = \"x\"\n", "c.toml:1:", "needs 'within'"},
      {"[[policy.rule]]\nid = \"x\"\nwithin = \"1d\"\nmonths = 1\n", "c.toml:1:", "not both"},
      {"[[policy.rule]]\nid = \"x\"\nwithin = \"1d\"\nanchor = \"later\"\n", "c.toml:4:10",
       "anchor must be"},
      {"[[policy.rule]]\nid = \"x\"\nwithin = \"1d\"\nstops = [\"prayer\"]\n", "c.toml:4:9",
       "unknown 'prayer'"},
      {"[[policy.rule]]\nid = \"x\"\nwithin = \"1d\"\nstage = \"ponder\"\n", "c.toml:4:9",
       "review, respond or remediate"},
      {"[[policy.rule]]\nid = \"x\"\nanchor = \"kev-due\"\nwithin = \"1d\"\n",
       "c.toml:1:", "KEV's own due date"},
      {"[policy]\nprofiles = [\"ncssr-1.7\"]\n[[policy.rule]]\nid = \"ncssr-1.7/4.f\"\nwithin "
       "= \"1d\"\n",
       "c.toml:1:", "defined twice"},
      {"[decisions]\nneed_approval = [\"recst\"]\n", "c.toml:2:17", "unknown decision type"},
      {"[decisions]\nmin_basis_length = 0\n", "c.toml:2:20", "1..10000"},
      {"[review]\nmax_share = 1.5\n", "c.toml:2:13", "fraction"},
  };
  for (const auto& bad : cases) {
    auto c = ParseConfig(bad.text, "c.toml");
    ASSERT_FALSE(c.ok()) << bad.text;
    EXPECT_EQ(c.status().message().rfind(bad.position, 0), 0u)
        << bad.text << " → " << c.status().message();
    EXPECT_NE(c.status().message().find(bad.needle), std::string::npos)
        << bad.text << " → " << c.status().message();
  }
}

TEST(ConfigFile, LoadsFromDiskAndRefusesMissingOrHugeFiles) {
  testing::TempDir dir;
  std::string path = dir.Write("vigil.toml", "[[scanner]]\nname = \"n\"\nkind = \"network\"\n");
  auto c = LoadConfigFile(path);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->path, path);
  EXPECT_EQ(LoadConfigFile((dir.path() / "absent.toml").string()).status().code(),
            ErrorCode::kInvalidInput);
  auto directory = LoadConfigFile(dir.path().string());
  EXPECT_NE(directory.status().message().find("not a regular file"), std::string::npos);
  std::string huge = dir.Write("huge.toml", "# " + std::string(5 << 20, 'x') + "\n");
  EXPECT_NE(LoadConfigFile(huge).status().message().find("larger than 4 MiB"), std::string::npos);
}

}  // namespace
}  // namespace vigil
