// Finding and asset states and their names.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace vigil {

// open: reported and not verified fixed; fixed: the scanner that reported it verified its
// absence; reopened: reported again after a fix; inactive: its asset was decommissioned.
enum class FindingState { kOpen, kFixed, kReopened, kInactive };

// How one scanner last saw a finding: reported it, or did not report it in a scan that
// could (verified) or could not (unverified) have detected it.
enum class Presence { kPresent, kAbsentUnverified, kAbsentVerified };

enum class AssetState { kActive, kDecommissioned };

std::string_view ToString(FindingState state);
std::optional<FindingState> ParseFindingState(std::string_view text);
std::string_view ToString(Presence presence);
std::optional<Presence> ParsePresence(std::string_view text);
std::string_view ToString(AssetState state);
std::optional<AssetState> ParseAssetState(std::string_view text);

// True for states that count as an open vulnerability on an asset.
inline bool IsOpen(FindingState s) {
  return s == FindingState::kOpen || s == FindingState::kReopened;
}
// Every finding state, and those IsOpen holds for: what stores filter and count by.
std::vector<FindingState> AllFindingStates();
std::vector<FindingState> OpenFindingStates();

}  // namespace vigil
