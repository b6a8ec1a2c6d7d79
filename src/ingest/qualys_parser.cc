#include "ingest/qualys_parser.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "core/text.h"
#include "core/time.h"
#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/references.h"
#include "ingest/report.h"
#include "ingest/shared_definitions.h"
#include "ingest/xml_reader.h"

namespace vigil {
namespace {

enum class Kind { kAssetData, kScan, kDetections };

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An element read as a record: the text of each descendant by its path below the record
// ("QID", "CVE_ID_LIST/CVE_ID/ID"); repeated paths are joined with '\n'.
struct Record {
  size_t depth = 0;  // 0: not open
  uint64_t line = 0, column = 0;
  std::vector<std::pair<std::string, std::string>> attrs;
  std::unordered_map<std::string, std::string> fields;

  void Open(size_t at, XmlPosition pos, const char** a) {
    depth = at;
    line = pos.line;
    column = pos.column;
    attrs.clear();
    fields.clear();
    for (size_t i = 0; a[i] != nullptr && a[i + 1] != nullptr; i += 2) {
      attrs.emplace_back(a[i], a[i + 1]);
    }
  }
  std::string Raw(const std::string& path) const {
    auto it = fields.find(path);
    return it == fields.end() ? std::string() : it->second;
  }
  std::string Get(const std::string& path) const { return std::string(TrimSpace(Raw(path))); }
  std::vector<std::string> List(const std::string& path) const {
    return SplitNonEmpty(Raw(path), "\n");
  }
  std::string Attr(std::string_view name) const {
    for (const auto& [n, v] : attrs) {
      if (n == name) {
        return std::string(TrimSpace(v));
      }
    }
    return "";
  }
};

// A detection of an ASSET_DATA_REPORT, kept until the glossary has been read.
struct PendingItem {
  std::string qid;
  int port = 0;
  std::string protocol, service, output;
  bool information = false;
  uint64_t line = 0;
};

struct PendingHost {
  HostObservation host;
  std::vector<PendingItem> items;
};

struct GlossaryEntry {
  VulnerabilityDef def;
  std::optional<int> level;
};

class QualysHandler final : public XmlHandler {
 public:
  QualysHandler(XmlReader& reader, ReportSink& sink, Diagnostics& diagnostics)
      : reader_(reader), sink_(sink), diag_(diagnostics) {}

  Status OnStart(std::string_view name, const char** attrs) override;
  Status OnEnd(std::string_view name) override;
  Status OnText(std::string_view text) override {
    if (!sinks_.empty() && sinks_.back() != nullptr) {
      sinks_.back()->append(text);
    }
    return Status::Ok();
  }
  Status Finish();

 private:
  size_t depth() const { return stack_.size(); }
  const std::string& parent() const { return stack_[stack_.size() - 2]; }
  Status StartRoot(std::string_view name);
  bool IsOuter(std::string_view name) const;
  bool IsItem(std::string_view name) const;
  void Capture(Record& record, const char** attrs);
  Status EndOuter(std::string_view name);
  void EndItem();
  bool ReadItem(PendingItem& item, const std::string& record);
  void ReadHost(HostObservation& host);
  void ReadGlossary();
  Status EmitHost();
  Status SendHeaderOnce();
  void Warn(const Record& at, std::string record, std::string field, std::string message);

  XmlReader& reader_;
  ReportSink& sink_;
  Diagnostics& diag_;
  Kind kind_ = Kind::kAssetData;
  std::vector<std::string> stack_;
  std::vector<std::string*> sinks_;
  Record outer_, inner_;
  std::vector<std::pair<std::string, std::string>> cat_;  // the SCAN's current CAT attributes
  std::string section_;                                   // VULNS, PRACTICES, INFOS, SERVICES
  std::string datetime_;

  ReportHeader header_{.format = "qualys"};
  bool header_sent_ = false;
  std::optional<Timestamp> scan_time_;
  HostObservation host_;
  std::vector<PendingItem> items_;
  std::vector<PendingHost> pending_;  // ASSET_DATA_REPORT hosts, until the glossary
  std::unordered_map<std::string, GlossaryEntry> glossary_;
  SharedDefinitions shared_;  // the glossary's definitions, once each
};

void QualysHandler::Warn(const Record& at, std::string record, std::string field,
                         std::string message) {
  diag_.Add(Diagnostic{.line = at.line,
                       .column = at.column,
                       .record = std::move(record),
                       .field = std::move(field),
                       .message = std::move(message)});
}

Status QualysHandler::StartRoot(std::string_view name) {
  if (name == "ASSET_DATA_REPORT") {
    kind_ = Kind::kAssetData;
  } else if (name == "SCAN") {
    kind_ = Kind::kScan;
  } else if (name == "HOST_LIST_VM_DETECTION_OUTPUT") {
    kind_ = Kind::kDetections;
  } else if (name == "SIMPLE_RETURN" || name == "GENERIC_RETURN") {
    return InvalidInput("a Qualys API message (<" + std::string(name) +
                        ">), not a report: it holds no scan results");
  } else {
    return InvalidInput(
        "expected a Qualys report: root element <ASSET_DATA_REPORT>, <SCAN> or "
        "<HOST_LIST_VM_DETECTION_OUTPUT>, found <" +
        std::string(name) + ">");
  }
  return Status::Ok();
}

bool QualysHandler::IsOuter(std::string_view name) const {
  size_t d = depth();
  switch (kind_) {
    case Kind::kAssetData:
      return (d == 2 && name == "HEADER") ||
             (d == 3 && name == "HOST" && parent() == "HOST_LIST") ||
             (d == 4 && name == "VULN_DETAILS" && parent() == "VULN_DETAILS_LIST");
    case Kind::kScan:
      return d == 2 && (name == "HEADER" || name == "IP");
    case Kind::kDetections:
      return (d == 4 && name == "HOST" && parent() == "HOST_LIST") ||
             (d == 3 && name == "WARNING" && parent() == "RESPONSE");
  }
  return false;
}

bool QualysHandler::IsItem(std::string_view name) const {
  const std::string& outer = stack_[outer_.depth - 1];
  switch (kind_) {
    case Kind::kAssetData:
      return outer == "HOST" && name == "VULN_INFO" && parent() == "VULN_INFO_LIST";
    case Kind::kScan:
      return outer == "IP" && depth() == outer_.depth + 3 && parent() == "CAT" &&
             (name == "VULN" || name == "INFO" || name == "SERVICE" || name == "PRACTICE");
    case Kind::kDetections:
      return outer == "HOST" && name == "DETECTION" && parent() == "DETECTION_LIST";
  }
  return false;
}

void QualysHandler::Capture(Record& record, const char** attrs) {
  std::string path;
  for (size_t i = record.depth; i < stack_.size(); ++i) {
    path += (path.empty() ? "" : "/") + stack_[i];
  }
  const char* value = XmlReader::Attr(attrs, "value");
  if (kind_ == Kind::kScan && stack_.back() == "KEY" && value != nullptr) {
    path = std::string("KEY:") + value;  // <KEY value="TITLE">...</KEY>
  }
  std::string& text = record.fields[path];
  if (!text.empty()) {
    text += '\n';
  }
  sinks_.back() = &text;
}

Status QualysHandler::OnStart(std::string_view name, const char** attrs) {
  stack_.emplace_back(name);
  sinks_.push_back(nullptr);
  if (depth() == 1) {
    return StartRoot(name);
  }
  if (inner_.depth > 0) {
    Capture(inner_, attrs);
  } else if (outer_.depth > 0) {
    if (IsItem(name)) {
      inner_.Open(depth(), reader_.position(), attrs);
      section_ = stack_[depth() - 3];
    } else {
      if (kind_ == Kind::kScan && name == "CAT") {
        Record cat;
        cat.Open(depth(), reader_.position(), attrs);
        cat_ = std::move(cat.attrs);
      }
      Capture(outer_, attrs);
    }
  } else if (IsOuter(name)) {
    outer_.Open(depth(), reader_.position(), attrs);
    if (kind_ != Kind::kAssetData && name != "HEADER" && name != "WARNING") {
      host_ = HostObservation{};
      host_.line = outer_.line;
      items_.clear();
    }
  } else if (kind_ == Kind::kDetections && name == "DATETIME" && parent() == "RESPONSE") {
    sinks_.back() = &datetime_;
  }
  return Status::Ok();
}

Status QualysHandler::OnEnd(std::string_view name) {
  size_t d = depth();
  Status st;
  if (inner_.depth == d) {
    inner_.depth = 0;
    EndItem();
  } else if (outer_.depth == d) {
    outer_.depth = 0;
    st = EndOuter(name);
  }
  stack_.pop_back();
  sinks_.pop_back();
  return st;
}

bool QualysHandler::ReadItem(PendingItem& item, const std::string& record) {
  const Record& r = inner_;
  bool scan = kind_ == Kind::kScan;
  auto cat = [&](std::string_view n) {
    for (const auto& [k, v] : cat_) {
      if (k == n) {
        return std::string(TrimSpace(v));
      }
    }
    return std::string();
  };
  item.qid = scan ? r.Attr("number") : r.Get("QID");
  item.line = r.line;
  if (!IsDigits(item.qid)) {
    Warn(r, record, scan ? "number" : "QID",
         item.qid.empty() ? "missing; detection skipped"
                          : "'" + item.qid + "' is not a number; detection skipped");
    return false;
  }
  std::string port = scan ? cat("port") : r.Get("PORT");
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), item.port);
  if (!port.empty() && (ec != std::errc() || ptr != port.data() + port.size() || item.port < 0 ||
                        item.port > 65535)) {
    Warn(r, record, "PORT", "'" + port + "' is not a port number; detection skipped");
    return false;
  }
  if (port.empty()) {
    item.port = 0;
  }
  item.protocol = AsciiLower(scan ? cat("protocol") : r.Get("PROTOCOL"));
  item.service = r.Get("SERVICE");
  item.output = r.Raw(kind_ == Kind::kDetections ? "RESULTS" : "RESULT");
  item.information =
      scan ? section_ == "INFOS" || section_ == "SERVICES" : qualys::IsInformation(r.Get("TYPE"));
  return true;
}

void QualysHandler::EndItem() {
  const Record& r = inner_;
  std::string status = r.Get(kind_ == Kind::kAssetData ? "VULN_STATUS" : "STATUS");
  if (qualys::IsFixed(status)) {
    return;  // Qualys saw it fixed: not a finding
  }
  bool scan = kind_ == Kind::kScan;
  std::string record = (scan ? "IP " + outer_.Attr("value") : "HOST " + outer_.Get("IP")) + " / " +
                       stack_.back() + " " + (scan ? r.Attr("number") : r.Get("QID"));
  PendingItem item;
  if (!ReadItem(item, record)) {
    return;
  }
  if (kind_ == Kind::kAssetData) {
    // The report gathers several scans: the host was last seen by the latest of them.
    std::string found = r.Get("LAST_FOUND");
    auto t = ParseIso8601(found);
    if (t.ok() && (!host_.start || *t > *host_.start)) {
      host_.start = host_.end = *t;
    } else if (!t.ok() && !found.empty()) {
      Warn(r, record, "LAST_FOUND", t.status().message() + "; ignored");
    }
    items_.push_back(std::move(item));
    return;
  }
  qualys::QidTexts t{.qid = item.qid,
                     .title = r.Get("TITLE"),
                     .category = r.Get("CATEGORY"),
                     .threat = r.Get("DIAGNOSIS"),
                     .impact = r.Get("CONSEQUENCE"),
                     .solution = r.Get("SOLUTION"),
                     .last_update = r.Get("LAST_UPDATE"),
                     .cvss2 = r.Get("CVSS_BASE"),
                     .cvss3 = r.Get("CVSS3_BASE"),
                     .cves = r.List("CVE_ID_LIST/CVE_ID/ID"),
                     .bids = r.List("BUGTRAQ_ID_LIST/BUGTRAQ_ID/ID"),
                     .vendor_refs = r.List("VENDOR_REFERENCE_LIST/VENDOR_REFERENCE/ID"),
                     .urls = r.List("VENDOR_REFERENCE_LIST/VENDOR_REFERENCE/URL")};
  if (kind_ == Kind::kScan && t.category.empty()) {
    for (const auto& [k, v] : cat_) {
      t.category = k == "value" ? std::string(TrimSpace(v)) : t.category;
    }
  }
  auto warn = [&](std::string field, std::string message) {
    Warn(r, record, std::move(field), std::move(message));
  };
  ItemObservation out{.vuln = qualys::Definition(t, warn),
                      .port = item.port,
                      .protocol = item.protocol,
                      .service = item.service,
                      .output = std::move(item.output),
                      .line = item.line};
  std::string level = kind_ == Kind::kScan ? r.Attr("severity") : r.Get("SEVERITY");
  if (level.size() == 1 && level[0] >= '1' && level[0] <= '5') {
    qualys::SetSeverity(out.vuln, level[0] - '0', item.information);
  } else if (item.information) {
    qualys::SetSeverity(out.vuln, 1, true);
  } else if (!level.empty()) {
    warn("SEVERITY", "'" + level + "' is not a Qualys severity 1..5; ignored");
  }
  host_.items.push_back(std::move(out));
}

void QualysHandler::ReadHost(HostObservation& host) {
  const Record& r = outer_;
  host.ip = kind_ == Kind::kScan ? r.Attr("value") : r.Get("IP");
  if (host.ip.empty()) {
    host.ip = r.Get("IPV6");
  }
  std::string dns = kind_ == Kind::kScan ? r.Attr("name") : r.Get("DNS_DATA/FQDN");
  if (dns.empty() || dns == "No registered hostname") {
    dns = r.Get("DNS");
  }
  qualys::SetHostName(host, dns);
  host.netbios_name = r.Get(kind_ == Kind::kScan ? "NETBIOS_HOSTNAME" : "NETBIOS");
  host.os = r.Get(kind_ == Kind::kAssetData ? "OPERATING_SYSTEM" : "OS");
  host.report_name = !host.ip.empty()         ? host.ip
                     : !host.fqdn.empty()     ? host.fqdn
                     : !host.hostname.empty() ? host.hostname
                                              : host.netbios_name;
  if (kind_ == Kind::kDetections) {
    std::string scanned = r.Get("LAST_VM_SCANNED_DATE");
    if (scanned.empty()) {
      scanned = r.Get("LAST_SCAN_DATETIME");
    }
    if (!scanned.empty()) {
      auto t = ParseIso8601(scanned);
      if (t.ok()) {
        host.start = host.end = *t;
      } else {
        Warn(r, "HOST " + host.report_name, "LAST_VM_SCANNED_DATE",
             t.status().message() + "; ignored");
      }
    }
  } else if (kind_ == Kind::kScan) {
    host.start = scan_time_;
  }
}

void QualysHandler::ReadGlossary() {
  const Record& r = outer_;
  qualys::QidTexts t{.qid = r.Get("QID"),
                     .title = r.Get("TITLE"),
                     .category = r.Get("CATEGORY"),
                     .threat = r.Get("THREAT"),
                     .impact = r.Get("IMPACT"),
                     .solution = r.Get("SOLUTION"),
                     .last_update = r.Get("LAST_UPDATE"),
                     .cvss2 = r.Get("CVSS_SCORE/CVSS_BASE"),
                     .cvss3 = r.Get("CVSS3_SCORE/CVSS3_BASE"),
                     .cves = r.List("CVE_ID_LIST/CVE_ID/ID"),
                     .bids = r.List("BUGTRAQ_ID_LIST/BUGTRAQ_ID/ID"),
                     .vendor_refs = r.List("VENDOR_REFERENCE_LIST/VENDOR_REFERENCE/ID"),
                     .urls = r.List("VENDOR_REFERENCE_LIST/VENDOR_REFERENCE/URL")};
  std::string record = "VULN_DETAILS " + t.qid;
  if (!IsDigits(t.qid)) {
    Warn(r, record, "QID", "'" + t.qid + "' is not a number; glossary entry ignored");
    return;
  }
  GlossaryEntry entry;
  entry.def = qualys::Definition(t, [&](std::string field, std::string message) {
    Warn(r, record, std::move(field), std::move(message));
  });
  std::string level = r.Get("SEVERITY");
  if (level.size() == 1 && level[0] >= '1' && level[0] <= '5') {
    entry.level = level[0] - '0';
  } else if (!level.empty()) {
    Warn(r, record, "SEVERITY", "'" + level + "' is not a Qualys severity 1..5; ignored");
  }
  glossary_.emplace(t.qid, std::move(entry));
}

Status QualysHandler::SendHeaderOnce() {
  if (header_sent_) {
    return Status::Ok();
  }
  header_sent_ = true;
  return sink_.OnHeader(header_);
}

Status QualysHandler::EmitHost() {
  ReadHost(host_);
  if (host_.report_name.empty()) {
    Warn(outer_, stack_.back(), "IP", "the host has no IP, DNS or NetBIOS name; host skipped");
    return Status::Ok();
  }
  RETURN_IF_ERROR(SendHeaderOnce());
  return sink_.OnHost(host_);
}

Status QualysHandler::EndOuter(std::string_view name) {
  if (name == "HEADER") {
    header_.report_name = outer_.Get(kind_ == Kind::kScan ? "KEY:TITLE" : "TEMPLATE");
    header_.policy_name = outer_.Get("OPTION_PROFILE/OPTION_PROFILE_TITLE");
    std::string date = outer_.Get("KEY:DATE");
    if (date.empty()) {
      date = outer_.Get("KEY:SCAN_DATE");
    }
    if (kind_ == Kind::kScan && !date.empty()) {
      auto t = ParseIso8601(date);
      if (t.ok()) {
        scan_time_ = *t;
      } else {
        Warn(outer_, "HEADER", "KEY DATE", t.status().message() + "; ignored");
      }
    }
    return Status::Ok();
  }
  if (name == "WARNING") {
    Warn(outer_, "RESPONSE", "WARNING",
         "Qualys says: " + outer_.Get("TEXT") +
             (outer_.Get("URL").empty() ? std::string()
                                        : " (the rest is at " + outer_.Get("URL") + ")") +
             "; this file holds only part of the hosts: import the other parts too");
    return Status::Ok();
  }
  if (name == "VULN_DETAILS") {
    ReadGlossary();
    return Status::Ok();
  }
  if (kind_ != Kind::kAssetData) {
    return EmitHost();
  }
  PendingHost pending{.host = std::move(host_), .items = std::move(items_)};
  host_ = HostObservation{};
  items_.clear();
  ReadHost(pending.host);
  pending.host.line = outer_.line;
  if (pending.host.report_name.empty()) {
    Warn(outer_, "HOST", "IP", "the host has no IP, DNS or NetBIOS name; host skipped");
    return Status::Ok();
  }
  pending_.push_back(std::move(pending));
  return Status::Ok();
}

Status QualysHandler::Finish() {
  if (kind_ != Kind::kAssetData) {
    return SendHeaderOnce();
  }
  RETURN_IF_ERROR(SendHeaderOnce());
  std::unordered_map<std::string, bool> missing;
  for (PendingHost& p : pending_) {
    for (PendingItem& i : p.items) {
      auto it = glossary_.find(i.qid);
      ItemObservation out{.port = i.port,
                          .protocol = std::move(i.protocol),
                          .service = std::move(i.service),
                          .output = std::move(i.output),
                          .line = i.line};
      if (it != glossary_.end()) {
        shared_.Attach(it->second.def, out);
      } else {
        out.vuln = qualys::Definition(qualys::QidTexts{.qid = i.qid}, nullptr);
        if (missing.emplace(i.qid, true).second) {
          diag_.Add(Diagnostic{.line = i.line,
                               .column = 1,
                               .record = "HOST " + p.host.report_name + " / VULN_INFO " + i.qid,
                               .field = "QID",
                               .message = "the GLOSSARY has no VULN_DETAILS for QID " + i.qid +
                                          ": imported without title, texts or severity"});
        }
      }
      std::optional<int> level = it != glossary_.end() ? it->second.level : std::nullopt;
      if (level || i.information) {
        qualys::SetSeverity(out.vuln, level.value_or(1), i.information);
      }
      p.host.items.push_back(std::move(out));
    }
    p.items = {};
    RETURN_IF_ERROR(sink_.OnHost(p.host));
    p.host = HostObservation{};
  }
  return Status::Ok();
}

}  // namespace

Status ParseQualys(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics) {
  XmlReader reader;
  QualysHandler handler(reader, sink, diagnostics);
  RETURN_IF_ERROR(reader.Parse(source, handler));
  return handler.Finish();
}

namespace qualys {

void SetSeverity(VulnerabilityDef& v, int level, bool information) {
  constexpr std::string_view kWords[] = {"None", "Low", "Medium", "High", "Critical"};
  int s = information ? 0 : std::clamp(level, 1, 5) - 1;
  v.scanner_severity = s;
  v.risk_factor = std::string(kWords[s]);
}

bool IsInformation(std::string_view type) {
  std::string t = AsciiLower(TrimSpace(type));
  return t == "ig" || t == "info" || t == "information gathered" || t == "information";
}

bool IsFixed(std::string_view status) {
  return AsciiLower(TrimSpace(status)) == "fixed";
}

bool ParseCvss(std::string_view text, std::optional<double>& score, std::string& vector) {
  text = TrimSpace(text);
  if (text.empty() || text == "-" || text == "'-") {
    return true;
  }
  size_t paren = text.find('(');
  std::string_view number = TrimSpace(text.substr(0, paren));
  double d = 0;
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), d);
  if (number.empty() || ec != std::errc() || ptr != number.data() + number.size() || d < 0 ||
      d > 10) {
    return false;
  }
  if (paren != std::string_view::npos) {
    size_t close = text.find(')', paren);
    if (close == std::string_view::npos) {
      return false;
    }
    vector = std::string(TrimSpace(text.substr(paren + 1, close - paren - 1)));
  }
  score = d;
  return true;
}

void SetHostName(HostObservation& host, std::string_view name) {
  name = TrimSpace(name);
  if (name.empty() || name == host.ip) {
    return;
  }
  if (name.find('.') != std::string_view::npos) {
    host.fqdn = AsciiLower(name);
  } else {
    host.hostname = std::string(name);
  }
}

VulnerabilityDef Definition(const QidTexts& t, const Warner& warn) {
  VulnerabilityDef v;
  v.key = "qualys:" + t.qid;
  v.source = "qualys";
  v.source_id = t.qid;
  v.title = t.title;
  v.family = t.category;
  v.description = t.threat;
  std::string_view impact = TrimSpace(t.impact);
  if (!impact.empty() && impact != "N/A") {
    v.description +=
        (v.description.empty() ? "" : "\n\n") + std::string("Impact: ") + std::string(impact);
  }
  v.solution = TrimSpace(t.solution) == "N/A" ? "" : t.solution;
  if (!t.last_update.empty()) {
    auto u = ParseIso8601(t.last_update);
    if (u.ok()) {
      v.modified = *u;
    } else if (warn) {
      warn("LAST_UPDATE", u.status().message() + "; ignored");
    }
  }
  if (!ParseCvss(t.cvss2, v.cvss2_score, v.cvss2_vector) && warn) {
    warn("CVSS_BASE", "'" + t.cvss2 + "' is not a score in 0..10; ignored");
  }
  if (!ParseCvss(t.cvss3, v.cvss3_score, v.cvss3_vector) && warn) {
    warn("CVSS3_BASE", "'" + t.cvss3 + "' is not a score in 0..10; ignored");
  }
  auto add = [&](const char* kind, const std::string& value) {
    Reference r{kind, std::string(TrimSpace(value))};
    if (!r.value.empty() && r.value != "-") {
      AppendReference(v.refs, std::move(r));
    }
  };
  for (const auto& cve : t.cves) {
    add("cve", cve);
  }
  for (const auto& bid : t.bids) {
    add("bid", bid);
  }
  for (const auto& ref : t.vendor_refs) {
    add("xref", ref);
  }
  for (const auto& url : t.urls) {
    add("see_also", url);
  }
  return v;
}

}  // namespace qualys
}  // namespace vigil
