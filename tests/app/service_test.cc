// The application layer against a real store: every use case authorizes the identity it is
// given (not the front end), refuses a bad field by naming it, and returns the view both
// front ends render.
#include "app/service.h"

#include <gtest/gtest.h>

#include "support/import_fixture.h"

namespace vigil {
namespace {

using testing::Day;
using testing::TestHost;

constexpr const char* kBasis =
    "compensating controls: the service is only reachable from the management VLAN";

class ServiceTest : public testing::ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    AddUsers({std::pair{"alice", Role::kAdmin}, std::pair{"bob", Role::kAnalyst},
              std::pair{"carol", Role::kApprover}, std::pair{"erin", Role::kAuditor}});
    import_time_ = FromUnixSeconds(Day(1) + 600);
    Import(testing::BuildNessus(
        {{.name = "ca1",
          .start = Day(1),
          .credentialed = true,
          .items = {{.plugin = 1001, .port = 443, .severity = 4, .cvss3 = 9.8}}}}));
  }

  Service At(long long unix_seconds) {
    clock_ = std::make_unique<FixedClock>(FromUnixSeconds(unix_seconds));
    return Service(*store_, *clock_, config_, "");
  }
  static Identity As(const std::string& name) { return {.user = name, .login = name}; }

  DecideInput Recast() const {
    return {.key = "tenable:1001",
            .type = "recast",
            .reason = "compensating-controls",
            .basis = kBasis,
            .severity = "HIGH"};
  }

  std::unique_ptr<FixedClock> clock_;
};

TEST_F(ServiceTest, EachUseCaseAuthorizesTheIdentityItIsGiven) {
  Service service = At(Day(1) + 3600);
  auto by_auditor = service.Decide(As("erin"), Recast());
  ASSERT_FALSE(by_auditor.ok());
  EXPECT_EQ(by_auditor.status().code(), ErrorCode::kPermissionDenied);
  auto unknown = service.Vulnerabilities(As("mallory"), {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("mallory"), std::string::npos);
  // Four eyes: the author cannot approve, an approver can.
  auto d = service.Decide(As("bob"), Recast());
  ASSERT_TRUE(d.ok()) << d.status().Describe();
  EXPECT_EQ(d->state, DecisionState::kPending);
  for (const char* who : {"bob", "erin"}) {
    auto refused = service.Approve(As(who), d->id, "");
    ASSERT_FALSE(refused.ok()) << who;
    EXPECT_EQ(refused.status().code(), ErrorCode::kPermissionDenied) << who;
  }
  auto approved = service.Approve(As("carol"), d->id, "checked the VLAN rules");
  ASSERT_TRUE(approved.ok()) << approved.status().Describe();
  EXPECT_EQ(approved->state, DecisionState::kApproved);
  EXPECT_FALSE(service.Decommission(As("erin"), "ca1", "retired").ok());
}

TEST_F(ServiceTest, ErrorsNameTheFieldNotAFlag) {
  Service service = At(Day(1) + 3600);
  struct Case {
    DecideInput input;
    const char* field;
  };
  std::vector<Case> cases;
  cases.push_back({Recast(), "type"});
  cases.back().input.type = "recst";
  cases.push_back({Recast(), "reason"});
  cases.back().input.reason = "because";
  cases.push_back({Recast(), "severity"});
  cases.back().input.severity = "SEVERE";
  cases.push_back({Recast(), "expires"});
  cases.back().input.expires = "next week";
  cases.push_back({Recast(), "port"});
  cases.back().input.port = 70000;
  cases.push_back({Recast(), "basis"});
  cases.back().input.basis = "short";
  cases.push_back({Recast(), "assets"});
  cases.back().input.type = "false-positive";
  cases.back().input.severity.clear();
  cases.back().input.assets = {"nowhere"};
  for (const auto& c : cases) {
    auto r = service.Decide(As("bob"), c.input);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.status().field(), c.field) << r.status().Describe();
    EXPECT_EQ(r.status().message().find("--"), std::string::npos) << r.status().Describe();
  }
  auto list = service.Vulnerabilities(As("erin"), {.class_name = "SEVERE"});
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().field(), "class");
  auto findings = service.Findings(As("erin"), {.state = "gone"});
  ASSERT_FALSE(findings.ok());
  EXPECT_EQ(findings.status().field(), "state");
  auto scanner = service.SetScanner(As("alice"), {.name = "net", .kind = "robot", .cadence = "7d"});
  ASSERT_FALSE(scanner.ok());
  EXPECT_EQ(scanner.status().field(), "kind");
  EXPECT_TRUE(store_->QueryDecisions({})->empty());
}

TEST_F(ServiceTest, ListingsAreViewsWithStableKeys) {
  Service service = At(Day(1) + 3600);
  auto vulns = service.Vulnerabilities(As("erin"), {});
  ASSERT_TRUE(vulns.ok()) << vulns.status().Describe();
  nlohmann::ordered_json json = view::ToJson(*vulns);
  ASSERT_EQ(json.size(), 1U);
  EXPECT_EQ(json[0]["key"], "tenable:1001");
  EXPECT_EQ(json[0]["class"], "CRITICAL");
  EXPECT_EQ(json[0]["open_findings"], 1);
  auto detail = service.Vulnerability(As("erin"), "tenable:1001");
  ASSERT_TRUE(detail.ok()) << detail.status().Describe();
  nlohmann::ordered_json d = ToJson(*detail);
  EXPECT_EQ(d["key"], "tenable:1001");
  EXPECT_EQ(d["detections"][0]["asset"], "ca1");
  auto missing = service.Vulnerability(As("erin"), "tenable:404");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
}

TEST_F(ServiceTest, AWriteRecordsTheExpiriesBeforeItsOwnChange) {
  Service service = At(Day(1) + 3600);
  DecideInput accept = Recast();
  accept.type = "accept-risk";
  accept.severity.clear();
  accept.expires = FormatIso8601(FromUnixSeconds(Day(2)));
  auto d = service.Decide(As("bob"), accept);
  ASSERT_TRUE(d.ok()) << d.status().Describe();
  ASSERT_TRUE(service.Approve(As("carol"), d->id, "").ok());
  // After the expiry, a read sees it lapsed without writing; the next write records it.
  Service later = At(Day(3));
  auto decisions = later.Decisions(As("erin"), {.state = "lapsed"});
  ASSERT_TRUE(decisions.ok());
  EXPECT_EQ(decisions->rows.size(), 1U);
  EXPECT_EQ(store_->QueryDecisions({.states = {DecisionState::kLapsed}})->size(), 0U);
  ASSERT_TRUE(later.Decommission(As("bob"), "ca1", "retired").ok());
  EXPECT_EQ(store_->QueryDecisions({.states = {DecisionState::kLapsed}})->size(), 1U);
}

}  // namespace
}  // namespace vigil
