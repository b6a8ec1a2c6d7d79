#include "support/nessus_builder.h"

namespace vigil::testing {

long long Day(int n) {
  return 1704103200LL + 86400LL * n;
}

std::string BuildNessus(const std::vector<TestHost>& hosts,
                        const std::optional<std::vector<int>>& plugin_set) {
  std::string x = "<?xml version=\"1.0\" ?>\n<NessusClientData_v2>\n";
  x += "<Policy><policyName>test policy</policyName><Preferences><ServerPreferences>";
  if (plugin_set) {
    x += "<preference><name>plugin_set</name><value>";
    for (size_t i = 0; i < plugin_set->size(); ++i) {
      x += (i ? ";" : "") + std::to_string((*plugin_set)[i]);
    }
    x += "</value></preference>";
  }
  x += "</ServerPreferences></Preferences></Policy>\n<Report name=\"test\">\n";
  for (const auto& h : hosts) {
    x += "<ReportHost name=\"" + h.name + "\"><HostProperties>\n";
    x += "<tag name=\"HOST_START_TIMESTAMP\">" + std::to_string(h.start) + "</tag>\n";
    x += "<tag name=\"HOST_END_TIMESTAMP\">" + std::to_string(h.start + 600) + "</tag>\n";
    if (!h.ip.empty()) {
      x += "<tag name=\"host-ip\">" + h.ip + "</tag>\n";
    }
    if (!h.fqdn.empty()) {
      x += "<tag name=\"host-fqdn\">" + h.fqdn + "</tag>\n";
    }
    if (!h.agent_id.empty()) {
      x += "<tag name=\"tenable-uuid\">" + h.agent_id + "</tag>\n";
    }
    if (h.credentialed) {
      x += std::string("<tag name=\"Credentialed_Scan\">") + (*h.credentialed ? "true" : "false") +
           "</tag>\n";
    }
    x += "</HostProperties>\n";
    for (const auto& i : h.items) {
      std::string name = i.name.empty() ? "Plugin " + std::to_string(i.plugin) : i.name;
      x += "<ReportItem port=\"" + std::to_string(i.port) + "\" svc_name=\"svc\" protocol=\"" +
           i.protocol + "\" severity=\"" + std::to_string(i.severity) + "\" pluginID=\"" +
           std::to_string(i.plugin) + "\" pluginName=\"" + name + "\" pluginFamily=\"General\">\n";
      x += "<plugin_type>" + i.type + "</plugin_type>\n";
      x += "<description>Description of " + name + "</description>\n";
      if (i.cvss3) {
        x += "<cvss3_base_score>" + std::to_string(*i.cvss3) + "</cvss3_base_score>\n";
      }
      for (const auto& cve : i.cves) {
        x += "<cve>" + cve + "</cve>\n";
      }
      x += "<plugin_output>" + i.output + "</plugin_output>\n</ReportItem>\n";
    }
    x += "</ReportHost>\n";
  }
  x += "</Report>\n</NessusClientData_v2>\n";
  return x;
}

}  // namespace vigil::testing
