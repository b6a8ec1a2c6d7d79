#include "fuzz/checking_sink.h"

#include "fuzz/fuzz_check.h"

namespace vigil::fuzz {
namespace {

void CheckVulnerability(const VulnerabilityDef& v) {
  CheckKey(v.key, "vulnerability key");
  for (const std::string* text :
       {&v.source, &v.source_id, &v.title, &v.family, &v.synopsis, &v.description, &v.solution,
        &v.risk_factor, &v.cvss2_vector, &v.cvss3_vector, &v.cvss4_vector, &v.check_type}) {
    CheckText(*text, "a text of vulnerability " + v.key);
  }
  CheckRange(v.scanner_severity, 0, 4, "scanner severity of " + v.key);
  CheckRange(v.cvss2_score, 0, 10, "CVSS v2 score of " + v.key);
  CheckRange(v.cvss3_score, 0, 10, "CVSS v3 score of " + v.key);
  CheckRange(v.cvss4_score, 0, 10, "CVSS v4 score of " + v.key);
  CheckRange(v.vpr_score, 0, 10, "VPR score of " + v.key);
  CheckRange(v.epss_score, 0, 1, "EPSS score of " + v.key);
  for (const Reference& r : v.refs) {
    CheckKey(r.kind, "reference kind of " + v.key);
    CheckKey(r.value, "reference value of " + v.key);
  }
}

void CheckItem(const ItemObservation& item) {
  CheckVulnerability(item.vuln);
  CheckRange(item.port, 0, 65535, "port of " + item.vuln.key);
  CheckRange(item.qod, 0, 100, "QoD of " + item.vuln.key);
  const PackageRef& p = item.package;
  for (const std::string* text :
       {&item.protocol, &item.service, &item.location, &item.output, &p.name, &p.version, &p.purl,
        &p.type, &p.path, &p.fixed_version}) {
    CheckText(*text, "a text of a finding of " + item.vuln.key);
  }
  if (item.vex) {
    CheckText(item.vex->state, "VEX state");
    CheckText(item.vex->justification, "VEX justification");
    CheckText(item.vex->detail, "VEX detail");
    for (const std::string& r : item.vex->response) {
      CheckText(r, "VEX response");
    }
  }
}

}  // namespace

Status CheckingSink::OnHeader(const ReportHeader& header) {
  Check(recording_.headers == 0, "a second report header");
  Check(header.format == format_, "the header names another format", header.format);
  for (const std::string* text : {&header.tool, &header.report_name, &header.policy_name}) {
    CheckText(*text, "a text of the report header");
  }
  for (const std::string& id : header.check_set) {
    CheckKey(id, "a check of the policy's check set");
  }
  return recording_.OnHeader(header);
}

Status CheckingSink::OnHost(HostObservation& host) {
  Check(recording_.headers == 1, "a host before the report header");
  for (const std::string* text : {&host.report_name, &host.ip, &host.fqdn, &host.hostname,
                                  &host.netbios_name, &host.mac, &host.os, &host.agent_id}) {
    CheckText(*text, "a text of a host");
  }
  Check(
      !host.agent_id.empty() || !host.fqdn.empty() || !host.ip.empty() || !host.report_name.empty(),
      "a host without identity (no agent id, FQDN, IP or name)");
  for (const ItemObservation& item : host.items) {
    CheckItem(item);
  }
  RETURN_IF_ERROR(recording_.OnHost(host));
  Check(recording_.shared_before_first == 0,
        "an item marked shared_definition before the first item of its key");
  return Status::Ok();
}

}  // namespace vigil::fuzz
