#include "ingest/finding_book.h"

#include <algorithm>

#include "ingest/references.h"
#include "ingest/shared_definitions.h"

namespace vigil {
namespace {

void MergeItem(ItemObservation& into, ItemObservation& from, OutputMerge& output) {
  output.Append(into.output, from.output);
  if (!into.vex && from.vex) {
    into.vex = std::move(from.vex);
  }
  if (into.package.empty() && !from.package.empty()) {
    into.package = std::move(from.package);
  }
}

void MergeDef(VulnerabilityDef& into, const VulnerabilityDef& from) {
  for (const Reference& r : from.refs) {
    AppendReference(into.refs, r);
  }
}

}  // namespace

void FindingBook::Add(ItemObservation item) {
  std::string key = item.vuln.key;
  auto def = defs_.find(key);
  if (def == defs_.end()) {
    defs_.emplace(key, std::move(item.vuln));
  } else {
    MergeDef(def->second, item.vuln);
  }
  item.vuln = VulnerabilityDef{.key = key};
  std::string finding = key + '\x1f' + item.location;
  auto [it, inserted] = index_.emplace(std::move(finding), items_.size());
  if (inserted) {
    items_.push_back(std::move(item));
  } else {
    MergeItem(items_[it->second], item,
              outputs_.try_emplace(it->second, OutputMerge::Unit::kWhole, "\n\n").first->second);
  }
}

std::vector<ItemObservation> FindingBook::Take() {
  SharedDefinitions shared;
  for (ItemObservation& item : items_) {
    shared.Attach(defs_.at(item.vuln.key), item);
  }
  std::vector<ItemObservation> out = std::move(items_);
  items_.clear();
  index_.clear();
  defs_.clear();
  outputs_.clear();
  return out;
}

}  // namespace vigil
