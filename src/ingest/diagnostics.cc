#include "ingest/diagnostics.h"

namespace vigil {

void Diagnostics::Add(Diagnostic d) {
  ++count_;
  if (kept_.size() < max_kept_) {
    kept_.push_back(std::move(d));
  }
}

std::string Diagnostics::Format(const std::string& file, const Diagnostic& d) {
  std::string out = file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": ";
  if (!d.record.empty()) {
    out += d.record + ": ";
  }
  if (!d.field.empty()) {
    out += d.field + ": ";
  }
  return out + d.message;
}

}  // namespace vigil
