#include "ingest/record_checks.h"

#include <algorithm>
#include <unordered_set>

#include "core/cve_id.h"
#include "ingest/diagnostics.h"
#include "ingest/references.h"

namespace vigil {

void RecordChecks::CheckCves(const HostObservation& host, ItemObservation& item) {
  auto& refs = item.vuln.refs;
  bool changed = false;
  auto bad = std::remove_if(refs.begin(), refs.end(), [&](Reference& r) {
    if (r.kind != "cve") {
      return false;
    }
    if (auto id = NormalizeCveId(r.value)) {
      changed = changed || *id != r.value;
      r.value = std::move(*id);
      return false;
    }
    diag_.Add({.line = item.line,
               .record = host.report_name + " / " + item.vuln.key,
               .field = "cve",
               .message = "'" + r.value.substr(0, 60) +
                          "' is not a CVE id (CVE-YYYY-NNNN); reference ignored"});
    return true;
  });
  refs.erase(bad, refs.end());
  if (!changed) {
    return;
  }
  // Upper-casing may have made two references equal.
  std::unordered_set<std::string> seen;
  auto repeated = std::remove_if(refs.begin(), refs.end(), [&](const Reference& r) {
    return r.kind == "cve" && !seen.insert(r.value).second;
  });
  refs.erase(repeated, refs.end());
}

Status RecordChecks::OnHost(HostObservation& host) {
  auto empty = std::remove_if(host.items.begin(), host.items.end(), [&](ItemObservation& item) {
    if (!item.vuln.key.empty()) {
      return false;
    }
    diag_.Add({.line = item.line,
               .record = host.report_name,
               .field = "key",
               .message = "a finding without a vulnerability id; skipped"});
    return true;
  });
  host.items.erase(empty, host.items.end());
  for (ItemObservation& item : host.items) {
    RemoveRepeatedReferences(item.vuln.refs);
    CheckCves(host, item);
  }
  return next_.OnHost(host);
}

}  // namespace vigil
