#include "core/finding.h"

#include <array>
#include <utility>

namespace vigil {
namespace {

template <typename E, size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view text) {
  for (const auto& [value, name] : table) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) {
      return name;
    }
  }
  return "?";
}

constexpr std::array<std::pair<FindingState, std::string_view>, 4> kFindingStates = {{
    {FindingState::kOpen, "open"},
    {FindingState::kFixed, "fixed"},
    {FindingState::kReopened, "reopened"},
    {FindingState::kInactive, "inactive"},
}};
constexpr std::array<std::pair<Presence, std::string_view>, 3> kPresences = {{
    {Presence::kPresent, "present"},
    {Presence::kAbsentUnverified, "absent-unverified"},
    {Presence::kAbsentVerified, "absent-verified"},
}};
constexpr std::array<std::pair<AssetState, std::string_view>, 2> kAssetStates = {{
    {AssetState::kActive, "active"},
    {AssetState::kDecommissioned, "decommissioned"},
}};

}  // namespace

std::vector<FindingState> AllFindingStates() {
  std::vector<FindingState> out;
  out.reserve(kFindingStates.size());
  for (const auto& [state, name] : kFindingStates) {
    out.push_back(state);
  }
  return out;
}

std::vector<FindingState> OpenFindingStates() {
  std::vector<FindingState> out;
  for (FindingState s : AllFindingStates()) {
    if (IsOpen(s)) {
      out.push_back(s);
    }
  }
  return out;
}

std::string_view ToString(FindingState state) {
  return Name(kFindingStates, state);
}
std::optional<FindingState> ParseFindingState(std::string_view text) {
  return Lookup(kFindingStates, text);
}
std::string_view ToString(Presence presence) {
  return Name(kPresences, presence);
}
std::optional<Presence> ParsePresence(std::string_view text) {
  return Lookup(kPresences, text);
}
std::string_view ToString(AssetState state) {
  return Name(kAssetStates, state);
}
std::optional<AssetState> ParseAssetState(std::string_view text) {
  return Lookup(kAssetStates, text);
}

}  // namespace vigil
