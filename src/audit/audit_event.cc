#include "audit/audit_event.h"

#include "audit/canonical_json.h"

namespace vigil {

std::string CanonicalLeaf(const AuditEvent& e) {
  std::string out;
  out.reserve(96 + e.actor.size() + e.type.size() + e.subject.size() + e.payload.size());
  out += '{';
  JsonKey(out, "actor");
  out += JsonString(e.actor);
  out += ',';
  JsonKey(out, "at");
  out += std::to_string(ToUnixSeconds(e.at));
  out += ',';
  JsonKey(out, "payload");
  out += e.payload.empty() ? "{}" : e.payload;
  out += ',';
  JsonKey(out, "seq");
  out += std::to_string(e.seq);
  out += ',';
  JsonKey(out, "subject");
  out += JsonString(e.subject);
  out += ',';
  JsonKey(out, "type");
  out += JsonString(e.type);
  out += '}';
  return out;
}

}  // namespace vigil
