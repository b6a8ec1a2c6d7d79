#include "engine/vex_export.h"

#include <map>
#include <set>

#include "core/sha256.h"
#include "engine/decisions.h"
#include "ingest/location.h"
#include "store/store.h"

namespace vigil {
namespace {

struct Analysis {
  std::string state;
  std::string justification;
  std::vector<std::string> response;
};

Analysis AnalysisOf(const DecisionRecord& d) {
  switch (d.type) {
    case DecisionType::kFalsePositive:
      if (d.reason == ReasonCategory::kFalsePositive) {
        return {"false_positive", "", {}};
      }
      if (d.reason == ReasonCategory::kCompensatingControls) {
        return {"not_affected", "protected_by_mitigating_control", {}};
      }
      return {"not_affected", "", {}};
    case DecisionType::kAcceptRisk:
      return {"exploitable", "", {"will_not_fix"}};
    case DecisionType::kMitigationPlan:
      return {"in_triage", "", {"update"}};
    case DecisionType::kRecast:
    case DecisionType::kClassify:
      break;
  }
  return {};
}

std::string Detail(const DecisionRecord& d) {
  std::string out = d.basis + " (vigil decision #" + std::to_string(d.id) + ", " +
                    std::string(ToString(d.type)) + ", by " + d.author;
  if (!d.decided_by.empty()) {
    out += ", approved by " + d.decided_by;
  }
  if (d.effective_at) {
    out += ", in effect since " + FormatIso8601(*d.effective_at);
  }
  if (d.expires_at) {
    out += ", expires " + FormatIso8601(*d.expires_at);
  }
  if (d.target_at) {
    out += ", target " + FormatIso8601(*d.target_at);
  }
  return out + ")";
}

// A UUID (version 4 layout, RFC 4122 variant) from the SHA-256 of `text`.
std::string UuidOf(const std::string& text) {
  std::string h = Sha256Hex(text).substr(0, 32);
  h[12] = '4';
  // The RFC 4122 variant (binary 10xx): the lower-case hex digit keeps its low two bits.
  char c = h[16];
  h[16] = "89ab"[(c <= '9' ? c - '0' : c - 'a' + 10) & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

// The CycloneDX component of a package finding: its purl and name from the location
// ("pkg:npm/lodash@4.17.20 in app/package-lock.json"), and the asset and file it is on.
nlohmann::ordered_json ComponentOf(const FindingView& f, const std::string& ref) {
  nlohmann::ordered_json c{{"type", "library"}, {"bom-ref", ref}};
  std::string location = f.location;
  std::string file;
  if (size_t in = location.find(" in "); in != std::string::npos) {
    file = location.substr(in + 4);
    location = location.substr(0, in);
  }
  std::string name = location;
  if (location.rfind("pkg:", 0) == 0) {
    c["purl"] = location;
    size_t slash = location.rfind('/');
    size_t at = location.rfind('@');
    name = location.substr(
        slash + 1, at == std::string::npos || at < slash ? std::string::npos : at - slash - 1);
  } else if (size_t at = location.rfind('@'); at != std::string::npos && at > 0) {
    name = location.substr(0, at);
  }
  c["name"] = name;
  if (!f.installed_version.empty()) {
    c["version"] = f.installed_version;
  }
  nlohmann::ordered_json props = nlohmann::ordered_json::array();
  props.push_back({{"name", "vigil:asset"}, {"value", f.asset}});
  if (!file.empty()) {
    props.push_back({{"name", "vigil:path"}, {"value", file}});
  }
  c["properties"] = props;
  return c;
}

}  // namespace

Result<VexExport> ExportVex(Store& store, Timestamp now) {
  ASSIGN_OR_RETURN(auto decisions, QueryDecisionsAt(store, {}, now));
  nlohmann::ordered_json vulns = nlohmann::ordered_json::array();
  std::map<std::string, nlohmann::ordered_json> components;  // by bom-ref
  VexExport out;
  for (const DecisionRecord& d : decisions) {
    Analysis a = AnalysisOf(d);
    if (a.state.empty() || !InEffectAt(d, now)) {
      continue;
    }
    FindingQuery q{.states = {FindingState::kOpen, FindingState::kReopened, FindingState::kFixed},
                   .vuln_key = d.vuln_key,
                   .with_scanners = false};
    ASSIGN_OR_RETURN(auto findings, store.QueryFindings(q));
    std::set<std::string> refs;
    for (const FindingView& f : findings) {
      if (f.location.empty() || !Covers(d, f.asset, f.port)) {
        continue;
      }
      std::string ref = f.asset + "|" + f.location;
      refs.insert(ref);
      if (components.count(ref) == 0) {
        components[ref] = ComponentOf(f, ref);
      }
    }
    if (refs.empty()) {
      continue;  // not about packages: nothing a VEX document can state
    }
    nlohmann::ordered_json v{{"bom-ref", "vigil-decision-" + std::to_string(d.id)},
                             {"id", d.vuln_key}};
    if (d.vuln_key.rfind("CVE-", 0) == 0) {
      v["source"] = {{"name", "NVD"}, {"url", "https://nvd.nist.gov/vuln/detail/" + d.vuln_key}};
    } else if (d.vuln_key.rfind("GHSA-", 0) == 0) {
      v["source"] = {{"name", "GitHub"}, {"url", "https://github.com/advisories/" + d.vuln_key}};
    }
    nlohmann::ordered_json analysis{{"state", a.state}};
    if (!a.justification.empty()) {
      analysis["justification"] = a.justification;
    }
    if (!a.response.empty()) {
      analysis["response"] = a.response;
    }
    analysis["detail"] = Detail(d);
    analysis["firstIssued"] = FormatIso8601(d.created_at);
    analysis["lastUpdated"] = FormatIso8601(d.decided_at.value_or(d.created_at));
    v["analysis"] = std::move(analysis);
    nlohmann::ordered_json affects = nlohmann::ordered_json::array();
    for (const auto& ref : refs) {
      affects.push_back({{"ref", ref}});
    }
    v["affects"] = std::move(affects);
    vulns.push_back(std::move(v));
    ++out.statements;
  }
  nlohmann::ordered_json comps = nlohmann::ordered_json::array();
  for (auto& [ref, c] : components) {
    comps.push_back(std::move(c));
  }
  out.components = static_cast<int>(comps.size());
  nlohmann::ordered_json doc;
  doc["bomFormat"] = "CycloneDX";
  doc["specVersion"] = "1.5";
  doc["serialNumber"] = "";
  doc["version"] = 1;
  doc["metadata"] = {{"timestamp", FormatIso8601(now)},
                     {"tools", {{"components", {{{"type", "application"}, {"name", "vigil"}}}}}}};
  doc["components"] = std::move(comps);
  doc["vulnerabilities"] = std::move(vulns);
  doc["serialNumber"] = "urn:uuid:" + UuidOf(doc.dump());
  out.document = std::move(doc);
  return out;
}

}  // namespace vigil
