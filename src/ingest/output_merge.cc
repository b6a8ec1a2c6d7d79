#include "ingest/output_merge.h"

#include "ingest/input_policy.h"

namespace vigil {

void OutputMerge::Seed(const std::string& text) {
  seeded_ = true;
  if (unit_ == Unit::kWhole) {
    seen_.insert(text);
    return;
  }
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    seen_.emplace(text, start, end - start);
    start = end + 1;
  }
}

void OutputMerge::Append(std::string& text, std::string_view piece) {
  if (piece.empty() || full_) {
    return;
  }
  if (!seeded_) {
    Seed(text);
  }
  if (!seen_.emplace(piece).second) {
    return;
  }
  if (text.size() + separator_.size() + piece.size() > kMaxTextBytes) {
    full_ = true;
    text += "\n[vigil: further output left out: over " + FormatBytes(kMaxTextBytes) + "]";
    return;
  }
  if (!text.empty()) {
    text += separator_;
  }
  text += piece;
}

}  // namespace vigil
