// Passwords, enrolment codes and pipeline tokens through the application layer
// (engine/credentials.h): the code works once and for 72 hours, a new password ends the old
// sessions, a pipeline token acts within its scopes until it expires or is revoked and never
// approves, and a password session is its holder's own credential for four eyes.
#include <gtest/gtest.h>

#include "app/service.h"
#include "core/credential.h"
#include "support/import_fixture.h"

namespace vigil {
namespace {

using testing::Day;

constexpr const char* kPassword = "a long and private passphrase";

class CredentialsTest : public testing::ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    AddUsers({std::pair{"alice", Role::kAdmin}, std::pair{"bob", Role::kAnalyst},
              std::pair{"carol", Role::kApprover}, std::pair{"erin", Role::kAuditor}});
    // dave is an approver whose token alice issued (he never renewed it).
    ASSERT_TRUE(store_
                    ->InsertUser({.name = "dave",
                                  .role = Role::kApprover,
                                  .created_by = "alice",
                                  .token_hash = *HashToken("dave-token"),
                                  .token_issued_by = "alice",
                                  .role_granted_by = "alice"})
                    .ok());
    import_time_ = FromUnixSeconds(Day(1) + 600);
    Import(testing::BuildNessus(
        {{.name = "ca1",
          .start = Day(1),
          .credentialed = true,
          .items = {{.plugin = 1001, .port = 443, .severity = 4, .cvss3 = 9.8}}}}));
  }

  Service At(long long unix_seconds) {
    clocks_.push_back(std::make_unique<FixedClock>(FromUnixSeconds(unix_seconds)));
    return Service(*store_, *clocks_.back(), config_, "");
  }
  static Identity As(const std::string& name) { return {.user = name, .login = name}; }

  std::vector<std::unique_ptr<FixedClock>> clocks_;
};

TEST_F(CredentialsTest, AnEnrolmentCodeWorksOnceAndFor72Hours) {
  auto issued = At(Day(2)).IssueEnrolment(As("alice"), "bob");
  ASSERT_TRUE(issued.ok()) << issued.status().Describe();
  EXPECT_EQ(issued->expires_at, FromUnixSeconds(Day(2)) + std::chrono::hours(72));
  // Only an admin issues codes.
  EXPECT_EQ(At(Day(2)).IssueEnrolment(As("bob"), "bob").status().code(),
            ErrorCode::kPermissionDenied);
  // Expired after 72 hours.
  Status late = At(Day(5) + 1).Enrol("bob", issued->code, kPassword, "test");
  EXPECT_EQ(late.code(), ErrorCode::kPermissionDenied) << late.Describe();
  issued = At(Day(5) + 2).IssueEnrolment(As("alice"), "bob");
  ASSERT_TRUE(issued.ok());
  // Another user's name, or a wrong code: refused alike.
  EXPECT_EQ(At(Day(5) + 3).Enrol("carol", issued->code, kPassword, "test").code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(At(Day(5) + 3).Enrol("bob", "00000-00000-00000-00000", kPassword, "test").code(),
            ErrorCode::kPermissionDenied);
  // Typed in lower case, without hyphens, with O for 0: still the code.
  std::string typed;
  for (char c : issued->code) {
    if (c != '-') {
      typed += c == '0' ? 'o' : static_cast<char>(std::tolower(c));
    }
  }
  Status set = At(Day(5) + 4).Enrol("bob", typed, kPassword, "test");
  ASSERT_TRUE(set.ok()) << set.Describe();
  EXPECT_EQ(At(Day(5) + 5).Enrol("bob", issued->code, "another long passphrase", "test").code(),
            ErrorCode::kPermissionDenied);

  auto in = At(Day(5) + 6).Login("bob", kPassword);
  ASSERT_TRUE(in.ok()) << in.status().Describe();
  EXPECT_EQ(in->role, Role::kAnalyst);
  EXPECT_TRUE(in->identity.password_verified);
  EXPECT_EQ(At(Day(5) + 6).Login("bob", "a wrong but long password").status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(At(Day(5) + 6).Login("nobody", kPassword).status().message(),
            At(Day(5) + 6).Login("bob", "a wrong but long password").status().message());
  EXPECT_TRUE(At(Day(5) + 7).ResumeSession("bob", in->password_set_at).ok());

  // A password reset: the new password ends the sessions of the old one.
  issued = At(Day(6)).IssueEnrolment(As("alice"), "bob");
  ASSERT_TRUE(issued.ok());
  EXPECT_TRUE(At(Day(6) + 1).ResumeSession("bob", in->password_set_at).ok());
  ASSERT_TRUE(At(Day(6) + 2).Enrol("bob", issued->code, "the second passphrase", "test").ok());
  EXPECT_FALSE(At(Day(6) + 3).ResumeSession("bob", in->password_set_at).ok());
  EXPECT_FALSE(At(Day(6) + 3).Login("bob", kPassword).ok());
  EXPECT_TRUE(At(Day(6) + 3).Login("bob", "the second passphrase").ok());
}

TEST_F(CredentialsTest, PasswordRulesNameThePasswordField) {
  struct Case {
    const char* password;
    const char* says;
  };
  for (const Case& c : {Case{"short", "at least 12 characters"},
                        Case{"ééééééééééé", "at least 12 characters"},  // 11 characters
                        Case{"aaaaaaaaaaaaaaaa", "one character repeated"},
                        Case{"my name is BOB, hello", "user name"},
                        Case{"tab\there is not allowed", "control characters"},
                        Case{"\xff\xfe not utf-8 at all", "UTF-8"}}) {
    auto issued = At(Day(2)).IssueEnrolment(As("alice"), "bob");
    ASSERT_TRUE(issued.ok());
    Status s = At(Day(2) + 1).Enrol("bob", issued->code, c.password, "test");
    ASSERT_FALSE(s.ok()) << c.password;
    EXPECT_EQ(s.field(), "password") << c.password;
    EXPECT_NE(s.message().find(c.says), std::string::npos) << s.message();
  }
  std::string too_long(257, 'x');
  too_long[0] = 'y';
  auto issued = At(Day(2)).IssueEnrolment(As("alice"), "bob");
  EXPECT_EQ(At(Day(2) + 1).Enrol("bob", issued->code, too_long, "test").field(), "password");
  // Twelve characters of any script are enough.
  EXPECT_TRUE(At(Day(2) + 1).Enrol("bob", issued->code, "пароль-длинный", "test").ok());
}

TEST_F(CredentialsTest, APipelineTokenActsWithinItsScopesUntilItExpiresOrIsRevoked) {
  TokenCache cache;
  auto issued = At(Day(2)).IssueApiToken(
      As("bob"), {.label = "ci: nightly", .scopes = "import,read", .expires = "1d"});
  ASSERT_TRUE(issued.ok()) << issued.status().Describe();
  EXPECT_EQ(issued->record.scopes, "read,import");
  EXPECT_EQ(issued->token.rfind("vgp_" + std::to_string(issued->record.id) + "_", 0), 0u);

  auto who = At(Day(2) + 60).Authenticate(issued->token, cache);
  ASSERT_TRUE(who.ok()) << who.status().Describe();
  EXPECT_EQ(who->user, "bob");
  ASSERT_TRUE(who->scopes.has_value());
  EXPECT_TRUE(At(Day(2) + 60).Vulnerabilities(*who, {}).ok());
  auto decide = At(Day(2) + 60)
                    .Decide(*who, {.key = "tenable:1001",
                                   .type = "recast",
                                   .reason = "compensating-controls",
                                   .basis = "reachable from the management VLAN only",
                                   .severity = "HIGH"});
  ASSERT_FALSE(decide.ok());
  EXPECT_NE(decide.status().message().find("scopes (read,import)"), std::string::npos)
      << decide.status().message();
  // A tampered secret is nobody's.
  std::string wrong = issued->token;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(At(Day(2) + 60).Authenticate(wrong, cache).status().code(),
            ErrorCode::kPermissionDenied);
  // Expired a day later, even though the cache knows it.
  auto late = At(Day(3) + 1).Authenticate(issued->token, cache);
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.status().message().find("expired at"), std::string::npos);

  auto second = At(Day(3) + 2).IssueApiToken(As("bob"), {.label = "b", .scopes = "read"});
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(At(Day(3) + 3).Authenticate(second->token, cache).ok());
  // Only bob or an admin revokes it.
  EXPECT_EQ(At(Day(3) + 4).RevokeApiToken(As("erin"), second->record.id).code(),
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(At(Day(3) + 4).RevokeApiToken(As("alice"), second->record.id).ok());
  auto revoked = At(Day(3) + 5).Authenticate(second->token, cache);
  ASSERT_FALSE(revoked.ok());
  EXPECT_NE(revoked.status().message().find("revoked by alice"), std::string::npos);

  auto listed = At(Day(3) + 6).ApiTokens(As("erin"));
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(listed->rows[0][4]), "expired");
  EXPECT_EQ(std::get<std::string>(listed->rows[1][4]), "revoked");

  // Fields: a scope, a lifetime, a label, someone else's token.
  EXPECT_EQ(At(Day(4)).IssueApiToken(As("bob"), {.label = "x", .scopes = "admin"}).status().field(),
            "scopes");
  EXPECT_EQ(
      At(Day(4)).IssueApiToken(As("bob"), {.label = "x", .scopes = "read,read"}).status().field(),
      "scopes");
  EXPECT_EQ(At(Day(4))
                .IssueApiToken(As("bob"), {.label = "x", .scopes = "read", .expires = "367d"})
                .status()
                .field(),
            "expires");
  EXPECT_EQ(At(Day(4)).IssueApiToken(As("bob"), {.label = "", .scopes = "read"}).status().field(),
            "label");
  EXPECT_EQ(At(Day(4))
                .IssueApiToken(As("bob"), {.user = "carol", .label = "x", .scopes = "read"})
                .status()
                .code(),
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(At(Day(4))
                  .IssueApiToken(As("alice"), {.user = "carol", .label = "x", .scopes = "read"})
                  .ok());
}

TEST_F(CredentialsTest, APasswordSessionApprovesAPipelineTokenNever) {
  auto d = At(Day(2)).Decide(As("bob"), {.key = "tenable:1001",
                                         .type = "recast",
                                         .reason = "compensating-controls",
                                         .basis = "reachable from the management VLAN only",
                                         .severity = "HIGH"});
  ASSERT_TRUE(d.ok()) << d.status().Describe();
  // dave's token was issued by alice: not good for approving.
  Identity by_token{.user = "dave", .token = "dave-token"};
  EXPECT_EQ(At(Day(2) + 1).Approve(by_token, d->id, "").status().code(),
            ErrorCode::kPermissionDenied);
  // A pipeline token of carol's with every scope: still not a person.
  auto robot =
      At(Day(2) + 2).IssueApiToken(As("carol"), {.label = "robot", .scopes = "read,import,write"});
  ASSERT_TRUE(robot.ok());
  TokenCache cache;
  auto as_robot = At(Day(2) + 3).Authenticate(robot->token, cache);
  ASSERT_TRUE(as_robot.ok());
  auto refused = At(Day(2) + 3).Approve(*as_robot, d->id, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("needs a person"), std::string::npos);
  // dave signed in with the password he set himself.
  auto code = At(Day(2) + 4).IssueEnrolment(As("alice"), "dave");
  ASSERT_TRUE(code.ok());
  ASSERT_TRUE(At(Day(2) + 5).Enrol("dave", code->code, kPassword, "test").ok());
  auto in = At(Day(2) + 6).Login("dave", kPassword);
  ASSERT_TRUE(in.ok());
  auto approved = At(Day(2) + 7).Approve(in->identity, d->id, "checked");
  ASSERT_TRUE(approved.ok()) << approved.status().Describe();
  EXPECT_EQ(approved->decided_by, "dave");
}

}  // namespace
}  // namespace vigil
