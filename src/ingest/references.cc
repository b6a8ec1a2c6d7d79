#include "ingest/references.h"

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace vigil {
namespace {

struct RefHash {
  size_t operator()(const Reference* r) const {
    return std::hash<std::string_view>()(r->kind) * 31 + std::hash<std::string_view>()(r->value);
  }
};

struct RefEqual {
  bool operator()(const Reference* a, const Reference* b) const { return *a == *b; }
};

}  // namespace

void AppendReference(std::vector<Reference>& refs, Reference ref) {
  if (refs.size() < kSearchedReferences && std::find(refs.begin(), refs.end(), ref) != refs.end()) {
    return;
  }
  refs.push_back(std::move(ref));
}

void RemoveRepeatedReferences(std::vector<Reference>& refs) {
  if (refs.size() <= kSearchedReferences) {
    return;  // AppendReference kept a short list free of repeats
  }
  std::vector<bool> keep(refs.size());
  {
    std::unordered_set<const Reference*, RefHash, RefEqual> seen;
    seen.reserve(refs.size());
    for (size_t i = 0; i < refs.size(); ++i) {
      keep[i] = seen.insert(&refs[i]).second;
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < refs.size(); ++i) {
    if (keep[i]) {
      if (kept != i) {
        refs[kept] = std::move(refs[i]);
      }
      ++kept;
    }
  }
  refs.resize(kept);
}

}  // namespace vigil
