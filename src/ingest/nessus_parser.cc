#include "ingest/nessus_parser.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>
#include <unordered_map>

#include "core/text.h"
#include "core/time.h"
#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/report.h"
#include "ingest/xml_reader.h"

namespace vigil {
namespace {

constexpr std::string_view kRoot = "NessusClientData_v2";
constexpr std::string_view kCompliancePrefix = "cm:compliance-";

bool ParseInt(std::string_view s, int& out) {
  s = TrimSpace(s);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
}

bool ParseDouble(std::string_view s, double& out) {
  s = TrimSpace(s);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<bool> ParseBool(std::string_view s) {
  std::string v = AsciiLower(TrimSpace(s));
  if (v == "true" || v == "yes" || v == "1") {
    return true;
  }
  if (v == "false" || v == "no" || v == "0") {
    return false;
  }
  return std::nullopt;
}

// Tags that carry a host-resident identity, strongest first.
constexpr std::string_view kAgentTags[] = {"agent-id", "nessus-agent-uuid", "agent-uuid",
                                           "tenable-uuid"};

int AgentTagRank(std::string_view tag) {
  for (size_t i = 0; i < std::size(kAgentTags); ++i) {
    if (kAgentTags[i] == tag) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

class NessusHandler final : public XmlHandler {
 public:
  NessusHandler(XmlReader& reader, ReportSink& sink, Diagnostics& diagnostics)
      : reader_(reader), sink_(sink), diag_(diagnostics) {}

  Status OnStart(std::string_view name, const char** attrs) override;
  Status OnEnd(std::string_view name) override;
  Status OnText(std::string_view text) override {
    if (capture_ != nullptr) {
      capture_->append(text);
    }
    return Status::Ok();
  }

  bool saw_root() const { return depth_ > 0 || root_closed_; }
  Status Finish();

 private:
  Status StartInHost(std::string_view name, const char** attrs);
  void StartItem(const char** attrs);
  void EndItemChild(std::string_view name);
  void EndTag();
  void EndPreference();
  Status EndItem();
  Status SendHeaderOnce();
  void Warn(std::string field, std::string message);
  std::string ItemRecord() const;

  XmlReader& reader_;
  ReportSink& sink_;
  Diagnostics& diag_;
  int depth_ = 0;
  bool root_closed_ = false;
  std::string* capture_ = nullptr;  // where text goes, or nullptr

  ReportHeader header_{.format = "nessus"};
  bool header_sent_ = false;
  bool in_policy_ = false;
  bool in_server_prefs_ = false;
  std::string pref_name_, pref_value_;

  bool in_host_ = false;
  bool in_props_ = false;
  HostObservation host_;
  std::string tag_name_, tag_value_;
  std::string start_text_, end_text_, start_epoch_, end_epoch_;
  int agent_rank_ = -1;

  bool in_item_ = false;
  bool skip_item_ = false;
  int item_depth_ = 0;
  ItemObservation item_;
  std::string child_text_;
  std::unordered_map<std::string, std::string> compliance_;
};

void NessusHandler::Warn(std::string field, std::string message) {
  XmlPosition pos = reader_.position();
  diag_.Add(Diagnostic{.line = pos.line,
                       .column = pos.column,
                       .record = in_item_ ? ItemRecord() : "ReportHost " + host_.report_name,
                       .field = std::move(field),
                       .message = std::move(message)});
}

std::string NessusHandler::ItemRecord() const {
  return "ReportHost " + host_.report_name + " / ReportItem " +
         (item_.vuln.source_id.empty() ? "?" : item_.vuln.source_id);
}

Status NessusHandler::SendHeaderOnce() {
  if (header_sent_) {
    return Status::Ok();
  }
  header_sent_ = true;
  std::sort(header_.check_set.begin(), header_.check_set.end());
  header_.check_set.erase(std::unique(header_.check_set.begin(), header_.check_set.end()),
                          header_.check_set.end());
  return sink_.OnHeader(header_);
}

Status NessusHandler::OnStart(std::string_view name, const char** attrs) {
  ++depth_;
  if (depth_ == 1) {
    if (name != kRoot) {
      return InvalidInput("expected root element <" + std::string(kRoot) + ">, found <" +
                          std::string(name) + ">");
    }
    return Status::Ok();
  }
  if (in_item_) {
    if (depth_ == item_depth_ + 1) {
      child_text_.clear();
      capture_ = &child_text_;
    }
    return Status::Ok();
  }
  if (in_host_) {
    return StartInHost(name, attrs);
  }
  if (depth_ == 2 && name == "Policy") {
    in_policy_ = true;
  } else if (in_policy_) {
    if (name == "policyName") {
      capture_ = &header_.policy_name;
    } else if (name == "ServerPreferences") {
      in_server_prefs_ = true;
    } else if (in_server_prefs_ && name == "preference") {
      pref_name_.clear();
      pref_value_.clear();
    } else if (in_server_prefs_ && name == "name") {
      capture_ = &pref_name_;
    } else if (in_server_prefs_ && name == "value") {
      capture_ = &pref_value_;
    }
  } else if (depth_ == 2 && name == "Report") {
    const char* report_name = XmlReader::Attr(attrs, "name");
    header_.report_name = report_name != nullptr ? report_name : "";
  } else if (depth_ == 3 && name == "ReportHost") {
    RETURN_IF_ERROR(SendHeaderOnce());
    in_host_ = true;
    host_ = HostObservation{};
    const char* host_name = XmlReader::Attr(attrs, "name");
    host_.report_name = host_name != nullptr ? host_name : "";
    host_.line = reader_.position().line;
    start_text_.clear();
    end_text_.clear();
    start_epoch_.clear();
    end_epoch_.clear();
    agent_rank_ = -1;
  }
  return Status::Ok();
}

Status NessusHandler::StartInHost(std::string_view name, const char** attrs) {
  if (name == "HostProperties") {
    in_props_ = true;
  } else if (in_props_ && name == "tag") {
    const char* tag = XmlReader::Attr(attrs, "name");
    tag_name_ = tag != nullptr ? tag : "";
    tag_value_.clear();
    capture_ = &tag_value_;
  } else if (name == "ReportItem") {
    StartItem(attrs);
  }
  return Status::Ok();
}

void NessusHandler::StartItem(const char** attrs) {
  in_item_ = true;
  skip_item_ = false;
  item_depth_ = depth_;
  item_ = ItemObservation{};
  compliance_.clear();
  item_.line = reader_.position().line;
  auto attr = [&](std::string_view n) -> std::string_view {
    const char* v = XmlReader::Attr(attrs, n);
    return v != nullptr ? std::string_view(v) : std::string_view();
  };
  std::string_view plugin = TrimSpace(attr("pluginID"));
  if (!IsDigits(plugin)) {
    Warn("pluginID", plugin.empty()
                         ? "missing; item skipped"
                         : "'" + std::string(plugin) + "' is not a number; item skipped");
    skip_item_ = true;
    return;
  }
  item_.vuln.source = "tenable";
  item_.vuln.source_id = std::string(plugin);
  item_.vuln.key = "tenable:" + item_.vuln.source_id;
  item_.vuln.title = std::string(attr("pluginName"));
  item_.vuln.family = std::string(attr("pluginFamily"));
  item_.protocol = AsciiLower(TrimSpace(attr("protocol")));
  item_.service = std::string(attr("svc_name"));
  std::string_view port = TrimSpace(attr("port"));  // no port: a host-level item, port 0
  if (!port.empty() && (!ParseInt(port, item_.port) || item_.port < 0 || item_.port > 65535)) {
    Warn("port", "'" + std::string(port) + "' is not a port number; item skipped");
    skip_item_ = true;
    return;
  }
  std::string_view severity = attr("severity");
  int sev = 0;
  if (!severity.empty()) {
    if (ParseInt(severity, sev) && sev >= 0 && sev <= 4) {
      item_.vuln.scanner_severity = sev;
    } else {
      Warn("severity", "'" + std::string(severity) + "' is not 0..4; ignored");
    }
  }
}

// NOLINTNEXTLINE(readability-function-size): one short branch per ReportItem child, read as a table
void NessusHandler::EndItemChild(std::string_view name) {
  capture_ = nullptr;
  VulnerabilityDef& v = item_.vuln;
  std::string_view text = TrimSpace(child_text_);
  // CVSS and VPR scores are 0..10; EPSS is a probability, 0..1.
  auto score = [&](std::optional<double>& out, double max = 10.0) {
    double d = 0;
    if (text.empty()) {
      return;
    }
    if (ParseDouble(text, d) && d >= 0 && d <= max) {
      out = d;
    } else {
      Warn(std::string(name), "'" + std::string(text) + "' is not a score in 0.." +
                                  (max == 1.0 ? "1" : "10") + "; ignored");
    }
  };
  auto date = [&](std::optional<Timestamp>& out) {
    if (text.empty()) {
      return;
    }
    auto t = ParseSlashDate(text);
    if (t.ok()) {
      out = *t;
    } else {
      Warn(std::string(name), t.status().message() + "; ignored");
    }
  };
  auto ref = [&](const char* kind) {
    if (!text.empty()) {
      v.refs.push_back({kind, std::string(text)});
    }
  };
  if (name == "plugin_output") {
    item_.output = std::move(child_text_);  // kept verbatim: it is evidence
  } else if (name == "description") {
    v.description = std::string(text);
  } else if (name == "synopsis") {
    v.synopsis = std::string(text);
  } else if (name == "solution") {
    v.solution = std::string(text);
  } else if (name == "risk_factor") {
    v.risk_factor = std::string(text);
  } else if (name == "cvss_base_score") {
    score(v.cvss2_score);
  } else if (name == "cvss_vector") {
    v.cvss2_vector = std::string(text);
  } else if (name == "cvss3_base_score") {
    score(v.cvss3_score);
  } else if (name == "cvss3_vector") {
    v.cvss3_vector = std::string(text);
  } else if (name == "cvss4_base_score") {
    score(v.cvss4_score);
  } else if (name == "cvss4_vector") {
    v.cvss4_vector = std::string(text);
  } else if (name == "vpr_score") {
    score(v.vpr_score);
  } else if (name == "epss_score") {
    score(v.epss_score, 1.0);
  } else if (name == "exploit_available") {
    v.exploit_available = ParseBool(text);
  } else if (name == "plugin_type") {
    v.check_type = AsciiLower(text);
  } else if (name == "plugin_publication_date") {
    date(v.published);
  } else if (name == "plugin_modification_date") {
    date(v.modified);
  } else if (name == "patch_publication_date") {
    date(v.patch_published);
  } else if (name == "vuln_publication_date") {
    date(v.vuln_published);
  } else if (name == "cve") {
    ref("cve");
  } else if (name == "cwe") {
    ref("cwe");
  } else if (name == "xref") {
    ref("xref");
  } else if (name == "cpe") {
    ref("cpe");
  } else if (name == "bid") {
    ref("bid");
  } else if (name == "iava" || name == "iavb" || name == "iavt") {
    ref("iava");
  } else if (name == "see_also") {
    size_t start = 0;
    while (start <= text.size()) {
      size_t nl = text.find('\n', start);
      std::string_view line =
          TrimSpace(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
      if (!line.empty()) {
        v.refs.push_back({"see_also", std::string(line)});
      }
      if (nl == std::string_view::npos) {
        break;
      }
      start = nl + 1;
    }
  } else if (name.substr(0, kCompliancePrefix.size()) == kCompliancePrefix) {
    compliance_[std::string(name.substr(kCompliancePrefix.size()))] = std::string(text);
  }
}

Status NessusHandler::EndItem() {
  in_item_ = false;
  capture_ = nullptr;
  if (skip_item_) {
    return Status::Ok();
  }
  if (!compliance_.empty()) {
    // One compliance plugin reports many checks: each check is its own vulnerability.
    std::string check = compliance_["check-id"];
    if (check.empty()) {
      check = compliance_["check-name"];
    }
    if (!check.empty()) {
      item_.vuln.key += ":" + check;
      item_.vuln.source_id += ":" + check;
    }
    if (!compliance_["check-name"].empty()) {
      item_.vuln.title = compliance_["check-name"];
    }
    if (item_.vuln.description.empty()) {
      item_.vuln.description = compliance_["info"];
    }
    if (item_.vuln.solution.empty()) {
      item_.vuln.solution = compliance_["solution"];
    }
    std::string result = compliance_["result"];
    std::string actual = compliance_["actual-value"];
    if (!result.empty() || !actual.empty()) {
      item_.output = "Compliance result: " + result +
                     (actual.empty() ? "" : "\nActual value: " + actual) +
                     (item_.output.empty() ? "" : "\n" + item_.output);
    }
  }
  host_.items.push_back(std::move(item_));
  return Status::Ok();
}

void NessusHandler::EndTag() {
  capture_ = nullptr;
  std::string_view v = TrimSpace(tag_value_);
  const std::string& n = tag_name_;
  if (n == "host-ip") {
    host_.ip = std::string(v);
  } else if (n == "host-fqdn") {
    host_.fqdn = AsciiLower(v);
  } else if (n == "hostname") {
    host_.hostname = std::string(v);
  } else if (n == "netbios-name") {
    host_.netbios_name = std::string(v);
  } else if (n == "mac-address") {
    host_.mac = AsciiLower(v);
  } else if (n == "operating-system") {
    host_.os = std::string(v);
  } else if (n == "HOST_START") {
    start_text_ = std::string(v);
  } else if (n == "HOST_END") {
    end_text_ = std::string(v);
  } else if (n == "HOST_START_TIMESTAMP") {
    start_epoch_ = std::string(v);
  } else if (n == "HOST_END_TIMESTAMP") {
    end_epoch_ = std::string(v);
  } else if (n == "Credentialed_Scan") {
    host_.credentialed = ParseBool(v);
  } else if (int rank = AgentTagRank(n); rank >= 0 && !v.empty()) {
    if (agent_rank_ < 0 || rank < agent_rank_) {
      agent_rank_ = rank;
      host_.agent_id = AsciiLower(v);
    }
  }
}

void NessusHandler::EndPreference() {
  if (pref_name_ != "plugin_set") {
    return;
  }
  header_.has_check_set = true;
  header_.check_set = SplitNonEmpty(pref_value_, ";");
}

Status NessusHandler::OnEnd(std::string_view name) {
  int depth = depth_--;
  if (depth == 1) {
    root_closed_ = true;
    return Status::Ok();
  }
  if (in_item_) {
    if (depth == item_depth_) {
      return EndItem();
    }
    if (depth == item_depth_ + 1) {
      EndItemChild(name);
    }
    return Status::Ok();
  }
  if (in_host_) {
    if (in_props_ && name == "tag") {
      EndTag();
    } else if (name == "HostProperties") {
      in_props_ = false;
    } else if (depth == 3 && name == "ReportHost") {
      in_host_ = false;
      auto time_of = [&](const std::string& epoch, const std::string& text, const char* tag,
                         std::optional<Timestamp>& out) {
        if (!epoch.empty() && ParseEpochSeconds(epoch).ok()) {
          out = *ParseEpochSeconds(epoch);
        } else if (!text.empty()) {
          auto t = ParseNessusHostTime(text);
          if (t.ok()) {
            out = *t;
          } else {
            Warn(tag, t.status().message() + "; ignored");
          }
        }
      };
      time_of(start_epoch_, start_text_, "HOST_START", host_.start);
      time_of(end_epoch_, end_text_, "HOST_END", host_.end);
      return sink_.OnHost(host_);
    }
    return Status::Ok();
  }
  if (in_policy_) {
    if (name == "Policy" && depth == 2) {
      in_policy_ = false;
    } else if (name == "ServerPreferences") {
      in_server_prefs_ = false;
    } else if (in_server_prefs_ && name == "preference") {
      EndPreference();
    }
    capture_ = nullptr;
  }
  return Status::Ok();
}

Status NessusHandler::Finish() {
  return SendHeaderOnce();
}

}  // namespace

Status ParseNessus(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics) {
  XmlReader reader;
  NessusHandler handler(reader, sink, diagnostics);
  RETURN_IF_ERROR(reader.Parse(source, handler));
  return handler.Finish();
}

}  // namespace vigil
