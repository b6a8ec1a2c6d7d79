// SqliteStore: users, decisions and their history, class history, reviews, the KEV catalog,
// settings, and whole vulnerability definitions read back.
#include "core/text.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

constexpr const char* kDecisionColumns =
    "d.id, d.vuln_id, v.key, d.type, d.reason, d.basis, d.new_class, d.new_score, d.assets, "
    "d.port, d.expires_at, d.target_at, d.author, d.created_at, d.state, d.decided_by, "
    "d.decided_at, d.decided_basis, d.effective_at, d.ended_at, d.superseded_by";

DecisionRecord ReadDecision(const Statement& row) {
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

}  // namespace

Status SqliteStore::SetVulnerabilityClass(int64_t id, const VulnClass& cls) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("UPDATE vulnerabilities SET class = ?1, class_source = ?2, "
                                "auto_class = ?3, auto_class_source = ?4, rating_score = ?5 "
                                "WHERE id = ?6"));
  st->Bind(1, cls.class_name).Bind(2, cls.class_source).Bind(3, cls.auto_class);
  st->Bind(4, cls.auto_source).Bind(5, cls.rating_score).Bind(6, id);
  return st->Run();
}

Result<std::vector<std::pair<VulnerabilityDef, VulnStamp>>> SqliteStore::LoadVulnerabilities(
    const std::optional<std::string>& key) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("SELECT id, key, source, source_id, title, family, synopsis, description, "
                   "solution, risk_factor, scanner_severity, cvss2_vector, cvss2_score, "
                   "cvss3_vector, cvss3_score, cvss4_vector, cvss4_score, vpr_score, "
                   "epss_score, exploit_available, check_type, published, modified, "
                   "patch_published, vuln_published, class, class_source, auto_class, "
                   "auto_class_source, rating_score, content_hash, defined_at, "
                   "(SELECT group_concat(kind || char(31) || value, char(30)) "
                   "  FROM vulnerability_refs r WHERE r.vuln_id = v.id) "
                   "FROM vulnerabilities v WHERE ?1 IS NULL OR key = ?1 ORDER BY key"));
  st->Bind(1, key);
  return st->Rows([](const Statement& row) {
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
  });
}

Result<int64_t> SqliteStore::MaxVulnerabilityId() {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT coalesce(max(id), 0) FROM vulnerabilities"));
  ASSIGN_OR_RETURN(auto rows, st->Rows([](const Statement& row) { return row.Int(0); }));
  return rows.empty() ? 0 : rows.front();
}

Result<std::vector<std::pair<VulnerabilityDef, VulnStamp>>> SqliteStore::AllVulnerabilities() {
  return LoadVulnerabilities(std::nullopt);
}

Result<std::optional<std::pair<VulnerabilityDef, VulnStamp>>> SqliteStore::LoadVulnerability(
    const std::string& key) {
  ASSIGN_OR_RETURN(auto all, LoadVulnerabilities(key));
  std::optional<std::pair<VulnerabilityDef, VulnStamp>> out;
  if (!all.empty()) {
    out = std::move(all.front());
  }
  return out;
}

Status SqliteStore::InsertUser(const UserRecord& u) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO users (name, role, created_at, created_by, "
                                "token_hash, token_issued_by, role_granted_by, password_hash, "
                                "password_set_at, enrolment_hash, enrolment_expires_at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
  st->Bind(1, u.name).Bind(2, ToString(u.role)).Bind(3, u.created_at).Bind(4, u.created_by);
  st->Bind(5, u.token_hash).Bind(6, u.token_issued_by).Bind(7, u.role_granted_by);
  st->BindText(8, u.password_hash).Bind(9, u.password_set_at).BindText(10, u.enrolment_hash);
  st->Bind(11, u.enrolment_expires_at);
  return st->Run();
}

Status SqliteStore::SetUserToken(const std::string& name, const std::string& token_hash,
                                 const std::string& issued_by) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("UPDATE users SET token_hash = ?1, token_issued_by = ?3 WHERE name = ?2"));
  st->Bind(1, token_hash).Bind(2, name).Bind(3, issued_by);
  return st->Run();
}

Status SqliteStore::SetUserRole(const std::string& name, Role role, const std::string& granted_by) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("UPDATE users SET role = ?1, role_granted_by = ?3 WHERE name = ?2"));
  st->Bind(1, ToString(role)).Bind(2, name).Bind(3, granted_by);
  return st->Run();
}

Result<std::optional<UserRecord>> SqliteStore::FindUser(const std::string& name) {
  ASSIGN_OR_RETURN(auto users, QueryUsers());
  for (auto& u : users) {
    if (u.name == name) {
      return std::optional(std::move(u));
    }
  }
  return std::optional<UserRecord>();
}

Result<std::vector<UserRecord>> SqliteStore::QueryUsers() {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT name, role, created_at, created_by, token_hash, "
                                "token_issued_by, role_granted_by, password_hash, "
                                "password_set_at, enrolment_hash, enrolment_expires_at "
                                "FROM users ORDER BY name"));
  return st->Rows([](const Statement& row) {
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

Status SqliteStore::SetUserEnrolment(const std::string& name, const std::string& code_hash,
                                     Timestamp expires_at) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("UPDATE users SET enrolment_hash = ?1, enrolment_expires_at = ?2 "
                                "WHERE name = ?3"));
  st->Bind(1, code_hash).Bind(2, expires_at).Bind(3, name);
  return st->Run();
}

Status SqliteStore::SetUserPassword(const std::string& name, const std::string& password_hash,
                                    Timestamp set_at) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("UPDATE users SET password_hash = ?1, password_set_at = ?2, "
                                "enrolment_hash = NULL, enrolment_expires_at = NULL "
                                "WHERE name = ?3"));
  st->Bind(1, password_hash).Bind(2, set_at).Bind(3, name);
  return st->Run();
}

Result<int64_t> SqliteStore::InsertApiToken(const ApiTokenRecord& t) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO api_tokens (user, label, scopes, token_hash, "
                                "created_at, created_by, expires_at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  st->Bind(1, t.user).Bind(2, t.label).Bind(3, t.scopes).Bind(4, t.token_hash);
  st->Bind(5, t.created_at).Bind(6, t.created_by).Bind(7, t.expires_at);
  RETURN_IF_ERROR(st->Run());
  return db_->LastInsertId();
}

Status SqliteStore::RevokeApiToken(int64_t id, Timestamp at, const std::string& by) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("UPDATE api_tokens SET revoked_at = ?1, revoked_by = ?2 "
                                "WHERE id = ?3"));
  st->Bind(1, at).Bind(2, by).Bind(3, id);
  return st->Run();
}

Result<std::vector<ApiTokenRecord>> SqliteStore::QueryApiTokens() {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT id, user, label, scopes, token_hash, created_at, "
                                "created_by, expires_at, revoked_at, revoked_by "
                                "FROM api_tokens ORDER BY id"));
  return st->Rows([](const Statement& row) {
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

Result<int64_t> SqliteStore::InsertDecision(const DecisionRecord& d) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("INSERT INTO decisions (vuln_id, type, reason, basis, new_class, new_score, "
                   "assets, port, expires_at, target_at, author, created_at, state, decided_by, "
                   "decided_at, decided_basis, effective_at, ended_at) VALUES (?1, ?2, ?3, ?4, "
                   "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"));
  std::string assets = Join(d.assets, "\n");
  st->Bind(1, d.vuln_id).Bind(2, ToString(d.type)).Bind(3, ToString(d.reason)).Bind(4, d.basis);
  st->BindText(5, d.new_class).Bind(6, d.new_score).Bind(7, assets).Bind(8, d.port);
  st->Bind(9, d.expires_at).Bind(10, d.target_at).Bind(11, d.author).Bind(12, d.created_at);
  st->Bind(13, ToString(d.state)).BindText(14, d.decided_by).Bind(15, d.decided_at);
  st->BindText(16, d.decided_basis).Bind(17, d.effective_at).Bind(18, d.ended_at);
  RETURN_IF_ERROR(st->Run());
  return db_->LastInsertId();
}

Status SqliteStore::UpdateDecisionState(const DecisionRecord& d) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("UPDATE decisions SET state = ?1, decided_by = ?2, decided_at = ?3, "
                   "decided_basis = ?4, effective_at = ?5, ended_at = ?6, superseded_by = ?7 "
                   "WHERE id = ?8"));
  st->Bind(1, ToString(d.state)).BindText(2, d.decided_by).Bind(3, d.decided_at);
  st->BindText(4, d.decided_basis).Bind(5, d.effective_at).Bind(6, d.ended_at);
  if (d.superseded_by != 0) {
    st->Bind(7, d.superseded_by);
  }
  st->Bind(8, d.id);
  return st->Run();
}

Result<std::optional<DecisionRecord>> SqliteStore::FindDecision(int64_t id) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare(std::string("SELECT ") + kDecisionColumns +
                                " FROM decisions d JOIN vulnerabilities v ON v.id = d.vuln_id "
                                "WHERE d.id = ?1"));
  st->Bind(1, id);
  ASSIGN_OR_RETURN(auto rows, st->Rows(ReadDecision));
  std::optional<DecisionRecord> out;
  if (!rows.empty()) {
    out = std::move(rows.front());
  }
  return out;
}

Result<std::vector<DecisionRecord>> SqliteStore::QueryDecisions(const DecisionQuery& q) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare(std::string("SELECT ") + kDecisionColumns +
                                " FROM decisions d JOIN vulnerabilities v ON v.id = d.vuln_id "
                                "WHERE (?1 IS NULL OR v.key = ?1) "
                                "AND (?2 = ',' OR instr(?2, ',' || d.state || ',') > 0) "
                                "ORDER BY d.id"));
  std::string states = ",";
  for (DecisionState s : q.states) {
    states += std::string(ToString(s)) + ",";
  }
  st->Bind(1, q.vuln_key).Bind(2, states);
  return st->Rows(ReadDecision);
}

Status SqliteStore::InsertDecisionEvent(const DecisionEvent& e) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO decision_events (decision_id, at, actor, action, "
                                "note) VALUES (?1, ?2, ?3, ?4, ?5)"));
  st->Bind(1, e.decision_id).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.action).Bind(5, e.note);
  return st->Run();
}

Result<std::vector<DecisionEvent>> SqliteStore::DecisionEventsOf(int64_t vuln_id) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT e.decision_id, e.at, e.actor, e.action, e.note "
                                "FROM decision_events e JOIN decisions d ON d.id = e.decision_id "
                                "WHERE d.vuln_id = ?1 ORDER BY e.at, e.id"));
  st->Bind(1, vuln_id);
  return st->Rows([](const Statement& row) {
    return DecisionEvent{.decision_id = row.Int(0),
                         .at = row.Time(1),
                         .actor = row.Text(2),
                         .action = row.Text(3),
                         .note = row.Text(4)};
  });
}

Status SqliteStore::InsertClassChange(const ClassChange& c) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO class_changes (vuln_id, at, actor, from_class, "
                                "to_class, source, decision_id, note) VALUES (?1, ?2, ?3, ?4, "
                                "?5, ?6, ?7, ?8)"));
  st->Bind(1, c.vuln_id).Bind(2, c.at).Bind(3, c.actor).BindText(4, c.from_class);
  st->Bind(5, c.to_class).Bind(6, c.source);
  if (c.decision_id != 0) {
    st->Bind(7, c.decision_id);
  }
  st->Bind(8, c.note);
  return st->Run();
}

namespace {

ClassChange ClassChangeRow(const Statement& row) {
  return ClassChange{.vuln_id = row.Int(0),
                     .at = row.Time(1),
                     .actor = row.Text(2),
                     .from_class = row.Text(3),
                     .to_class = row.Text(4),
                     .source = row.Text(5),
                     .decision_id = row.OptInt(6).value_or(0),
                     .note = row.Text(7)};
}

}  // namespace

Result<std::vector<ClassChange>> SqliteStore::ClassChangesOf(int64_t vuln_id) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT vuln_id, at, actor, from_class, to_class, source, "
                                "decision_id, note FROM class_changes WHERE vuln_id = ?1 "
                                "ORDER BY at, id"));
  st->Bind(1, vuln_id);
  return st->Rows(ClassChangeRow);
}

Result<std::vector<ClassChange>> SqliteStore::AllClassChanges() {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT vuln_id, at, actor, from_class, to_class, source, "
                                "decision_id, note FROM class_changes ORDER BY vuln_id, at, id"));
  return st->Rows(ClassChangeRow);
}

Result<int64_t> SqliteStore::InsertReview(const ReviewRecord& r) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO reviews (at, recorded_by, participants, notes, "
                                "covered_since) VALUES (?1, ?2, ?3, ?4, ?5)"));
  std::string participants = Join(r.participants, ",");
  st->Bind(1, r.at).Bind(2, r.recorded_by).Bind(3, participants).Bind(4, r.notes);
  st->Bind(5, r.covered_since);
  RETURN_IF_ERROR(st->Run());
  int64_t id = db_->LastInsertId();
  ASSIGN_OR_RETURN(Statement * item,
                   db_->Prepare("INSERT INTO review_items (review_id, vuln_id) VALUES (?1, ?2)"));
  for (int64_t vuln_id : r.vuln_ids) {
    item->Reset();
    item->Bind(1, id).Bind(2, vuln_id);
    RETURN_IF_ERROR(item->Run());
  }
  return id;
}

Result<std::vector<ReviewRecord>> SqliteStore::QueryReviews() {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT id, at, recorded_by, participants, notes, covered_since, "
                                "(SELECT group_concat(vuln_id, ',') FROM review_items i "
                                "  WHERE i.review_id = r.id) FROM reviews r ORDER BY at, id"));
  std::vector<std::string> item_lists;
  ASSIGN_OR_RETURN(auto reviews, st->Rows([&](const Statement& row) {
    item_lists.push_back(row.Text(6));
    return ReviewRecord{.id = row.Int(0),
                        .at = row.Time(1),
                        .recorded_by = row.Text(2),
                        .participants = SplitNonEmpty(row.Text(3), ","),
                        .notes = row.Text(4),
                        .covered_since = row.OptTime(5)};
  }));
  for (size_t i = 0; i < reviews.size(); ++i) {
    for (const auto& id : SplitNonEmpty(item_lists[i], ",")) {
      auto n = ParseInt64(id);
      if (!n.ok()) {
        return Internal("the database is damaged: review #" + std::to_string(reviews[i].id) +
                        " covers vulnerability id " + n.status().message());
      }
      reviews[i].vuln_ids.push_back(*n);
    }
  }
  return reviews;
}

Status SqliteStore::ReplaceKev(const std::vector<KevEntry>& entries, Timestamp at) {
  RETURN_IF_ERROR(db_->Exec("DELETE FROM kev"));
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO kev (cve, name, date_added, due_date, ransomware, "
                                "loaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  for (const auto& e : entries) {
    st->Reset();
    st->Bind(1, e.cve).Bind(2, e.name).Bind(3, e.date_added).Bind(4, e.due_date);
    st->Bind(5, e.ransomware).Bind(6, at);
    RETURN_IF_ERROR(st->Run());
  }
  return Status::Ok();
}

Result<std::vector<KevEntry>> SqliteStore::QueryKev() {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT cve, name, date_added, due_date, ransomware FROM kev "
                                "ORDER BY cve"));
  return st->Rows([](const Statement& row) {
    return KevEntry{.cve = row.Text(0),
                    .name = row.Text(1),
                    .date_added = row.Time(2),
                    .due_date = row.Time(3),
                    .ransomware = row.Text(4)};
  });
}

Result<std::optional<std::string>> SqliteStore::GetSetting(const std::string& key) {
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare("SELECT value FROM settings WHERE key = ?1"));
  st->Bind(1, key);
  ASSIGN_OR_RETURN(auto rows, st->Rows([](const Statement& row) { return row.Text(0); }));
  std::optional<std::string> out;
  if (!rows.empty()) {
    out = rows.front();
  }
  return out;
}

Status SqliteStore::PutSetting(const std::string& key, const std::string& value) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  st->Bind(1, key).Bind(2, value);
  return st->Run();
}

}  // namespace vigil::sqlite
