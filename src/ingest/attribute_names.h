// The attribute names of one XML start tag, to refuse a duplicate in time linear in the number
// of attributes: a tag's first few names are compared one by one, the rest through a hash set
// (80,000 attributes on one element took 20 s when every name was compared with every other).
#pragma once

#include <string_view>
#include <unordered_set>
#include <vector>

namespace vigil {

class AttributeNames {
 public:
  // Forgets the previous tag's names. The views must stay valid until the next Clear.
  void Clear() {
    few_.clear();
    if (!many_.empty()) {
      many_ = {};  // a set that held many names gives its buckets back (clear() would not)
    }
  }

  // False when `name` was inserted before.
  bool Insert(std::string_view name) {
    if (few_.size() < kFew) {
      for (std::string_view n : few_) {
        if (n == name) {
          return false;
        }
      }
      few_.push_back(name);
      return true;
    }
    if (many_.empty()) {
      many_.insert(few_.begin(), few_.end());
    }
    return many_.insert(name).second;
  }

 private:
  static constexpr size_t kFew = 16;
  std::vector<std::string_view> few_;
  std::unordered_set<std::string_view> many_;
};

}  // namespace vigil
