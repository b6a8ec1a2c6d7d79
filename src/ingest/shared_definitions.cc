#include "ingest/shared_definitions.h"

namespace vigil {

void SharedDefinitions::Attach(const VulnerabilityDef& def, ItemObservation& item) {
  if (FirstUse(def.key)) {
    item.vuln = def;
    item.shared_definition = false;
    return;
  }
  item.vuln = ThinDefinition(def);
  item.shared_definition = true;
}

VulnerabilityDef ThinDefinition(const VulnerabilityDef& def) {
  VulnerabilityDef thin;
  thin.key = def.key;
  thin.source = def.source;
  thin.source_id = def.source_id;
  thin.risk_factor = def.risk_factor;
  thin.scanner_severity = def.scanner_severity;
  thin.cvss2_vector = def.cvss2_vector;
  thin.cvss2_score = def.cvss2_score;
  thin.cvss3_vector = def.cvss3_vector;
  thin.cvss3_score = def.cvss3_score;
  thin.cvss4_vector = def.cvss4_vector;
  thin.cvss4_score = def.cvss4_score;
  thin.vpr_score = def.vpr_score;
  thin.epss_score = def.epss_score;
  thin.exploit_available = def.exploit_available;
  thin.check_type = def.check_type;
  thin.published = def.published;
  thin.modified = def.modified;
  thin.patch_published = def.patch_published;
  thin.vuln_published = def.vuln_published;
  return thin;
}

}  // namespace vigil
