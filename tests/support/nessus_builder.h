// Builds small .nessus v2 documents for tests, so every lifecycle scenario states its
// scans in a few lines.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vigil::testing {

struct TestItem {
  int plugin = 0;
  int port = 0;
  std::string protocol = "tcp";
  int severity = 2;
  std::string type = "remote";  // plugin_type
  std::string output = "output";
  std::string name;  // pluginName; default "Plugin <id>"
  std::optional<double> cvss3;
  std::vector<std::string> cves;
};

struct TestHost {
  std::string name;  // ReportHost/@name
  std::string ip;
  std::string fqdn;
  std::string agent_id;          // emitted as tag tenable-uuid
  long long start = 1704103200;  // HOST_START_TIMESTAMP (2024-01-01T10:00:00Z)
  std::optional<bool> credentialed;
  std::vector<TestItem> items;
};

// plugin_set: nullopt writes no plugin_set preference (every check counts as run).
std::string BuildNessus(const std::vector<TestHost>& hosts,
                        const std::optional<std::vector<int>>& plugin_set = std::nullopt);

// Days after 2024-01-01T10:00:00Z as epoch seconds.
long long Day(int n);

}  // namespace vigil::testing
