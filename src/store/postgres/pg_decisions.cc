// PgStore: users, tokens, decisions and their history, class history, reviews, the KEV
// catalog, settings, and whole vulnerability definitions read back.
#include "core/text.h"
#include "store/postgres/pg_store.h"

namespace vigil::postgres {
namespace {

constexpr const char* kDecisionColumns =
    "d.id, d.vuln_id, v.key, d.type, d.reason, d.basis, d.new_class, d.new_score, d.assets, "
    "d.port, d.expires_at, d.target_at, d.author, d.created_at, d.state, d.decided_by, "
    "d.decided_at, d.decided_basis, d.effective_at, d.ended_at, d.superseded_by";

DecisionRecord ReadDecision(const Row& row) {
  DecisionRecord d;
  d.id = row.Int(0);
  d.vuln_id = row.Int(1);
  d.vuln_key = row.Text(2);
  d.type = ParseDecisionType(row.Text(3)).value_or(DecisionType::kRecast);
  d.reason = ParseReasonCategory(row.Text(4)).value_or(ReasonCategory::kOther);
  d.basis = row.Text(5);
  d.new_class = row.Text(6);
  d.new_score = row.OptDouble(7);
  d.assets = SplitNonEmpty(row.Text(8), "\n");
  if (auto port = row.OptInt(9)) {
    d.port = static_cast<int>(*port);
  }
  d.expires_at = row.OptTime(10);
  d.target_at = row.OptTime(11);
  d.author = row.Text(12);
  d.created_at = row.Time(13);
  d.state = ParseDecisionState(row.Text(14)).value_or(DecisionState::kPending);
  d.decided_by = row.Text(15);
  d.decided_at = row.OptTime(16);
  d.decided_basis = row.Text(17);
  d.effective_at = row.OptTime(18);
  d.ended_at = row.OptTime(19);
  d.superseded_by = row.OptInt(20).value_or(0);
  return d;
}

std::pair<VulnerabilityDef, VulnStamp> ReadVulnerability(const Row& row) {
  VulnerabilityDef d;
  d.key = row.Text(1);
  d.source = row.Text(2);
  d.source_id = row.Text(3);
  d.title = row.Text(4);
  d.family = row.Text(5);
  d.synopsis = row.Text(6);
  d.description = row.Text(7);
  d.solution = row.Text(8);
  d.risk_factor = row.Text(9);
  if (auto sev = row.OptInt(10)) {
    d.scanner_severity = static_cast<int>(*sev);
  }
  d.cvss2_vector = row.Text(11);
  d.cvss2_score = row.OptDouble(12);
  d.cvss3_vector = row.Text(13);
  d.cvss3_score = row.OptDouble(14);
  d.cvss4_vector = row.Text(15);
  d.cvss4_score = row.OptDouble(16);
  d.vpr_score = row.OptDouble(17);
  d.epss_score = row.OptDouble(18);
  if (auto e = row.OptInt(19)) {
    d.exploit_available = *e != 0;
  }
  d.check_type = row.Text(20);
  d.published = row.OptTime(21);
  d.modified = row.OptTime(22);
  d.patch_published = row.OptTime(23);
  d.vuln_published = row.OptTime(24);
  for (const auto& ref : SplitNonEmpty(row.Text(32), "\x1e")) {
    size_t sep = ref.find('\x1f');
    if (sep != std::string::npos) {
      d.refs.push_back({ref.substr(0, sep), ref.substr(sep + 1)});
    }
  }
  VulnStamp stamp{.id = row.Int(0),
                  .content_hash = row.Int(30),
                  .defined_at = row.Time(31),
                  .cls = {.class_name = row.Text(25),
                          .class_source = row.Text(26),
                          .auto_class = row.Text(27),
                          .auto_source = row.Text(28),
                          .rating_score = row.OptDouble(29)}};
  return std::make_pair(std::move(d), stamp);
}

ClassChange ReadClassChange(const Row& row) {
  return ClassChange{.vuln_id = row.Int(0),
                     .at = row.Time(1),
                     .actor = row.Text(2),
                     .from_class = row.Text(3),
                     .to_class = row.Text(4),
                     .source = row.Text(5),
                     .decision_id = row.OptInt(6).value_or(0),
                     .note = row.Text(7)};
}

std::vector<std::string> StateNames(const std::vector<DecisionState>& states) {
  std::vector<std::string> out;
  out.reserve(states.size());
  for (DecisionState s : states) {
    out.emplace_back(ToString(s));
  }
  return out;
}

}  // namespace

Status PgStore::SetVulnerabilityClass(int64_t id, const VulnClass& cls) {
  return Run("UPDATE vulnerabilities SET class = $1, class_source = $2, auto_class = $3, "
             "auto_class_source = $4, rating_score = $5 WHERE id = $6",
             Params()
                 .Add(cls.class_name)
                 .Add(cls.class_source)
                 .Add(cls.auto_class)
                 .Add(cls.auto_source)
                 .Add(cls.rating_score)
                 .Add(id))
      .status();
}

Result<std::vector<std::pair<VulnerabilityDef, VulnStamp>>> PgStore::LoadVulnerabilities(
    const std::optional<std::string>& key) {
  // References in the order of their key (kind, value), as SQLite's group_concat reads them.
  static const std::string kSql =
      "SELECT id, key, source, source_id, title, family, synopsis, description, "
      "solution, risk_factor, scanner_severity, cvss2_vector, cvss2_score, "
      "cvss3_vector, cvss3_score, cvss4_vector, cvss4_score, vpr_score, "
      "epss_score, exploit_available, check_type, published, modified, "
      "patch_published, vuln_published, class, class_source, auto_class, "
      "auto_class_source, rating_score, content_hash, defined_at, "
      "(SELECT string_agg(kind || chr(31) || value, chr(30) ORDER BY kind, value) "
      "  FROM vulnerability_refs r WHERE r.vuln_id = v.id) "
      "FROM vulnerabilities v WHERE $1::text IS NULL OR key = $1::text ORDER BY key";
  std::vector<std::pair<VulnerabilityDef, VulnStamp>> out;
  RETURN_IF_ERROR(ForEach(kSql, Params().Add(key), [&](const Row& row) {
    out.push_back(ReadVulnerability(row));
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> PgStore::MaxVulnerabilityId() {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT coalesce(max(id), 0) FROM vulnerabilities", Params()));
  return r.Rows() > 0 ? r.Int(0, 0) : 0;
}

Result<std::vector<std::pair<VulnerabilityDef, VulnStamp>>> PgStore::AllVulnerabilities() {
  return LoadVulnerabilities(std::nullopt);
}

Result<std::optional<std::pair<VulnerabilityDef, VulnStamp>>> PgStore::LoadVulnerability(
    const std::string& key) {
  ASSIGN_OR_RETURN(auto all, LoadVulnerabilities(key));
  std::optional<std::pair<VulnerabilityDef, VulnStamp>> out;
  if (!all.empty()) {
    out = std::move(all.front());
  }
  return out;
}

Status PgStore::InsertUser(const UserRecord& u) {
  Params p;
  p.Add(u.name).Add(ToString(u.role)).Add(u.created_at).Add(u.created_by).Add(u.token_hash);
  p.Add(u.token_issued_by).Add(u.role_granted_by).AddText(u.password_hash);
  p.Add(u.password_set_at).AddText(u.enrolment_hash).Add(u.enrolment_expires_at);
  return Run("INSERT INTO users (id, name, role, created_at, created_by, token_hash, "
             "token_issued_by, role_granted_by, password_hash, password_set_at, enrolment_hash, "
             "enrolment_expires_at) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM users), $1, "
             "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
             p)
      .status();
}

Status PgStore::SetUserToken(const std::string& name, const std::string& token_hash,
                             const std::string& issued_by) {
  return Run("UPDATE users SET token_hash = $1, token_issued_by = $3 WHERE name = $2",
             Params().Add(token_hash).Add(name).Add(issued_by))
      .status();
}

Status PgStore::SetUserRole(const std::string& name, Role role, const std::string& granted_by) {
  return Run("UPDATE users SET role = $1, role_granted_by = $3 WHERE name = $2",
             Params().Add(ToString(role)).Add(name).Add(granted_by))
      .status();
}

Result<std::optional<UserRecord>> PgStore::FindUser(const std::string& name) {
  ASSIGN_OR_RETURN(auto users, QueryUsers());
  for (auto& u : users) {
    if (u.name == name) {
      return std::optional(std::move(u));
    }
  }
  return std::optional<UserRecord>();
}

Result<std::vector<UserRecord>> PgStore::QueryUsers() {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT name, role, created_at, created_by, token_hash, "
                                   "token_issued_by, role_granted_by, password_hash, "
                                   "password_set_at, enrolment_hash, enrolment_expires_at "
                                   "FROM users ORDER BY name",
                                   Params()));
  return MapRows(r, [](const Row& row) {
    return UserRecord{.name = row.Text(0),
                      .role = ParseRole(row.Text(1)).value_or(Role::kAuditor),
                      .created_at = row.Time(2),
                      .created_by = row.Text(3),
                      .token_hash = row.Text(4),
                      .token_issued_by = row.Text(5),
                      .role_granted_by = row.Text(6),
                      .password_hash = row.Text(7),
                      .password_set_at = row.OptTime(8),
                      .enrolment_hash = row.Text(9),
                      .enrolment_expires_at = row.OptTime(10)};
  });
}

Status PgStore::SetUserEnrolment(const std::string& name, const std::string& code_hash,
                                 Timestamp expires_at) {
  return Run("UPDATE users SET enrolment_hash = $1, enrolment_expires_at = $2 WHERE name = $3",
             Params().Add(code_hash).Add(expires_at).Add(name))
      .status();
}

Status PgStore::SetUserPassword(const std::string& name, const std::string& password_hash,
                                Timestamp set_at) {
  return Run("UPDATE users SET password_hash = $1, password_set_at = $2, enrolment_hash = NULL, "
             "enrolment_expires_at = NULL WHERE name = $3",
             Params().Add(password_hash).Add(set_at).Add(name))
      .status();
}

Result<int64_t> PgStore::InsertApiToken(const ApiTokenRecord& t) {
  Params p;
  p.Add(t.user).Add(t.label).Add(t.scopes).Add(t.token_hash).Add(t.created_at);
  p.Add(t.created_by).Add(t.expires_at);
  ASSIGN_OR_RETURN(PgResult r,
                   Run("INSERT INTO api_tokens (id, \"user\", label, scopes, token_hash, "
                       "created_at, created_by, expires_at) VALUES ((SELECT coalesce(max(id), 0) "
                       "+ 1 FROM api_tokens), $1, $2, $3, $4, $5, $6, $7) RETURNING id",
                       p));
  return r.Int(0, 0);
}

Status PgStore::RevokeApiToken(int64_t id, Timestamp at, const std::string& by) {
  return Run("UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3",
             Params().Add(at).Add(by).Add(id))
      .status();
}

Result<std::vector<ApiTokenRecord>> PgStore::QueryApiTokens() {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT id, \"user\", label, scopes, token_hash, created_at, "
                                   "created_by, expires_at, revoked_at, revoked_by "
                                   "FROM api_tokens ORDER BY id",
                                   Params()));
  return MapRows(r, [](const Row& row) {
    return ApiTokenRecord{.id = row.Int(0),
                          .user = row.Text(1),
                          .label = row.Text(2),
                          .scopes = row.Text(3),
                          .token_hash = row.Text(4),
                          .created_at = row.Time(5),
                          .created_by = row.Text(6),
                          .expires_at = row.Time(7),
                          .revoked_at = row.OptTime(8),
                          .revoked_by = row.Text(9)};
  });
}

Result<int64_t> PgStore::InsertDecision(const DecisionRecord& d) {
  std::string assets = Join(d.assets, "\n");
  Params p;
  p.Add(d.vuln_id).Add(ToString(d.type)).Add(ToString(d.reason)).Add(d.basis);
  p.AddText(d.new_class).Add(d.new_score).Add(assets).Add(d.port).Add(d.expires_at);
  p.Add(d.target_at).Add(d.author).Add(d.created_at).Add(ToString(d.state));
  p.AddText(d.decided_by).Add(d.decided_at).AddText(d.decided_basis).Add(d.effective_at);
  p.Add(d.ended_at);
  ASSIGN_OR_RETURN(
      PgResult r,
      Run("INSERT INTO decisions (id, vuln_id, type, reason, basis, new_class, new_score, "
          "assets, port, expires_at, target_at, author, created_at, state, decided_by, "
          "decided_at, decided_basis, effective_at, ended_at) VALUES ((SELECT coalesce(max(id), "
          "0) + 1 FROM decisions), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
          "$15, $16, $17, $18) RETURNING id",
          p));
  return r.Int(0, 0);
}

Status PgStore::UpdateDecisionState(const DecisionRecord& d) {
  Params p;
  p.Add(ToString(d.state)).AddText(d.decided_by).Add(d.decided_at).AddText(d.decided_basis);
  p.Add(d.effective_at).Add(d.ended_at);
  if (d.superseded_by != 0) {
    p.Add(d.superseded_by);
  } else {
    p.AddNull();
  }
  p.Add(d.id);
  return Run("UPDATE decisions SET state = $1, decided_by = $2, decided_at = $3, "
             "decided_basis = $4, effective_at = $5, ended_at = $6, superseded_by = $7 "
             "WHERE id = $8",
             p)
      .status();
}

Result<std::optional<DecisionRecord>> PgStore::FindDecision(int64_t id) {
  static const std::string kSql = std::string("SELECT ") + kDecisionColumns +
                                  " FROM decisions d JOIN vulnerabilities v ON v.id = d.vuln_id "
                                  "WHERE d.id = $1";
  ASSIGN_OR_RETURN(PgResult r, Run(kSql, Params().Add(id)));
  std::optional<DecisionRecord> out;
  if (r.Rows() > 0) {
    out = ReadDecision(Row(r, 0));
  }
  return out;
}

Result<std::vector<DecisionRecord>> PgStore::QueryDecisions(const DecisionQuery& q) {
  static const std::string kSql = std::string("SELECT ") + kDecisionColumns +
                                  " FROM decisions d JOIN vulnerabilities v ON v.id = d.vuln_id "
                                  "WHERE ($1::text IS NULL OR v.key = $1::text) "
                                  "AND (cardinality($2::text[]) = 0 OR d.state = ANY($2::text[])) "
                                  "ORDER BY d.id";
  ASSIGN_OR_RETURN(PgResult r,
                   Run(kSql, Params().Add(q.vuln_key).AddArray(StateNames(q.states)), false));
  return MapRows(r, ReadDecision);
}

Status PgStore::InsertDecisionEvent(const DecisionEvent& e) {
  return Run("INSERT INTO decision_events (id, decision_id, at, actor, action, note) VALUES "
             "((SELECT coalesce(max(id), 0) + 1 FROM decision_events), $1, $2, $3, $4, $5)",
             Params().Add(e.decision_id).Add(e.at).Add(e.actor).Add(e.action).Add(e.note))
      .status();
}

Result<std::vector<DecisionEvent>> PgStore::DecisionEventsOf(int64_t vuln_id) {
  ASSIGN_OR_RETURN(PgResult r,
                   Run("SELECT e.decision_id, e.at, e.actor, e.action, e.note "
                       "FROM decision_events e JOIN decisions d ON d.id = e.decision_id "
                       "WHERE d.vuln_id = $1 ORDER BY e.at, e.id",
                       Params().Add(vuln_id)));
  return MapRows(r, [](const Row& row) {
    return DecisionEvent{.decision_id = row.Int(0),
                         .at = row.Time(1),
                         .actor = row.Text(2),
                         .action = row.Text(3),
                         .note = row.Text(4)};
  });
}

Status PgStore::InsertClassChange(const ClassChange& c) {
  return InTransactionIfNone([&]() -> Result<int64_t> {
           ASSIGN_OR_RETURN(int64_t id, NextId("class_changes"));
           Params p;
           p.Add(c.vuln_id).Add(c.at).Add(c.actor).AddText(c.from_class).Add(c.to_class);
           p.Add(c.source);
           if (c.decision_id != 0) {
             p.Add(c.decision_id);
           } else {
             p.AddNull();
           }
           p.Add(c.note).Add(id);
           RETURN_IF_ERROR(
               Queue("INSERT INTO class_changes (id, vuln_id, at, actor, from_class, "
                     "to_class, source, decision_id, note) VALUES ($9, $1, $2, $3, "
                     "$4, $5, $6, $7, $8)",
                     std::move(p)));
           return id;
         })
      .status();
}

Result<std::vector<ClassChange>> PgStore::ClassChangesOf(int64_t vuln_id) {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT vuln_id, at, actor, from_class, to_class, source, "
                                   "decision_id, note FROM class_changes WHERE vuln_id = $1 "
                                   "ORDER BY at, id",
                                   Params().Add(vuln_id)));
  return MapRows(r, ReadClassChange);
}

Result<std::vector<ClassChange>> PgStore::AllClassChanges() {
  std::vector<ClassChange> out;
  RETURN_IF_ERROR(
      ForEach("SELECT vuln_id, at, actor, from_class, to_class, source, "
              "decision_id, note FROM class_changes ORDER BY vuln_id, at, id",
              Params(), [&](const Row& row) {
                out.push_back(ReadClassChange(row));
                return Status::Ok();
              }));
  return out;
}

Result<int64_t> PgStore::InsertReview(const ReviewRecord& r) {
  std::string participants = Join(r.participants, ",");
  ASSIGN_OR_RETURN(PgResult ins,
                   Run("INSERT INTO reviews (id, at, recorded_by, participants, notes, "
                       "covered_since) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM reviews), "
                       "$1, $2, $3, $4, $5) RETURNING id",
                       Params()
                           .Add(r.at)
                           .Add(r.recorded_by)
                           .Add(participants)
                           .Add(r.notes)
                           .Add(r.covered_since)));
  int64_t id = ins.Int(0, 0);
  for (int64_t vuln_id : r.vuln_ids) {
    RETURN_IF_ERROR(Run("INSERT INTO review_items (review_id, vuln_id) VALUES ($1, $2)",
                        Params().Add(id).Add(vuln_id))
                        .status());
  }
  return id;
}

Result<std::vector<ReviewRecord>> PgStore::QueryReviews() {
  ASSIGN_OR_RETURN(PgResult r,
                   Run("SELECT id, at, recorded_by, participants, notes, covered_since, "
                       "(SELECT string_agg(vuln_id::text, ',' ORDER BY vuln_id) "
                       "  FROM review_items i WHERE i.review_id = r.id) "
                       "FROM reviews r ORDER BY at, id",
                       Params()));
  std::vector<ReviewRecord> reviews;
  for (int i = 0; i < r.Rows(); ++i) {
    Row row(r, i);
    ReviewRecord review{.id = row.Int(0),
                        .at = row.Time(1),
                        .recorded_by = row.Text(2),
                        .participants = SplitNonEmpty(row.Text(3), ","),
                        .notes = row.Text(4),
                        .covered_since = row.OptTime(5)};
    for (const auto& id : SplitNonEmpty(row.Text(6), ",")) {
      auto n = ParseInt64(id);
      if (!n.ok()) {
        return Internal("the database is damaged: review #" + std::to_string(review.id) +
                        " covers vulnerability id " + n.status().message());
      }
      review.vuln_ids.push_back(*n);
    }
    reviews.push_back(std::move(review));
  }
  return reviews;
}

Status PgStore::ReplaceKev(const std::vector<KevEntry>& entries, Timestamp at) {
  RETURN_IF_ERROR(Run("DELETE FROM kev", Params()).status());
  for (const auto& e : entries) {
    RETURN_IF_ERROR(Run("INSERT INTO kev (cve, name, date_added, due_date, ransomware, "
                        "loaded_at) VALUES ($1, $2, $3, $4, $5, $6)",
                        Params()
                            .Add(e.cve)
                            .Add(e.name)
                            .Add(e.date_added)
                            .Add(e.due_date)
                            .Add(e.ransomware)
                            .Add(at))
                        .status());
  }
  return Status::Ok();
}

Result<std::vector<KevEntry>> PgStore::QueryKev() {
  ASSIGN_OR_RETURN(
      PgResult r,
      Run("SELECT cve, name, date_added, due_date, ransomware FROM kev ORDER BY cve", Params()));
  return MapRows(r, [](const Row& row) {
    return KevEntry{.cve = row.Text(0),
                    .name = row.Text(1),
                    .date_added = row.Time(2),
                    .due_date = row.Time(3),
                    .ransomware = row.Text(4)};
  });
}

Result<std::optional<std::string>> PgStore::GetSetting(const std::string& key) {
  if (auto pending = pending_settings_.find(key); pending != pending_settings_.end()) {
    return std::optional<std::string>(pending->second);
  }
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT value FROM settings WHERE key = $1", Params().Add(key)));
  std::optional<std::string> out;
  if (r.Rows() > 0) {
    out = r.Text(0, 0);
  }
  return out;
}

Status PgStore::PutSetting(const std::string& key, const std::string& value) {
  if (in_transaction_) {
    // Written when the transaction commits (WriteSettings): the log's head changes with every
    // event, and PostgreSQL keeps each version of a row a transaction updates, which every
    // later read of the row walks.
    pending_settings_[key] = value;
    return Status::Ok();
  }
  return Run("INSERT INTO settings (key, value) VALUES ($1, $2) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
             Params().Add(key).Add(value))
      .status();
}

Status PgStore::WriteSettings() {
  for (const auto& [key, value] : pending_settings_) {
    RETURN_IF_ERROR(
        Queue("INSERT INTO settings (key, value) VALUES ($1, $2) "
              "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
              Params().Add(key).Add(value)));
  }
  pending_settings_.clear();
  return Status::Ok();
}

}  // namespace vigil::postgres
