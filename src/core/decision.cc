#include "core/decision.h"

#include <array>
#include <utility>

namespace vigil {
namespace {

constexpr std::array<std::pair<DecisionType, std::string_view>, 5> kTypes = {{
    {DecisionType::kRecast, "recast"},
    {DecisionType::kFalsePositive, "false-positive"},
    {DecisionType::kAcceptRisk, "accept-risk"},
    {DecisionType::kMitigationPlan, "mitigation-plan"},
    {DecisionType::kClassify, "classify"},
}};

constexpr std::array<std::pair<ReasonCategory, std::string_view>, 6> kReasons = {{
    {ReasonCategory::kDisagreeWithNvd, "disagree-with-nvd"},
    {ReasonCategory::kFalsePositive, "false-positive"},
    {ReasonCategory::kCompensatingControls, "compensating-controls"},
    {ReasonCategory::kAbsenceOfThreat, "absence-of-threat"},
    {ReasonCategory::kOther, "other"},
    {ReasonCategory::kPatchHarm, "patch-harm"},
}};

constexpr std::array<std::pair<DecisionState, std::string_view>, 5> kStates = {{
    {DecisionState::kPending, "pending"},
    {DecisionState::kApproved, "approved"},
    {DecisionState::kRejected, "rejected"},
    {DecisionState::kLapsed, "lapsed"},
    {DecisionState::kSuperseded, "superseded"},
}};

template <typename E, size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) {
      return name;
    }
  }
  return "";
}

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view text) {
  for (const auto& [e, name] : table) {
    if (name == text) {
      return e;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view ToString(DecisionType type) {
  return Name(kTypes, type);
}
std::string_view ToString(ReasonCategory reason) {
  return Name(kReasons, reason);
}
std::string_view ToString(DecisionState state) {
  return Name(kStates, state);
}
std::optional<DecisionType> ParseDecisionType(std::string_view text) {
  return Parse(kTypes, text);
}
std::optional<ReasonCategory> ParseReasonCategory(std::string_view text) {
  return Parse(kReasons, text);
}
std::optional<DecisionState> ParseDecisionState(std::string_view text) {
  return Parse(kStates, text);
}

bool ChangesClass(DecisionType type) {
  return type == DecisionType::kRecast || type == DecisionType::kClassify;
}

}  // namespace vigil
