#include "ingest/recording_sink.h"

namespace vigil::testing {
namespace {

template <typename T>
nlohmann::ordered_json Opt(const std::optional<T>& v) {
  if (!v) {
    return nullptr;
  }
  if constexpr (std::is_same_v<T, Timestamp>) {
    return FormatIso8601(*v);
  } else {
    return *v;
  }
}

nlohmann::ordered_json VulnJson(const VulnerabilityDef& v) {
  nlohmann::ordered_json j;
  j["key"] = v.key;
  j["source"] = v.source;
  j["source_id"] = v.source_id;
  j["title"] = v.title;
  j["family"] = v.family;
  j["synopsis"] = v.synopsis;
  j["description"] = v.description;
  j["solution"] = v.solution;
  j["risk_factor"] = v.risk_factor;
  j["scanner_severity"] = Opt(v.scanner_severity);
  j["cvss2_vector"] = v.cvss2_vector;
  j["cvss2_score"] = Opt(v.cvss2_score);
  j["cvss3_vector"] = v.cvss3_vector;
  j["cvss3_score"] = Opt(v.cvss3_score);
  j["cvss4_vector"] = v.cvss4_vector;
  j["cvss4_score"] = Opt(v.cvss4_score);
  j["vpr_score"] = Opt(v.vpr_score);
  j["epss_score"] = Opt(v.epss_score);
  j["exploit_available"] = Opt(v.exploit_available);
  j["check_type"] = v.check_type;
  j["published"] = Opt(v.published);
  j["modified"] = Opt(v.modified);
  j["patch_published"] = Opt(v.patch_published);
  j["vuln_published"] = Opt(v.vuln_published);
  j["refs"] = nlohmann::ordered_json::array();
  for (const auto& r : v.refs) {
    j["refs"].push_back(r.kind + ":" + r.value);
  }
  return j;
}

}  // namespace

Status RecordingSink::OnHeader(const ReportHeader& h) {
  ++headers;
  json["header"] = {{"format", h.format},
                    {"report_name", h.report_name},
                    {"policy_name", h.policy_name},
                    {"has_check_set", h.has_check_set},
                    {"check_set", h.check_set}};
  if (!h.tool.empty()) {
    json["header"]["tool"] = h.tool;
  }
  json["hosts"] = nlohmann::ordered_json::array();
  return Status::Ok();
}

VulnerabilityDef RecordingSink::Effective(const ItemObservation& i) {
  if (!i.shared_definition) {
    first_.emplace(i.vuln.key, i.vuln);
    return i.vuln;
  }
  // As the engine reads it: the texts of the first item of the key (ingest/report.h).
  auto it = first_.find(i.vuln.key);
  if (it == first_.end()) {
    ++shared_before_first;
    return i.vuln;
  }
  VulnerabilityDef v = i.vuln;
  v.title = it->second.title;
  v.family = it->second.family;
  v.synopsis = it->second.synopsis;
  v.description = it->second.description;
  v.solution = it->second.solution;
  v.refs = it->second.refs;
  return v;
}

Status RecordingSink::OnHost(HostObservation& h) {
  ++hosts;
  nlohmann::ordered_json j;
  j["report_name"] = h.report_name;
  j["line"] = h.line;
  j["ip"] = h.ip;
  j["fqdn"] = h.fqdn;
  j["hostname"] = h.hostname;
  j["netbios_name"] = h.netbios_name;
  j["mac"] = h.mac;
  j["os"] = h.os;
  j["agent_id"] = h.agent_id;
  j["start"] = Opt(h.start);
  j["end"] = Opt(h.end);
  j["credentialed"] = Opt(h.credentialed);
  j["items"] = nlohmann::ordered_json::array();
  for (const auto& i : h.items) {
    nlohmann::ordered_json item = {{"line", i.line},         {"port", i.port},
                                   {"protocol", i.protocol}, {"service", i.service},
                                   {"output", i.output},     {"vuln", VulnJson(Effective(i))}};
    // Fields only some formats fill, shown only when set (older goldens stay as they are).
    if (!i.location.empty()) {
      item["location"] = i.location;
    }
    if (!i.package.empty() || !i.package.fixed_version.empty()) {
      item["package"] = {{"name", i.package.name}, {"version", i.package.version},
                         {"purl", i.package.purl}, {"type", i.package.type},
                         {"path", i.package.path}, {"fixed_version", i.package.fixed_version}};
    }
    if (i.qod) {
      item["qod"] = *i.qod;
    }
    if (i.vex) {
      item["vex"] = {{"state", i.vex->state},
                     {"justification", i.vex->justification},
                     {"response", i.vex->response},
                     {"detail", i.vex->detail}};
    }
    j["items"].push_back(std::move(item));
  }
  json["hosts"].push_back(std::move(j));
  return Status::Ok();
}

}  // namespace vigil::testing
