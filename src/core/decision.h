// Decisions (DESIGN.md section 2): the documented basis for how a vulnerability, or some of
// its findings, is handled. The vocabulary here; the rules are in engine/decisions.h.
#pragma once

#include <optional>
#include <string_view>

namespace vigil {

enum class DecisionType {
  kRecast,          // a new class (and optionally score) for the vulnerability
  kFalsePositive,   // the findings in scope are not real
  kAcceptRisk,      // known and accepted until an expiry
  kMitigationPlan,  // a plan with a target date
  kClassify,        // a class for a vulnerability no rating classified
};

// The reason categories of NCSSR v1.7 4.f(3) i–iv, plus "other", plus 1.l's exception to
// patching within six months.
enum class ReasonCategory {
  kDisagreeWithNvd,
  kFalsePositive,
  kCompensatingControls,
  kAbsenceOfThreat,
  kOther,
  kPatchHarm,  // the patch would introduce vulnerabilities or instabilities outweighing it
};

enum class DecisionState {
  kPending,     // awaiting approval
  kApproved,    // in effect (approved, or needing no approval)
  kRejected,    // refused by an approver; kept on record
  kLapsed,      // its expiry passed
  kSuperseded,  // a later decision of the same kind and scope replaced it
};

std::string_view ToString(DecisionType type);
std::string_view ToString(ReasonCategory reason);
std::string_view ToString(DecisionState state);
std::optional<DecisionType> ParseDecisionType(std::string_view text);
std::optional<ReasonCategory> ParseReasonCategory(std::string_view text);
std::optional<DecisionState> ParseDecisionState(std::string_view text);

// True for types that change the vulnerability's class.
bool ChangesClass(DecisionType type);

}  // namespace vigil
