// The Store contract, continued: vulnerabilities, users and tokens, decisions and class
// history, reviews, findings and attributions, settings, the inventory and notifications.
#include <map>

#include "store/conformance_fixture.h"

namespace vigil::conformance {
namespace {

// ---- Vulnerabilities -------------------------------------------------------------------

VulnerabilityDef FullDef(const std::string& key) {
  const auto& texts = HostileTexts();
  return VulnerabilityDef{
      .key = key,
      .source = "tenable",
      .source_id = key.substr(key.find(':') + 1),
      .title = "OpenSSL 'heartbleed' \"critical\" 🔥",
      .family = texts[1],
      .synopsis = texts[5],
      .description = texts.back(),
      .solution = texts[6],
      .risk_factor = "Critical",
      .scanner_severity = 4,
      .cvss2_vector = "AV:N/AC:L/Au:N/C:P/I:N/A:N",
      .cvss2_score = 1.0 / 3.0,
      .cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
      .cvss3_score = 0.1 + 0.2,
      .cvss4_vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N",
      .cvss4_score = 9.999999999999998,
      .vpr_score = 1e-300,
      .epss_score = 0.97565,
      .exploit_available = false,
      .check_type = "remote",
      .published = T(-86400),
      .modified = T(0),
      .patch_published = T(1396915200),
      .vuln_published = T(kMaxInt),
      .refs = {{"cve", "CVE-2014-0160"},
               {"cwe", "CWE-119"},
               {"xref", "OSVDB:105465"},
               {"see_also", "https://example.com/a?b='c'&d=\"e\""},
               {"iava", "2014-A-0064"}}};
}

VulnClass FullClass() {
  return VulnClass{.class_name = "CRITICAL",
                   .class_source = "auto:cvss3",
                   .auto_class = "HIGH",
                   .auto_source = "cvss3",
                   .rating_score = 1.0 / 3.0};
}

std::vector<Reference> SortedRefs(std::vector<Reference> refs) {
  return SortedBy(std::move(refs),
                  [](const Reference& r) { return std::make_pair(r.kind, r.value); });
}

void ExpectSameDef(const VulnerabilityDef& got, const VulnerabilityDef& want) {
  EXPECT_EQ(got.key, want.key);
  EXPECT_EQ(got.source, want.source);
  EXPECT_EQ(got.source_id, want.source_id);
  EXPECT_EQ(got.title, want.title);
  EXPECT_EQ(got.family, want.family);
  EXPECT_EQ(got.synopsis, want.synopsis);
  EXPECT_EQ(got.description, want.description);
  EXPECT_EQ(got.solution, want.solution);
  EXPECT_EQ(got.risk_factor, want.risk_factor);
  EXPECT_EQ(got.scanner_severity, want.scanner_severity);
  EXPECT_EQ(got.cvss2_vector, want.cvss2_vector);
  EXPECT_EQ(got.cvss2_score, want.cvss2_score);
  EXPECT_EQ(got.cvss3_vector, want.cvss3_vector);
  EXPECT_EQ(got.cvss3_score, want.cvss3_score);
  EXPECT_EQ(got.cvss4_vector, want.cvss4_vector);
  EXPECT_EQ(got.cvss4_score, want.cvss4_score);
  EXPECT_EQ(got.vpr_score, want.vpr_score);
  EXPECT_EQ(got.epss_score, want.epss_score);
  EXPECT_EQ(got.exploit_available, want.exploit_available);
  EXPECT_EQ(got.check_type, want.check_type);
  EXPECT_EQ(got.published, want.published);
  EXPECT_EQ(got.modified, want.modified);
  EXPECT_EQ(got.patch_published, want.patch_published);
  EXPECT_EQ(got.vuln_published, want.vuln_published);
  // The order of the references is not kept (SQLite reads them sorted): compared as sets.
  EXPECT_EQ(SortedRefs(got.refs), SortedRefs(want.refs));
}

void ExpectSameClass(const VulnClass& got, const VulnClass& want) {
  EXPECT_EQ(got.class_name, want.class_name);
  EXPECT_EQ(got.class_source, want.class_source);
  EXPECT_EQ(got.auto_class, want.auto_class);
  EXPECT_EQ(got.auto_source, want.auto_source);
  EXPECT_EQ(got.rating_score, want.rating_score);
}

TEST_P(StoreConformance, VulnerabilityDefinitionsRoundTripEveryField) {
  VulnerabilityDef def = FullDef("tenable:73412");
  VulnClass cls = FullClass();
  int64_t id = MUST(s().InsertVulnerability(def, cls, T(kMaxInt)));
  EXPECT_GT(id, 0);

  auto stamp = MUST(s().FindVulnerability("tenable:73412"));
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->id, id);
  EXPECT_EQ(stamp->content_hash, static_cast<int64_t>(def.ContentHash()));
  EXPECT_EQ(stamp->defined_at, T(kMaxInt));
  ExpectSameClass(stamp->cls, cls);

  auto loaded = MUST(s().LoadVulnerability("tenable:73412"));
  ASSERT_TRUE(loaded);
  ExpectSameDef(loaded->first, def);
  EXPECT_EQ(loaded->second.id, id);
  EXPECT_EQ(loaded->second.content_hash, stamp->content_hash);
  EXPECT_EQ(loaded->second.defined_at, T(kMaxInt));
  ExpectSameClass(loaded->second.cls, cls);

  EXPECT_EQ(MUST(s().FindVulnerability("tenable:73413")), std::nullopt);
  EXPECT_EQ(MUST(s().LoadVulnerability("tenable:73413")), std::nullopt);
  EXPECT_EQ(MUST(s().FindVulnerability("TENABLE:73412")), std::nullopt);
}

TEST_P(StoreConformance, UnsetOptionalFieldsOfADefinitionStayUnset) {
  VulnerabilityDef def{
      .key = "grype:GHSA-xxxx", .source = "grype", .source_id = "GHSA-xxxx", .title = "bare"};
  VulnClass cls{.class_name = "unclassified", .class_source = "none"};
  int64_t id = MUST(s().InsertVulnerability(def, cls, T(0)));
  auto loaded = MUST(s().LoadVulnerability(def.key));
  ASSERT_TRUE(loaded);
  ExpectSameDef(loaded->first, def);
  ExpectSameClass(loaded->second.cls, cls);
  EXPECT_EQ(loaded->second.id, id);
  EXPECT_EQ(loaded->second.defined_at, T(0));
  EXPECT_EQ(MUST(s().FindVulnerability(def.key))->content_hash,
            static_cast<int64_t>(def.ContentHash()));
  // exploit_available true as well as false.
  def.exploit_available = true;
  def.scanner_severity = 0;
  def.cvss3_score = 0.0;
  MUST_OK(s().UpdateVulnerability(id, def, cls, T(1)));
  loaded = MUST(s().LoadVulnerability(def.key));
  EXPECT_EQ(loaded->first.exploit_available, true);
  EXPECT_EQ(loaded->first.scanner_severity, 0);
  EXPECT_EQ(loaded->first.cvss3_score, 0.0);
}

TEST_P(StoreConformance, ExactDoublesSurviveEveryScoreField) {
  int n = 0;
  for (double d : ExactDoubles()) {
    VulnerabilityDef def{.key = "x:" + std::to_string(n++),
                         .source = "x",
                         .source_id = "1",
                         .title = "t",
                         .cvss2_score = d,
                         .cvss3_score = d,
                         .cvss4_score = d,
                         .vpr_score = d,
                         .epss_score = d};
    VulnClass cls{.class_name = "LOW", .class_source = "manual", .rating_score = d};
    (void)MUST(s().InsertVulnerability(def, cls, T(1)));
    auto loaded = MUST(s().LoadVulnerability(def.key));
    ASSERT_TRUE(loaded);
    ExpectSameDef(loaded->first, def);
    EXPECT_EQ(loaded->second.cls.rating_score, d);
  }
}

TEST_P(StoreConformance, FindVulnerabilitiesAnswersEachKeyInItsPlace) {
  int64_t a = AddVuln("tenable:1", "HIGH");
  int64_t b = AddVuln("tenable:2");
  auto stamps = MUST(s().FindVulnerabilities({"tenable:2", "tenable:9", "tenable:1", "tenable:2"}));
  ASSERT_EQ(stamps.size(), 4u);
  ASSERT_TRUE(stamps[0] && stamps[2] && stamps[3]);
  EXPECT_EQ(stamps[0]->id, b);
  EXPECT_EQ(stamps[1], std::nullopt);
  EXPECT_EQ(stamps[2]->id, a);
  EXPECT_EQ(stamps[2]->cls.class_name, "HIGH");
  EXPECT_EQ(stamps[2]->content_hash, MUST(s().FindVulnerability("tenable:1"))->content_hash);
  EXPECT_EQ(stamps[3]->id, b);
  EXPECT_TRUE(MUST(s().FindVulnerabilities({})).empty());
}

TEST_P(StoreConformance, AVulnerabilityKeyIsUnique) {
  AddVuln("tenable:1");
  VulnerabilityDef dup{.key = "tenable:1", .source = "tenable", .source_id = "1", .title = "t"};
  EXPECT_FALSE(s().InsertVulnerability(dup, {.class_name = "LOW"}, T(1)).ok());
  EXPECT_EQ(MUST(s().AllVulnerabilities()).size(), 1u);
}

TEST_P(StoreConformance, UpdateVulnerabilityReplacesTheDefinitionAndItsReferences) {
  VulnerabilityDef def = FullDef("tenable:1");
  int64_t id = MUST(s().InsertVulnerability(def, FullClass(), T(100)));
  VulnerabilityDef next{.key = "tenable:1",
                        .source = "tenable",
                        .source_id = "1",
                        .title = "renamed",
                        .cvss3_score = 5.5,
                        .refs = {{"cve", "CVE-2024-0002"}}};
  VulnClass cls{.class_name = "MEDIUM",
                .class_source = "auto:cvss3",
                .auto_class = "MEDIUM",
                .auto_source = "cvss3",
                .rating_score = 5.5};
  MUST_OK(s().UpdateVulnerability(id, next, cls, T(200)));
  auto loaded = MUST(s().LoadVulnerability("tenable:1"));
  ASSERT_TRUE(loaded);
  ExpectSameDef(loaded->first, next);
  ExpectSameClass(loaded->second.cls, cls);
  EXPECT_EQ(loaded->second.id, id);
  EXPECT_EQ(loaded->second.defined_at, T(200));
  EXPECT_EQ(loaded->second.content_hash, static_cast<int64_t>(next.ContentHash()));
  EXPECT_TRUE(MUST(s().VulnerabilitiesWithCves({"CVE-2014-0160"})).empty());
  EXPECT_EQ(MUST(s().VulnerabilitiesWithCves({"CVE-2024-0002"})), std::vector<int64_t>{id});
}

TEST_P(StoreConformance, SetVulnerabilityClassChangesOnlyTheClasses) {
  VulnerabilityDef def = FullDef("tenable:1");
  int64_t id = MUST(s().InsertVulnerability(def, FullClass(), T(100)));
  int64_t other = AddVuln("tenable:2", "LOW");
  VulnClass cls{.class_name = "LOW",
                .class_source = "manual",
                .auto_class = "MEDIUM",
                .auto_source = "vpr",
                .rating_score = std::nullopt};
  MUST_OK(s().SetVulnerabilityClass(id, cls));
  auto loaded = MUST(s().LoadVulnerability("tenable:1"));
  ASSERT_TRUE(loaded);
  ExpectSameClass(loaded->second.cls, cls);
  ExpectSameDef(loaded->first, def);
  EXPECT_EQ(loaded->second.defined_at, T(100));
  EXPECT_EQ(loaded->second.content_hash, static_cast<int64_t>(def.ContentHash()));
  auto untouched = MUST(s().FindVulnerability("tenable:2"));
  EXPECT_EQ(untouched->id, other);
  EXPECT_EQ(untouched->cls.class_name, "LOW");
  EXPECT_EQ(untouched->cls.class_source, "auto:cvss3");
}

TEST_P(StoreConformance, AllVulnerabilitiesGivesEveryDefinitionWithItsClasses) {
  EXPECT_TRUE(MUST(s().AllVulnerabilities()).empty());
  VulnerabilityDef a = FullDef("tenable:2");
  VulnerabilityDef b{.key = "trivy:CVE-2024-1",
                     .source = "trivy",
                     .source_id = "CVE-2024-1",
                     .title = "b",
                     .refs = {{"cve", "CVE-2024-1"}}};
  int64_t ia = MUST(s().InsertVulnerability(a, FullClass(), T(1)));
  int64_t ib =
      MUST(s().InsertVulnerability(b, {.class_name = "LOW", .class_source = "manual"}, T(2)));
  auto all = SortedBy(MUST(s().AllVulnerabilities()), [](const auto& p) { return p.first.key; });
  ASSERT_EQ(all.size(), 2u);
  ExpectSameDef(all[0].first, a);
  EXPECT_EQ(all[0].second.id, ia);
  ExpectSameClass(all[0].second.cls, FullClass());
  ExpectSameDef(all[1].first, b);
  EXPECT_EQ(all[1].second.id, ib);
  EXPECT_EQ(all[1].second.cls.class_name, "LOW");
  EXPECT_EQ(all[1].second.defined_at, T(2));
}

// ---- Users and pipeline tokens ---------------------------------------------------------

UserRecord FullUser(const std::string& name) {
  return UserRecord{.name = name,
                    .role = Role::kApprover,
                    .created_at = T(100),
                    .created_by = "root",
                    .token_hash = "sha256$abc",
                    .token_issued_by = "root",
                    .role_granted_by = "root",
                    .password_hash = "scrypt$'x'$\"y\"",
                    .password_set_at = T(150),
                    .enrolment_hash = "enrol$1",
                    .enrolment_expires_at = T(kMaxInt)};
}

void ExpectSameUser(const UserRecord& got, const UserRecord& want) {
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.role, want.role);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.created_by, want.created_by);
  EXPECT_EQ(got.token_hash, want.token_hash);
  EXPECT_EQ(got.token_issued_by, want.token_issued_by);
  EXPECT_EQ(got.role_granted_by, want.role_granted_by);
  EXPECT_EQ(got.password_hash, want.password_hash);
  EXPECT_EQ(got.password_set_at, want.password_set_at);
  EXPECT_EQ(got.enrolment_hash, want.enrolment_hash);
  EXPECT_EQ(got.enrolment_expires_at, want.enrolment_expires_at);
}

TEST_P(StoreConformance, UsersRoundTripAndAreFoundByName) {
  UserRecord full = FullUser("alice");
  MUST_OK(s().InsertUser(full));
  UserRecord bare{.name = "bob", .role = Role::kAuditor, .created_at = T(1), .created_by = "alice"};
  MUST_OK(s().InsertUser(bare));
  auto alice = MUST(s().FindUser("alice"));
  ASSERT_TRUE(alice);
  ExpectSameUser(*alice, full);
  auto bob = MUST(s().FindUser("bob"));
  ASSERT_TRUE(bob);
  ExpectSameUser(*bob, bare);
  EXPECT_EQ(MUST(s().FindUser("carol")), std::nullopt);
  EXPECT_EQ(MUST(s().FindUser("Alice")), std::nullopt);
  auto all = SortedBy(MUST(s().QueryUsers()), [](const UserRecord& u) { return u.name; });
  ASSERT_EQ(all.size(), 2u);
  ExpectSameUser(all[0], full);
  ExpectSameUser(all[1], bare);
  // A name is one user.
  EXPECT_FALSE(s().InsertUser(FullUser("alice")).ok());
  for (Role role : {Role::kAdmin, Role::kApprover, Role::kAnalyst, Role::kAuditor}) {
    std::string name = "role-" + std::string(ToString(role));
    AddUser(name, role);
    EXPECT_EQ(MUST(s().FindUser(name))->role, role);
  }
  for (const std::string& text : HostileTexts()) {
    UserRecord u{.name = text, .created_at = T(1), .created_by = text, .token_hash = text};
    MUST_OK(s().InsertUser(u));
    auto found = MUST(s().FindUser(text));
    ASSERT_TRUE(found);
    ExpectSameUser(*found, u);
  }
}

TEST_P(StoreConformance, RoleTokenEnrolmentAndPasswordEachWriteTheirOwnFields) {
  UserRecord u = FullUser("alice");
  MUST_OK(s().InsertUser(u));
  AddUser("bob");

  MUST_OK(s().SetUserRole("alice", Role::kAdmin, "carol"));
  u.role = Role::kAdmin;
  u.role_granted_by = "carol";
  ExpectSameUser(*MUST(s().FindUser("alice")), u);

  MUST_OK(s().SetUserToken("alice", "sha256$new", "alice"));
  u.token_hash = "sha256$new";
  u.token_issued_by = "alice";
  ExpectSameUser(*MUST(s().FindUser("alice")), u);

  MUST_OK(s().SetUserEnrolment("alice", "enrol$2", T(9000)));
  u.enrolment_hash = "enrol$2";
  u.enrolment_expires_at = T(9000);
  ExpectSameUser(*MUST(s().FindUser("alice")), u);

  // A password set with the code clears the code.
  MUST_OK(s().SetUserPassword("alice", "argon2$pw", T(8000)));
  u.password_hash = "argon2$pw";
  u.password_set_at = T(8000);
  u.enrolment_hash = "";
  u.enrolment_expires_at = std::nullopt;
  ExpectSameUser(*MUST(s().FindUser("alice")), u);

  // Nobody else changed.
  auto bob = MUST(s().FindUser("bob"));
  EXPECT_EQ(bob->role, Role::kAnalyst);
  EXPECT_EQ(bob->token_hash, "token-of-bob");
  EXPECT_EQ(bob->password_hash, "");
  EXPECT_EQ(bob->enrolment_expires_at, std::nullopt);
}

TEST_P(StoreConformance, ApiTokensRoundTripAndRevocationMarksOnlyOne) {
  AddUser("ci");
  ApiTokenRecord t1{.user = "ci",
                    .label = "GitLab 'main' pipeline 🚀",
                    .scopes = "read,import",
                    .token_hash = "sha256$t1",
                    .created_at = T(100),
                    .created_by = "admin",
                    .expires_at = T(kMaxInt)};
  ApiTokenRecord t2 = t1;
  t2.label = "nightly";
  t2.scopes = "read,import,write";
  t2.token_hash = "sha256$t2";
  t2.expires_at = T(200);
  t1.id = MUST(s().InsertApiToken(t1));
  t2.id = MUST(s().InsertApiToken(t2));
  EXPECT_GT(t1.id, 0);
  EXPECT_NE(t1.id, t2.id);
  MUST_OK(s().RevokeApiToken(t2.id, T(150), "admin"));
  auto tokens = SortedBy(MUST(s().QueryApiTokens()), [](const ApiTokenRecord& t) { return t.id; });
  ASSERT_EQ(tokens.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const ApiTokenRecord& want = i == 0 ? t1 : t2;
    EXPECT_EQ(tokens[i].id, want.id);
    EXPECT_EQ(tokens[i].user, want.user);
    EXPECT_EQ(tokens[i].label, want.label);
    EXPECT_EQ(tokens[i].scopes, want.scopes);
    EXPECT_EQ(tokens[i].token_hash, want.token_hash);
    EXPECT_EQ(tokens[i].created_at, want.created_at);
    EXPECT_EQ(tokens[i].created_by, want.created_by);
    EXPECT_EQ(tokens[i].expires_at, want.expires_at);
  }
  EXPECT_EQ(tokens[0].revoked_at, std::nullopt);
  EXPECT_EQ(tokens[0].revoked_by, "");
  EXPECT_EQ(tokens[1].revoked_at, T(150));
  EXPECT_EQ(tokens[1].revoked_by, "admin");
}

// ---- Decisions and class history -------------------------------------------------------

DecisionRecord FullDecision(int64_t vuln_id) {
  return DecisionRecord{.vuln_id = vuln_id,
                        .type = DecisionType::kAcceptRisk,
                        .reason = ReasonCategory::kPatchHarm,
                        .basis = HostileTexts().back(),
                        .new_class = "LOW",
                        .new_score = 1.0 / 3.0,
                        .assets = {"web", "db 'primary'", "10.0.0.1", "🖥️"},
                        .port = 65535,
                        .expires_at = T(kMaxInt),
                        .target_at = T(5000),
                        .author = "alice",
                        .created_at = T(1000),
                        .state = DecisionState::kApproved,
                        .decided_by = "bob",
                        .decided_at = T(1100),
                        .decided_basis = "'; DROP TABLE decisions; --",
                        .effective_at = T(1100),
                        .ended_at = T(2000)};
}

void ExpectSameDecision(const DecisionRecord& got, const DecisionRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.vuln_id, want.vuln_id);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.reason, want.reason);
  EXPECT_EQ(got.basis, want.basis);
  EXPECT_EQ(got.new_class, want.new_class);
  EXPECT_EQ(got.new_score, want.new_score);
  EXPECT_EQ(got.assets, want.assets);
  EXPECT_EQ(got.port, want.port);
  EXPECT_EQ(got.expires_at, want.expires_at);
  EXPECT_EQ(got.target_at, want.target_at);
  EXPECT_EQ(got.author, want.author);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.decided_by, want.decided_by);
  EXPECT_EQ(got.decided_at, want.decided_at);
  EXPECT_EQ(got.decided_basis, want.decided_basis);
  EXPECT_EQ(got.effective_at, want.effective_at);
  EXPECT_EQ(got.ended_at, want.ended_at);
  EXPECT_EQ(got.superseded_by, want.superseded_by);
}

TEST_P(StoreConformance, DecisionsRoundTripWithTheirVulnerabilityKey) {
  int64_t vuln = AddVuln("tenable:19506");
  DecisionRecord full = FullDecision(vuln);
  full.id = MUST(s().InsertDecision(full));
  EXPECT_GT(full.id, 0);
  full.vuln_key = "tenable:19506";
  auto found = MUST(s().FindDecision(full.id));
  ASSERT_TRUE(found);
  ExpectSameDecision(*found, full);
  EXPECT_EQ(found->vuln_key, "tenable:19506");

  DecisionRecord bare{.vuln_id = vuln,
                      .type = DecisionType::kFalsePositive,
                      .reason = ReasonCategory::kFalsePositive,
                      .basis = "not installed",
                      .author = "alice",
                      .created_at = T(1)};
  bare.id = MUST(s().InsertDecision(bare));
  found = MUST(s().FindDecision(bare.id));
  ASSERT_TRUE(found);
  ExpectSameDecision(*found, bare);
  EXPECT_TRUE(found->assets.empty());
  EXPECT_EQ(found->port, std::nullopt);
  EXPECT_EQ(MUST(s().FindDecision(full.id + bare.id + 100)), std::nullopt);

  for (DecisionType type :
       {DecisionType::kRecast, DecisionType::kFalsePositive, DecisionType::kAcceptRisk,
        DecisionType::kMitigationPlan, DecisionType::kClassify}) {
    for (ReasonCategory reason :
         {ReasonCategory::kDisagreeWithNvd, ReasonCategory::kFalsePositive,
          ReasonCategory::kCompensatingControls, ReasonCategory::kAbsenceOfThreat,
          ReasonCategory::kOther, ReasonCategory::kPatchHarm}) {
      DecisionRecord d = bare;
      d.type = type;
      d.reason = reason;
      int64_t id = MUST(s().InsertDecision(d));
      EXPECT_EQ(MUST(s().FindDecision(id))->type, type);
      EXPECT_EQ(MUST(s().FindDecision(id))->reason, reason);
    }
  }
}

TEST_P(StoreConformance, UpdateDecisionStateWritesOnlyTheStateFields) {
  int64_t vuln = AddVuln("tenable:1");
  DecisionRecord d{.vuln_id = vuln,
                   .type = DecisionType::kRecast,
                   .reason = ReasonCategory::kCompensatingControls,
                   .basis = "behind the WAF",
                   .new_class = "LOW",
                   .new_score = 3.5,
                   .assets = {"web"},
                   .port = 443,
                   .author = "alice",
                   .created_at = T(100),
                   .state = DecisionState::kPending};
  d.id = MUST(s().InsertDecision(d));
  int64_t successor = AddDecision(vuln);

  DecisionRecord change = d;
  change.state = DecisionState::kSuperseded;
  change.decided_by = "bob";
  change.decided_at = T(200);
  change.decided_basis = "four eyes";
  change.effective_at = T(200);
  change.ended_at = T(300);
  change.superseded_by = successor;
  // Not state fields: must not be written.
  change.basis = "CHANGED";
  change.new_class = "CRITICAL";
  change.new_score = 9.9;
  change.assets = {"other"};
  change.port = 22;
  change.author = "mallory";
  change.type = DecisionType::kFalsePositive;
  change.created_at = T(999);
  MUST_OK(s().UpdateDecisionState(change));

  DecisionRecord want = d;
  want.vuln_key = "tenable:1";
  want.state = DecisionState::kSuperseded;
  want.decided_by = "bob";
  want.decided_at = T(200);
  want.decided_basis = "four eyes";
  want.effective_at = T(200);
  want.ended_at = T(300);
  want.superseded_by = successor;
  ExpectSameDecision(*MUST(s().FindDecision(d.id)), want);
  EXPECT_EQ(MUST(s().FindDecision(successor))->state, DecisionState::kPending);

  // Clearing: unset optionals and superseded_by 0 are written as such.
  DecisionRecord cleared = want;
  cleared.state = DecisionState::kApproved;
  cleared.decided_by = "";
  cleared.decided_at = std::nullopt;
  cleared.decided_basis = "";
  cleared.effective_at = std::nullopt;
  cleared.ended_at = std::nullopt;
  cleared.superseded_by = 0;
  MUST_OK(s().UpdateDecisionState(cleared));
  ExpectSameDecision(*MUST(s().FindDecision(d.id)), cleared);
}

TEST_P(StoreConformance, QueryDecisionsFiltersByVulnerabilityAndStates) {
  int64_t v1 = AddVuln("tenable:1");
  int64_t v2 = AddVuln("tenable:2");
  int64_t pending1 = AddDecision(v1, DecisionState::kPending);
  int64_t approved1 = AddDecision(v1, DecisionState::kApproved);
  int64_t rejected2 = AddDecision(v2, DecisionState::kRejected);
  int64_t lapsed2 = AddDecision(v2, DecisionState::kLapsed);
  auto ids = [&](DecisionQuery q) {
    std::vector<int64_t> out;
    for (const auto& d : MUST(s().QueryDecisions(q))) {
      out.push_back(d.id);
      EXPECT_EQ(d.vuln_key, d.vuln_id == v1 ? "tenable:1" : "tenable:2");
    }
    return Sorted(out);
  };
  EXPECT_EQ(ids({}), Sorted(std::vector<int64_t>{pending1, approved1, rejected2, lapsed2}));
  EXPECT_EQ(ids({.vuln_key = "tenable:1"}), Sorted(std::vector<int64_t>{pending1, approved1}));
  EXPECT_EQ(ids({.states = {DecisionState::kPending}}), std::vector<int64_t>{pending1});
  EXPECT_EQ(ids({.states = {DecisionState::kApproved, DecisionState::kLapsed}}),
            Sorted(std::vector<int64_t>{approved1, lapsed2}));
  EXPECT_EQ(ids({.vuln_key = "tenable:2", .states = {DecisionState::kLapsed}}),
            std::vector<int64_t>{lapsed2});
  EXPECT_TRUE(ids({.vuln_key = "tenable:2", .states = {DecisionState::kPending}}).empty());
  EXPECT_TRUE(ids({.vuln_key = "tenable:3"}).empty());
  EXPECT_TRUE(ids({.states = {DecisionState::kSuperseded}}).empty());
}

TEST_P(StoreConformance, DecisionEventsOfAVulnerabilityOldestFirst) {
  int64_t v1 = AddVuln("tenable:1");
  int64_t v2 = AddVuln("tenable:2");
  int64_t d1 = AddDecision(v1);
  int64_t d2 = AddDecision(v1);
  int64_t other = AddDecision(v2);
  MUST_OK(s().InsertDecisionEvent(
      {.decision_id = d1, .at = T(300), .actor = "bob", .action = "approved"}));
  MUST_OK(s().InsertDecisionEvent(
      {.decision_id = d2, .at = T(100), .actor = "al'ice", .action = "created", .note = "🙂"}));
  MUST_OK(s().InsertDecisionEvent(
      {.decision_id = other, .at = T(50), .actor = "x", .action = "created"}));
  MUST_OK(s().InsertDecisionEvent(
      {.decision_id = d1, .at = T(200), .actor = "alice", .action = "created"}));
  // Two events in the same second: in the order they were recorded (not stated in store.h;
  // SQLite's order, and the one a history must show: created before approved).
  MUST_OK(s().InsertDecisionEvent(
      {.decision_id = d2, .at = T(400), .actor = "a", .action = "created"}));
  MUST_OK(s().InsertDecisionEvent(
      {.decision_id = d2, .at = T(400), .actor = "b", .action = "approved"}));
  auto events = MUST(s().DecisionEventsOf(v1));
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].decision_id, d2);
  EXPECT_EQ(events[0].at, T(100));
  EXPECT_EQ(events[0].actor, "al'ice");
  EXPECT_EQ(events[0].action, "created");
  EXPECT_EQ(events[0].note, "🙂");
  EXPECT_EQ(events[1].at, T(200));
  EXPECT_EQ(events[1].decision_id, d1);
  EXPECT_EQ(events[2].at, T(300));
  EXPECT_EQ(events[2].action, "approved");
  EXPECT_EQ(events[3].action, "created");
  EXPECT_EQ(events[4].action, "approved");
  ASSERT_EQ(MUST(s().DecisionEventsOf(v2)).size(), 1u);
  EXPECT_TRUE(MUST(s().DecisionEventsOf(v2 + v1 + 10)).empty());
}

TEST_P(StoreConformance, ClassChangesPerVulnerabilityAndAllByVulnerabilityOldestFirst) {
  int64_t v1 = AddVuln("tenable:1");
  int64_t v2 = AddVuln("tenable:2");
  int64_t decision = AddDecision(v1);
  auto change = [&](int64_t vuln, int64_t at, const std::string& from, const std::string& to,
                    int64_t decision_id) {
    ClassChange c{.vuln_id = vuln,
                  .at = T(at),
                  .actor = "alice",
                  .from_class = from,
                  .to_class = to,
                  .source = decision_id != 0 ? "decision" : "auto:cvss3",
                  .decision_id = decision_id,
                  .note = "note " + to};
    MUST_OK(s().InsertClassChange(c));
    return c;
  };
  change(v2, 500, "", "LOW", 0);
  ClassChange later = change(v1, 300, "HIGH", "LOW", decision);
  ClassChange first = change(v1, 100, "", "HIGH", 0);
  change(v2, 50, "", "MEDIUM", 0);

  auto of1 = MUST(s().ClassChangesOf(v1));
  ASSERT_EQ(of1.size(), 2u);
  EXPECT_EQ(of1[0].vuln_id, v1);
  EXPECT_EQ(of1[0].at, first.at);
  EXPECT_EQ(of1[0].actor, "alice");
  EXPECT_EQ(of1[0].from_class, "");
  EXPECT_EQ(of1[0].to_class, "HIGH");
  EXPECT_EQ(of1[0].source, "auto:cvss3");
  EXPECT_EQ(of1[0].decision_id, 0);
  EXPECT_EQ(of1[0].note, "note HIGH");
  EXPECT_EQ(of1[1].at, later.at);
  EXPECT_EQ(of1[1].from_class, "HIGH");
  EXPECT_EQ(of1[1].decision_id, decision);
  EXPECT_TRUE(MUST(s().ClassChangesOf(v1 + v2 + 10)).empty());

  auto all = MUST(s().AllClassChanges());
  ASSERT_EQ(all.size(), 4u);
  std::vector<std::pair<int64_t, Timestamp>> order;
  for (const auto& c : all) {
    order.emplace_back(c.vuln_id, c.at);
  }
  std::vector<std::pair<int64_t, Timestamp>> want = {
      {v1, T(100)}, {v1, T(300)}, {v2, T(50)}, {v2, T(500)}};
  EXPECT_EQ(order, want);
}

// ---- Reviews ---------------------------------------------------------------------------

TEST_P(StoreConformance, ReviewsOldestFirstWithTheirVulnerabilities) {
  int64_t v1 = AddVuln("tenable:1");
  AddVuln("tenable:2");  // covered by no review
  int64_t v3 = AddVuln("tenable:3");
  ReviewRecord second{.at = T(2000),
                      .recorded_by = "alice",
                      .participants = {"alice", "bob", "carol"},
                      .notes = HostileTexts().back(),
                      .covered_since = T(1000),
                      .vuln_ids = {v3, v1}};
  ReviewRecord first{.at = T(1000),
                     .recorded_by = "bob",
                     .participants = {"bob", "dave"},
                     .notes = "first review; nothing new",
                     .covered_since = std::nullopt,
                     .vuln_ids = {}};
  second.id = MUST(s().InsertReview(second));
  first.id = MUST(s().InsertReview(first));
  EXPECT_NE(first.id, second.id);
  auto reviews = MUST(s().QueryReviews());
  ASSERT_EQ(reviews.size(), 2u);
  EXPECT_EQ(reviews[0].id, first.id);
  EXPECT_EQ(reviews[0].at, T(1000));
  EXPECT_EQ(reviews[0].recorded_by, "bob");
  EXPECT_EQ(reviews[0].participants, first.participants);
  EXPECT_EQ(reviews[0].notes, first.notes);
  EXPECT_EQ(reviews[0].covered_since, std::nullopt);
  EXPECT_TRUE(reviews[0].vuln_ids.empty());
  EXPECT_EQ(reviews[1].id, second.id);
  EXPECT_EQ(reviews[1].participants, second.participants);
  EXPECT_EQ(reviews[1].notes, second.notes);
  EXPECT_EQ(reviews[1].covered_since, T(1000));
  EXPECT_EQ(Sorted(reviews[1].vuln_ids), Sorted(std::vector<int64_t>{v1, v3}));
}

// ---- Findings and attributions ---------------------------------------------------------

TEST_P(StoreConformance, FindingsOnAssetRoundTripWithTheScannersAttribution) {
  int64_t net = AddScanner("net");
  int64_t agent = AddScanner("agents", "agent");
  int64_t code = AddScanner("sast", "code");
  int64_t scan = AddScan(net, "s1");
  int64_t scan2 = AddScan(agent, "s2");
  int64_t scan3 = AddScan(code, "s3");
  int64_t asset = AddAsset("web");
  int64_t other_asset = AddAsset("db");
  VulnerabilityDef def{.key = "tenable:19506",
                       .source = "tenable",
                       .source_id = "19506",
                       .title = "t",
                       .check_type = "combined"};
  int64_t vuln = MUST(s().InsertVulnerability(def, {.class_name = "LOW"}, T(1)));
  FindingRecord f{.vuln_id = vuln,
                  .asset_id = asset,
                  .port = 65535,
                  .protocol = "udp",
                  .location = "/usr/lib/libssl.so.3",
                  .service = "https? 'svc'",
                  .package = {.name = "openssl",
                              .version = "3.0.11-1~deb12u1",
                              .purl = "pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64",
                              .path = "/var/lib/dpkg/status",
                              .fixed_version = "3.0.13-1~deb12u1"},
                  .qod = 0,
                  .state = FindingState::kReopened,
                  .first_seen = T(100),
                  .last_seen = T(kMaxInt),
                  .fixed_at = T(150),
                  .fixed_scan_id = scan,
                  .times_reopened = 3,
                  .absent_unverified = true};
  f.id = MUST(s().InsertFinding(f));
  int64_t elsewhere = AddFinding(vuln, other_asset, 1);
  AttributionRecord mine{.finding_id = f.id,
                         .scanner_id = net,
                         .presence = Presence::kAbsentUnverified,
                         .first_seen = T(100),
                         .last_seen = T(300),
                         .absent_since = T(250),
                         .last_scan_id = scan,
                         .output = HostileTexts().back(),
                         .output_hash = std::numeric_limits<int64_t>::min()};
  MUST_OK(s().InsertAttribution(mine));
  AddAttribution(f.id, agent, scan2, Presence::kPresent);
  AddAttribution(f.id, code, scan3, Presence::kAbsentVerified);

  auto on = MUST(s().FindingsOnAsset(asset, net));
  ASSERT_EQ(on.size(), 1u);
  const FindingRecord& got = on[0].finding;
  EXPECT_EQ(got.id, f.id);
  EXPECT_EQ(got.vuln_id, vuln);
  EXPECT_EQ(got.asset_id, asset);
  EXPECT_EQ(got.port, 65535);
  EXPECT_EQ(got.protocol, "udp");
  EXPECT_EQ(got.location, f.location);
  EXPECT_EQ(got.service, f.service);
  EXPECT_EQ(got.package, f.package);
  EXPECT_EQ(got.qod, 0);
  EXPECT_EQ(got.state, FindingState::kReopened);
  EXPECT_EQ(got.first_seen, T(100));
  EXPECT_EQ(got.last_seen, T(kMaxInt));
  EXPECT_EQ(got.fixed_at, T(150));
  EXPECT_EQ(got.fixed_scan_id, scan);
  EXPECT_EQ(got.times_reopened, 3);
  EXPECT_TRUE(got.absent_unverified);
  EXPECT_EQ(on[0].vuln_key, "tenable:19506");
  EXPECT_EQ(on[0].vuln_source_id, "19506");
  EXPECT_EQ(on[0].check_type, "combined");
  ASSERT_TRUE(on[0].mine);
  EXPECT_EQ(on[0].mine->finding_id, f.id);
  EXPECT_EQ(on[0].mine->scanner_id, net);
  EXPECT_EQ(on[0].mine->presence, Presence::kAbsentUnverified);
  EXPECT_EQ(on[0].mine->first_seen, T(100));
  EXPECT_EQ(on[0].mine->last_seen, T(300));
  EXPECT_EQ(on[0].mine->absent_since, T(250));
  EXPECT_EQ(on[0].mine->last_scan_id, scan);
  EXPECT_EQ(on[0].mine->output_hash, std::numeric_limits<int64_t>::min());
  // Other scanners' attributions not verified absent: the agent's (the code scanner's is).
  EXPECT_EQ(on[0].others_unresolved, 1);

  // From the agent's side: net's is unresolved (absent-unverified), the code scanner's not.
  auto by_agent = MUST(s().FindingsOnAsset(asset, agent));
  ASSERT_EQ(by_agent.size(), 1u);
  ASSERT_TRUE(by_agent[0].mine);
  EXPECT_EQ(by_agent[0].mine->presence, Presence::kPresent);
  EXPECT_EQ(by_agent[0].others_unresolved, 1);
  // A scanner without an attribution still gets the asset's findings.
  int64_t stranger = AddScanner("stranger");
  auto by_stranger = MUST(s().FindingsOnAsset(asset, stranger));
  ASSERT_EQ(by_stranger.size(), 1u);
  EXPECT_EQ(by_stranger[0].mine, std::nullopt);
  EXPECT_EQ(by_stranger[0].others_unresolved, 2);

  auto other = MUST(s().FindingsOnAsset(other_asset, net));
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].finding.id, elsewhere);
  EXPECT_EQ(other[0].finding.location, "");
  EXPECT_EQ(other[0].finding.package, FindingPackage{});
  EXPECT_EQ(other[0].finding.qod, std::nullopt);
  EXPECT_EQ(other[0].finding.fixed_at, std::nullopt);
  EXPECT_EQ(other[0].finding.fixed_scan_id, 0);
  EXPECT_TRUE(MUST(s().FindingsOnAsset(other_asset + asset + 10, net)).empty());
}

// An import's host: its new findings at once, each with its attribution and evidence, as
// InsertFinding and InsertAttribution would write them one by one.
TEST_P(StoreConformance, InsertFindingsStoresEachWithItsAttributionAndEvidence) {
  int64_t net = AddScanner("net");
  int64_t scan = AddScan(net, "s1");
  int64_t asset = AddAsset("web");
  int64_t vuln = AddVuln("tenable:1");
  int64_t vuln2 = AddVuln("tenable:2");
  std::vector<NewFinding> rows;
  for (int i = 0; i < 4; ++i) {
    NewFinding n;
    n.finding = {.vuln_id = i == 2 ? vuln2 : vuln,
                 .asset_id = asset,
                 .port = 443 + i,
                 .protocol = "tcp",
                 .location = i == 1 ? HostileTexts()[1] : "",
                 .service = i == 0 ? "" : "https",
                 .package = {.name = i == 3 ? "openssl" : "", .purl = i == 3 ? "pkg:deb/x" : ""},
                 .qod = i == 3 ? std::optional<int>(70) : std::nullopt,
                 .state = i == 3 ? FindingState::kInactive : FindingState::kOpen,
                 .first_seen = T(10),
                 .last_seen = T(10 + i)};
    n.attribution = {.scanner_id = net,
                     .presence = i == 2 ? Presence::kAbsentUnverified : Presence::kPresent,
                     .first_seen = T(10),
                     .last_seen = T(10 + i),
                     .absent_since = i == 2 ? std::optional(T(11)) : std::nullopt,
                     .last_scan_id = scan,
                     .output = HostileTexts()[static_cast<size_t>(i) % HostileTexts().size()],
                     .output_hash = 7 + i};
    rows.push_back(n);
  }
  MUST_OK(InTransaction(s(), [&] { return s().InsertFindings(rows); }));
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_LT(rows[i - 1].finding.id, rows[i].finding.id);  // in the rows' order
    EXPECT_EQ(rows[i].attribution.finding_id, rows[i].finding.id);
  }
  auto on = MUST(s().FindingsOnAsset(asset, net));
  ASSERT_EQ(on.size(), rows.size());
  std::map<int64_t, std::string> outputs;
  MUST_OK(s().ForEachRow("evidence", {"finding_id", "scan_id", "output"}, {},
                         [&](const std::vector<Cell>& row) -> Status {
                           EXPECT_EQ(row[1], Cell::Int(scan));
                           outputs[row[0].i] = row[2].text;
                           return Status::Ok();
                         }));
  for (const NewFinding& want : rows) {
    auto got = std::find_if(on.begin(), on.end(), [&](const FindingOnAsset& f) {
      return f.finding.id == want.finding.id;
    });
    ASSERT_NE(got, on.end());
    FindingRecord expected = want.finding;
    EXPECT_EQ(got->finding.vuln_id, expected.vuln_id);
    EXPECT_EQ(got->finding.port, expected.port);
    EXPECT_EQ(got->finding.location, expected.location);
    EXPECT_EQ(got->finding.service, expected.service);
    EXPECT_EQ(got->finding.package, expected.package);
    EXPECT_EQ(got->finding.qod, expected.qod);
    EXPECT_EQ(got->finding.state, expected.state);
    EXPECT_EQ(got->finding.last_seen, expected.last_seen);
    ASSERT_TRUE(got->mine);
    EXPECT_EQ(got->mine->presence, want.attribution.presence);
    EXPECT_EQ(got->mine->absent_since, want.attribution.absent_since);
    EXPECT_EQ(got->mine->last_scan_id, scan);
    EXPECT_EQ(got->mine->output_hash, want.attribution.output_hash);
    EXPECT_EQ(outputs[want.finding.id], want.attribution.output);
  }
  // Outside a transaction: a transaction of its own.
  std::vector<NewFinding> more = {rows[0]};
  more[0].finding.port = 8443;
  MUST_OK(s().InsertFindings(more));
  EXPECT_EQ(MUST(s().FindingsOnAsset(asset, net)).size(), rows.size() + 1);
  std::vector<NewFinding> none;
  MUST_OK(s().InsertFindings(none));
  // A finding of a vulnerability that does not exist: refused (at the latest by the commit),
  // and nothing of the transaction is written.
  std::vector<NewFinding> orphan = {rows[0]};
  orphan[0].finding.vuln_id = vuln2 + 100;
  orphan[0].finding.port = 1;
  std::vector<NewFinding> fine = {rows[0]};
  fine[0].finding.port = 2;
  EXPECT_FALSE(InTransaction(s(), [&]() -> Status {
                 RETURN_IF_ERROR(s().InsertFindings(fine));
                 return s().InsertFindings(orphan);
               }).ok());
  EXPECT_EQ(MUST(s().FindingsOnAsset(asset, net)).size(), rows.size() + 1);
  // An attribution whose finding does not exist: refused alike.
  std::vector<NewFinding> stray = {rows[0]};
  stray[0].finding.port = 3;
  stray[0].attribution.scanner_id = net + 100;
  EXPECT_FALSE(InTransaction(s(), [&] { return s().InsertFindings(stray); }).ok());
  EXPECT_EQ(MUST(s().FindingsOnAsset(asset, net)).size(), rows.size() + 1);
}

// The per-finding tables declare no foreign keys (store/reference_ledger.h): a reference an
// update writes is checked at the commit as an insert's is. Each refusal leaves the row as it
// was; the same writes with existing rows go through.
TEST_P(StoreConformance, ReferencesWrittenByUpdatesAreCheckedAtCommit) {
  int64_t net = AddScanner("net");
  int64_t scan = AddScan(net, "s1");
  int64_t asset = AddAsset("web");
  int64_t vuln = AddVuln("tenable:1");
  int64_t finding = AddFinding(vuln, asset, 443, FindingState::kOpen, 100, 200);
  AddAttribution(finding, net, scan, Presence::kPresent, 100, 200, "first output");
  const int64_t missing = scan + 100;
  AttributionRecord moved = *MUST(s().FindingsOnAsset(asset, net)).at(0).mine;
  moved.last_scan_id = missing;
  Status st = InTransaction(s(), [&] { return s().UpdateAttribution(moved, false); });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("1 of scans"), std::string::npos) << st.message();
  moved.output = "second output";
  EXPECT_FALSE(s().UpdateAttribution(moved, true).ok());  // a transaction of its own
  EXPECT_FALSE(
      InTransaction(s(), [&] { return s().TouchPresent(asset, net, missing, T(300)); }).ok());
  FindingRecord fixed = MUST(s().FindingsOnAsset(asset, net)).at(0).finding;
  fixed.state = FindingState::kFixed;
  fixed.fixed_at = T(300);
  fixed.fixed_scan_id = missing;
  EXPECT_FALSE(s().UpdateFinding(fixed).ok());
  FindingOnAsset kept = MUST(s().FindingsOnAsset(asset, net)).at(0);
  EXPECT_EQ(kept.finding.state, FindingState::kOpen);
  EXPECT_EQ(kept.mine->last_scan_id, scan);
  EXPECT_EQ(kept.mine->last_seen, T(200));
  // With rows that exist.
  int64_t scan2 = AddScan(net, "s2");
  moved.last_scan_id = scan2;
  MUST_OK(InTransaction(s(), [&] { return s().UpdateAttribution(moved, true); }));
  MUST_OK(InTransaction(s(), [&] { return s().TouchPresent(asset, net, scan2, T(300)); }));
  fixed.fixed_scan_id = scan2;
  MUST_OK(s().UpdateFinding(fixed));
  kept = MUST(s().FindingsOnAsset(asset, net)).at(0);
  EXPECT_EQ(kept.finding.state, FindingState::kFixed);
  EXPECT_EQ(kept.finding.fixed_scan_id, scan2);
  EXPECT_EQ(kept.mine->last_scan_id, scan2);
}

TEST_P(StoreConformance, UpdateFindingWritesItsState) {
  int64_t net = AddScanner("net");
  int64_t scan = AddScan(net, "s1");
  int64_t asset = AddAsset("web");
  int64_t vuln = AddVuln("tenable:1");
  int64_t id = AddFinding(vuln, asset, 443);
  FindingRecord f = FindingOf(asset, id);
  f.service = "www";
  f.state = FindingState::kFixed;
  f.first_seen = T(50);
  f.last_seen = T(500);
  f.fixed_at = T(600);
  f.fixed_scan_id = scan;
  f.times_reopened = 2;
  f.absent_unverified = true;
  f.package = {.name = "n", .version = "1", .purl = "p", .path = "/x", .fixed_version = "2"};
  f.qod = 70;
  MUST_OK(s().UpdateFinding(f));
  FindingRecord got = FindingOf(asset, id);
  EXPECT_EQ(got.service, "www");
  EXPECT_EQ(got.state, FindingState::kFixed);
  EXPECT_EQ(got.first_seen, T(50));
  EXPECT_EQ(got.last_seen, T(500));
  EXPECT_EQ(got.fixed_at, T(600));
  EXPECT_EQ(got.fixed_scan_id, scan);
  EXPECT_EQ(got.times_reopened, 2);
  EXPECT_TRUE(got.absent_unverified);
  EXPECT_EQ(got.package, f.package);
  EXPECT_EQ(got.qod, 70);
  // And back: unset values are written as unset.
  f.state = FindingState::kReopened;
  f.fixed_at = std::nullopt;
  f.fixed_scan_id = 0;
  f.absent_unverified = false;
  f.package = {};
  f.qod = std::nullopt;
  f.service = "";
  MUST_OK(s().UpdateFinding(f));
  got = FindingOf(asset, id);
  EXPECT_EQ(got.state, FindingState::kReopened);
  EXPECT_EQ(got.fixed_at, std::nullopt);
  EXPECT_EQ(got.fixed_scan_id, 0);
  EXPECT_FALSE(got.absent_unverified);
  EXPECT_EQ(got.package, FindingPackage{});
  EXPECT_EQ(got.qod, std::nullopt);
  EXPECT_EQ(got.service, "");
}

TEST_P(StoreConformance, AFindingsIdentityIsUnique) {
  int64_t asset = AddAsset("web");
  int64_t vuln = AddVuln("tenable:1");
  AddFinding(vuln, asset, 443);
  FindingRecord again{.vuln_id = vuln, .asset_id = asset, .port = 443, .protocol = "tcp"};
  EXPECT_FALSE(s().InsertFinding(again).ok());
  again.protocol = "udp";
  EXPECT_TRUE(s().InsertFinding(again).ok());
  again.location = "/opt/app/package.json";
  EXPECT_TRUE(s().InsertFinding(again).ok());
}

// The evidence (each output a scanner reported) is read the way verification reads tables:
// ForEachRow over `evidence`.
TEST_P(StoreConformance, AttributionsKeepEveryEarlierEvidence) {
  int64_t net = AddScanner("net");
  int64_t s1 = AddScan(net, "s1");
  int64_t s2 = AddScan(net, "s2");
  int64_t s3 = AddScan(net, "s3");
  int64_t asset = AddAsset("web");
  int64_t vuln = AddVuln("tenable:1");
  int64_t finding = AddFinding(vuln, asset, 443);
  AttributionRecord a{.finding_id = finding,
                      .scanner_id = net,
                      .presence = Presence::kPresent,
                      .first_seen = T(100),
                      .last_seen = T(100),
                      .last_scan_id = s1,
                      .output = "first output",
                      .output_hash = 11};
  MUST_OK(s().InsertAttribution(a));

  // Without output: the attribution changes, the evidence and its hash do not.
  a.presence = Presence::kAbsentUnverified;
  a.last_seen = T(200);
  a.absent_since = T(200);
  a.last_scan_id = s2;
  a.output = "not stored";
  a.output_hash = 22;
  MUST_OK(s().UpdateAttribution(a, /*with_output=*/false));
  auto got = AttributionOf(asset, finding, net);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->presence, Presence::kAbsentUnverified);
  EXPECT_EQ(got->last_seen, T(200));
  EXPECT_EQ(got->absent_since, T(200));
  EXPECT_EQ(got->last_scan_id, s2);
  EXPECT_EQ(got->first_seen, T(100));
  EXPECT_EQ(got->output_hash, 11);

  // With output: new evidence, the earlier kept.
  a.presence = Presence::kPresent;
  a.absent_since = std::nullopt;
  a.last_seen = T(300);
  a.last_scan_id = s3;
  a.output = HostileTexts().back();
  a.output_hash = 33;
  MUST_OK(s().UpdateAttribution(a, /*with_output=*/true));
  got = AttributionOf(asset, finding, net);
  EXPECT_EQ(got->presence, Presence::kPresent);
  EXPECT_EQ(got->absent_since, std::nullopt);
  EXPECT_EQ(got->last_scan_id, s3);
  EXPECT_EQ(got->output_hash, 33);

  auto evidence = Rows("evidence", {"id", "finding_id", "scanner_id", "scan_id", "output"},
                       {{"finding_id", finding}});
  ASSERT_EQ(evidence.size(), 2u);
  EXPECT_EQ(evidence[0][1], Cell::Int(finding));
  EXPECT_EQ(evidence[0][2], Cell::Int(net));
  EXPECT_EQ(evidence[0][3], Cell::Int(s1));
  EXPECT_EQ(evidence[0][4], Cell::Text("first output"));
  EXPECT_EQ(evidence[1][3], Cell::Int(s3));
  EXPECT_EQ(evidence[1][4], Cell::Text(HostileTexts().back()));
}

TEST_P(StoreConformance, TouchPresentUpdatesOnlyThatScannersPresentAttributionsOnThatAsset) {
  int64_t net = AddScanner("net");
  int64_t agent = AddScanner("agents", "agent");
  int64_t s1 = AddScan(net, "s1");
  int64_t s2 = AddScan(agent, "s2");
  int64_t s9 = AddScan(net, "s9");
  int64_t asset = AddAsset("web");
  int64_t other_asset = AddAsset("db");
  int64_t vuln = AddVuln("tenable:1");
  int64_t both = AddFinding(vuln, asset, 1, FindingState::kOpen, 100, 200);
  int64_t absent = AddFinding(vuln, asset, 2, FindingState::kOpen, 100, 200);
  int64_t agent_only = AddFinding(vuln, asset, 3, FindingState::kOpen, 100, 200);
  int64_t on_other = AddFinding(vuln, other_asset, 1, FindingState::kOpen, 100, 200);
  AddAttribution(both, net, s1, Presence::kPresent, 100, 200);
  AddAttribution(both, agent, s2, Presence::kPresent, 100, 200);
  AddAttribution(absent, net, s1, Presence::kAbsentUnverified, 100, 200);
  AddAttribution(agent_only, agent, s2, Presence::kPresent, 100, 200);
  AddAttribution(on_other, net, s1, Presence::kPresent, 100, 200);

  MUST_OK(s().TouchPresent(asset, net, s9, T(500)));

  auto touched = AttributionOf(asset, both, net);
  EXPECT_EQ(touched->last_seen, T(500));
  EXPECT_EQ(touched->last_scan_id, s9);
  EXPECT_EQ(touched->first_seen, T(100));
  EXPECT_EQ(touched->presence, Presence::kPresent);
  EXPECT_EQ(FindingOf(asset, both).last_seen, T(500));
  // Another scanner's attribution of the same finding: untouched.
  EXPECT_EQ(AttributionOf(asset, both, agent)->last_seen, T(200));
  EXPECT_EQ(AttributionOf(asset, both, agent)->last_scan_id, s2);
  // Not present: untouched, finding too.
  EXPECT_EQ(AttributionOf(asset, absent, net)->last_seen, T(200));
  EXPECT_EQ(AttributionOf(asset, absent, net)->last_scan_id, s1);
  EXPECT_EQ(FindingOf(asset, absent).last_seen, T(200));
  // Only another scanner holds it: untouched.
  EXPECT_EQ(AttributionOf(asset, agent_only, agent)->last_seen, T(200));
  EXPECT_EQ(FindingOf(asset, agent_only).last_seen, T(200));
  // Another asset: untouched.
  EXPECT_EQ(AttributionOf(other_asset, on_other, net)->last_seen, T(200));
  EXPECT_EQ(AttributionOf(other_asset, on_other, net)->last_scan_id, s1);
  EXPECT_EQ(FindingOf(other_asset, on_other).last_seen, T(200));
}

// Not stated in store.h: a pass older than what an attribution or finding last saw moves
// neither last_seen back (SQLite keeps the later time), while the attribution's last_scan_id
// becomes the pass's.
TEST_P(StoreConformance, TouchPresentNeverMovesLastSeenBack) {
  int64_t net = AddScanner("net");
  int64_t s1 = AddScan(net, "s1");
  int64_t s0 = AddScan(net, "s0");
  int64_t asset = AddAsset("web");
  int64_t vuln = AddVuln("tenable:1");
  int64_t finding = AddFinding(vuln, asset, 1, FindingState::kOpen, 100, 900);
  AddAttribution(finding, net, s1, Presence::kPresent, 100, 900);
  MUST_OK(s().TouchPresent(asset, net, s0, T(400)));
  EXPECT_EQ(AttributionOf(asset, finding, net)->last_seen, T(900));
  EXPECT_EQ(AttributionOf(asset, finding, net)->last_scan_id, s0);
  EXPECT_EQ(FindingOf(asset, finding).last_seen, T(900));
}

// ---- Settings --------------------------------------------------------------------------

TEST_P(StoreConformance, SettingsGetPutAndOverwrite) {
  EXPECT_EQ(MUST(s().GetSetting("classification")), std::nullopt);
  MUST_OK(s().PutSetting("classification", "{\"profile\":\"ncssr\"}"));
  EXPECT_EQ(MUST(s().GetSetting("classification")), "{\"profile\":\"ncssr\"}");
  MUST_OK(s().PutSetting("classification", "second"));
  EXPECT_EQ(MUST(s().GetSetting("classification")), "second");
  // An empty value is a value, not a missing setting.
  MUST_OK(s().PutSetting("empty", ""));
  EXPECT_EQ(MUST(s().GetSetting("empty")), std::optional<std::string>(""));
  EXPECT_EQ(MUST(s().GetSetting("Classification")), std::nullopt);
  int n = 0;
  for (const std::string& text : HostileTexts()) {
    size_t cut = std::min<size_t>(40, text.size());  // at a character's start: valid UTF-8
    while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    std::string key = "k" + std::to_string(n++) + text.substr(0, cut);
    MUST_OK(s().PutSetting(key, text));
    EXPECT_EQ(MUST(s().GetSetting(key)), text);
    MUST_OK(s().PutSetting(text, key));
    EXPECT_EQ(MUST(s().GetSetting(text)), key);
  }
}

// ---- Inventory -------------------------------------------------------------------------

TEST_P(StoreConformance, InventoryIsReplacedWholeAndReadWhole) {
  EXPECT_TRUE(MUST(s().QueryInventory()).empty());
  std::vector<InventoryEntry> first = {
      {.name = "web",
       .addresses = {"10.0.0.1", "web.example.com"},
       .zone = "dmz",
       .site = "Zürich 'HQ'",
       .owner = "ops@example.com",
       .scanners = {"net", "agents"}},
      {.name = "db", .addresses = {"10.0.0.2"}},
  };
  MUST_OK(s().ReplaceInventory(first, T(100)));
  auto got = SortedBy(MUST(s().QueryInventory()), [](const InventoryEntry& e) { return e.name; });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].name, "db");
  EXPECT_EQ(got[0].addresses, std::vector<std::string>{"10.0.0.2"});
  EXPECT_EQ(got[0].zone, "");
  EXPECT_EQ(got[0].site, "");
  EXPECT_EQ(got[0].owner, "");
  EXPECT_TRUE(got[0].scanners.empty());
  EXPECT_EQ(got[1].name, "web");
  EXPECT_EQ(got[1].addresses, first[0].addresses);
  EXPECT_EQ(got[1].zone, "dmz");
  EXPECT_EQ(got[1].site, "Zürich 'HQ'");
  EXPECT_EQ(got[1].owner, "ops@example.com");
  EXPECT_EQ(got[1].scanners, first[0].scanners);

  MUST_OK(s().ReplaceInventory({{.name = "mail", .addresses = {"10.0.0.3"}}}, T(200)));
  got = MUST(s().QueryInventory());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].name, "mail");
  MUST_OK(s().ReplaceInventory({}, T(300)));
  EXPECT_TRUE(MUST(s().QueryInventory()).empty());
}

// ---- Notifications ---------------------------------------------------------------------

NotificationRecord Notification(const std::string& key, int64_t created,
                                const std::string& rule = "digest",
                                const std::string& kind = "digest",
                                const std::string& channel = "email") {
  return NotificationRecord{.rule = rule,
                            .channel = channel,
                            .kind = kind,
                            .key = key,
                            .subject = "2024-03-12",
                            .title = "vigil: 3 new vulnerabilities",
                            .content = "{\"body\":\"" + key + "\"}",
                            .created_at = T(created),
                            .state = "pending",
                            .attempts = 0,
                            .next_attempt_at = T(created)};
}

void ExpectSameNotification(const NotificationRecord& got, const NotificationRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.rule, want.rule);
  EXPECT_EQ(got.channel, want.channel);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.key, want.key);
  EXPECT_EQ(got.subject, want.subject);
  EXPECT_EQ(got.title, want.title);
  EXPECT_EQ(got.content, want.content);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.attempts, want.attempts);
  EXPECT_EQ(got.next_attempt_at, want.next_attempt_at);
  EXPECT_EQ(got.last_error, want.last_error);
  EXPECT_EQ(got.sent_at, want.sent_at);
  EXPECT_EQ(got.result, want.result);
}

TEST_P(StoreConformance, NotificationsAreUniquePerKey) {
  NotificationRecord n = Notification("digest:2024-03-12:email", 100);
  n.content = HostileTexts().back();
  n.title = HostileTexts()[6];
  n.subject = HostileTexts()[1];
  auto id = MUST(s().InsertNotification(n));
  ASSERT_TRUE(id);
  n.id = *id;
  NotificationRecord dup = Notification("digest:2024-03-12:email", 999, "other");
  EXPECT_EQ(MUST(s().InsertNotification(dup)), std::nullopt);
  auto all = MUST(s().QueryNotifications({}));
  ASSERT_EQ(all.size(), 1u);
  ExpectSameNotification(all[0], n);
  auto second = MUST(s().InsertNotification(Notification("digest:2024-03-13:email", 200)));
  ASSERT_TRUE(second);
  EXPECT_NE(*second, n.id);
}

TEST_P(StoreConformance, UpdateNotificationIsConditionalOnTheStateAndAttemptsRead) {
  NotificationRecord n = Notification("k", 100);
  n.id = *MUST(s().InsertNotification(n));
  NotificationRecord sending = n;
  sending.state = "sending";
  sending.attempts = 1;
  sending.next_attempt_at = T(700);
  // Not delivery fields: not written.
  sending.title = "CHANGED";
  sending.content = "CHANGED";
  sending.rule = "CHANGED";
  EXPECT_TRUE(MUST(s().UpdateNotification(sending, "pending", 0)));
  NotificationRecord want = n;
  want.state = "sending";
  want.attempts = 1;
  want.next_attempt_at = T(700);
  ExpectSameNotification(MUST(s().QueryNotifications({}))[0], want);

  // A second dispatcher that read the row before the first changed it: refused, nothing
  // written.
  NotificationRecord stale = n;
  stale.state = "failed";
  stale.last_error = "should not be written";
  EXPECT_FALSE(MUST(s().UpdateNotification(stale, "pending", 0)));
  EXPECT_FALSE(MUST(s().UpdateNotification(stale, "sending", 0)));
  EXPECT_FALSE(MUST(s().UpdateNotification(stale, "pending", 1)));
  ExpectSameNotification(MUST(s().QueryNotifications({}))[0], want);

  NotificationRecord sent = want;
  sent.state = "sent";
  sent.attempts = 2;
  sent.next_attempt_at = T(kMaxInt);
  sent.last_error = "421 'try again' 🙃";
  sent.sent_at = T(800);
  sent.result = "<20240312.abc@example.com>";
  EXPECT_TRUE(MUST(s().UpdateNotification(sent, "sending", 1)));
  ExpectSameNotification(MUST(s().QueryNotifications({}))[0], sent);
}

TEST_P(StoreConformance, QueryNotificationsFiltersOrdersAndLimits) {
  std::vector<int64_t> ids;
  auto add = [&](const std::string& key, int64_t created, const std::string& rule,
                 const std::string& kind, const std::string& channel, const std::string& state,
                 int64_t next) {
    NotificationRecord n = Notification(key, created, rule, kind, channel);
    n.state = state;
    n.next_attempt_at = T(next);
    ids.push_back(*MUST(s().InsertNotification(n)));
  };
  add("a", 100, "digest", "digest", "email", "pending", 100);   // 0
  add("b", 200, "stale", "alert", "webhook", "pending", 500);   // 1
  add("c", 300, "stale", "alert-end", "webhook", "sent", 300);  // 2
  add("d", 400, "jira", "ticket", "jira", "failed", 400);       // 3
  add("e", 500, "digest", "digest", "email", "sending", 250);   // 4
  auto got = [&](const NotificationQuery& q) {
    std::vector<int64_t> out;
    for (const auto& n : MUST(s().QueryNotifications(q))) {
      out.push_back(n.id);
    }
    return out;
  };
  std::vector<int64_t> all = ids;
  EXPECT_EQ(got({}), all);  // oldest first
  EXPECT_EQ(got({.newest_first = true}), std::vector<int64_t>(all.rbegin(), all.rend()));
  EXPECT_EQ(got({.limit = 2}), (std::vector<int64_t>{ids[0], ids[1]}));
  EXPECT_EQ(got({.newest_first = true, .limit = 2}), (std::vector<int64_t>{ids[4], ids[3]}));
  EXPECT_EQ(got({.states = {"pending"}}), (std::vector<int64_t>{ids[0], ids[1]}));
  EXPECT_EQ(got({.states = {"pending", "sending"}}),
            (std::vector<int64_t>{ids[0], ids[1], ids[4]}));
  EXPECT_EQ(got({.due_by = T(250)}), (std::vector<int64_t>{ids[0], ids[4]}));  // <=
  EXPECT_EQ(got({.states = {"pending", "sending"}, .due_by = T(500)}),
            (std::vector<int64_t>{ids[0], ids[1], ids[4]}));
  EXPECT_EQ(got({.states = {"pending"}, .due_by = T(499)}), std::vector<int64_t>{ids[0]});
  EXPECT_EQ(got({.rule = "stale"}), (std::vector<int64_t>{ids[1], ids[2]}));
  EXPECT_EQ(got({.kind = "alert"}), std::vector<int64_t>{ids[1]});
  EXPECT_EQ(got({.channel = "email"}), (std::vector<int64_t>{ids[0], ids[4]}));
  EXPECT_EQ(got({.rule = "digest", .channel = "email", .newest_first = true, .limit = 1}),
            std::vector<int64_t>{ids[4]});
  EXPECT_TRUE(got({.rule = "nobody"}).empty());
  EXPECT_TRUE(got({.states = {"nonsense"}}).empty());
}

// queries.h says "oldest first" without saying by what: SQLite orders by the order of queueing
// (the id), not by created_at, and a claim takes the notifications in that order.
TEST_P(StoreConformance, QueryNotificationsOldestFirstIsTheOrderOfQueueing) {
  int64_t first = *MUST(s().InsertNotification(Notification("queued-first", 500)));
  int64_t second = *MUST(s().InsertNotification(Notification("queued-second", 100)));
  std::vector<int64_t> ids;
  for (const auto& n : MUST(s().QueryNotifications({}))) {
    ids.push_back(n.id);
  }
  EXPECT_EQ(ids, (std::vector<int64_t>{first, second}));
}

TEST_P(StoreConformance, NotificationAttemptsInTheOrderMade) {
  int64_t id = *MUST(s().InsertNotification(Notification("k", 100)));
  int64_t other = *MUST(s().InsertNotification(Notification("k2", 100)));
  MUST_OK(s().InsertNotificationAttempt(
      {.notification_id = id, .at = T(100), .outcome = "retry", .detail = "451 'greylisted'"}));
  MUST_OK(
      s().InsertNotificationAttempt({.notification_id = other, .at = T(150), .outcome = "sent"}));
  MUST_OK(s().InsertNotificationAttempt(
      {.notification_id = id, .at = T(200), .outcome = "in-doubt", .detail = HostileTexts()[5]}));
  MUST_OK(s().InsertNotificationAttempt({.notification_id = id, .at = T(300), .outcome = "sent"}));
  auto attempts = MUST(s().NotificationAttemptsOf(id));
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].notification_id, id);
  EXPECT_EQ(attempts[0].at, T(100));
  EXPECT_EQ(attempts[0].outcome, "retry");
  EXPECT_EQ(attempts[0].detail, "451 'greylisted'");
  EXPECT_EQ(attempts[1].outcome, "in-doubt");
  EXPECT_EQ(attempts[1].detail, HostileTexts()[5]);
  EXPECT_EQ(attempts[2].outcome, "sent");
  EXPECT_EQ(attempts[2].detail, "");
  EXPECT_EQ(MUST(s().NotificationAttemptsOf(other)).size(), 1u);
  EXPECT_TRUE(MUST(s().NotificationAttemptsOf(id + other + 10)).empty());
}

TEST_P(StoreConformance, AlertConditionsAreInsertedOrReplacedByRuleAndCondition) {
  EXPECT_TRUE(MUST(s().QueryAlertConditions()).empty());
  MUST_OK(s().PutAlertCondition({.rule = "ops",
                                 .condition = "scanner-stale:agents",
                                 .detail = "last scan 3 days ago",
                                 .started_at = T(100)}));
  MUST_OK(s().PutAlertCondition({.rule = "security",
                                 .condition = "scanner-stale:agents",
                                 .detail = "other rule",
                                 .started_at = T(150)}));
  MUST_OK(s().PutAlertCondition({.rule = "ops",
                                 .condition = "scanner-stale:agents",
                                 .detail = "ended 'ok'",
                                 .started_at = T(100),
                                 .ended_at = T(200)}));
  auto got = SortedBy(MUST(s().QueryAlertConditions()),
                      [](const AlertConditionRecord& c) { return c.rule + "\n" + c.condition; });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].rule, "ops");
  EXPECT_EQ(got[0].condition, "scanner-stale:agents");
  EXPECT_EQ(got[0].detail, "ended 'ok'");
  EXPECT_EQ(got[0].started_at, T(100));
  EXPECT_EQ(got[0].ended_at, T(200));
  EXPECT_EQ(got[1].rule, "security");
  EXPECT_EQ(got[1].detail, "other rule");
  EXPECT_EQ(got[1].ended_at, std::nullopt);
  // Replaced again: an ended condition can start over.
  MUST_OK(s().PutAlertCondition({.rule = "ops",
                                 .condition = "scanner-stale:agents",
                                 .detail = "again",
                                 .started_at = T(300)}));
  got = SortedBy(MUST(s().QueryAlertConditions()),
                 [](const AlertConditionRecord& c) { return c.rule + "\n" + c.condition; });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].started_at, T(300));
  EXPECT_EQ(got[0].ended_at, std::nullopt);
}

TEST_P(StoreConformance, JiraLinksAreInsertedOrReplacedByVulnerabilityKey) {
  EXPECT_TRUE(MUST(s().QueryJiraLinks()).empty());
  MUST_OK(s().PutJiraLink({.vuln_key = "tenable:1",
                           .issue_key = "",
                           .synced_class = "HIGH",
                           .synced_state = "open",
                           .updated_at = T(100)}));
  MUST_OK(s().PutJiraLink({.vuln_key = "tenable:2",
                           .issue_key = "SEC-2",
                           .synced_class = "LOW",
                           .synced_state = "open",
                           .updated_at = T(110)}));
  MUST_OK(s().PutJiraLink({.vuln_key = "tenable:1",
                           .issue_key = "SEC-1",
                           .synced_class = "CRITICAL",
                           .synced_state = "fixed",
                           .updated_at = T(200)}));
  auto got =
      SortedBy(MUST(s().QueryJiraLinks()), [](const JiraLinkRecord& l) { return l.vuln_key; });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].vuln_key, "tenable:1");
  EXPECT_EQ(got[0].issue_key, "SEC-1");
  EXPECT_EQ(got[0].synced_class, "CRITICAL");
  EXPECT_EQ(got[0].synced_state, "fixed");
  EXPECT_EQ(got[0].updated_at, T(200));
  EXPECT_EQ(got[1].issue_key, "SEC-2");
}

}  // namespace
}  // namespace vigil::conformance
