// Decisions with their history, the history of classes, and reviews.
// Part of the Store (store/store.h); its contract on transactions applies.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/status.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

class DecisionStore {
 public:
  virtual ~DecisionStore() = default;

  // Decisions and their history, and the history of classes.
  virtual Result<int64_t> InsertDecision(const DecisionRecord& decision) = 0;
  // Writes the state fields: state, decided_*, effective_at, ended_at, superseded_by.
  virtual Status UpdateDecisionState(const DecisionRecord& decision) = 0;
  virtual Result<std::optional<DecisionRecord>> FindDecision(int64_t id) = 0;
  virtual Result<std::vector<DecisionRecord>> QueryDecisions(const DecisionQuery& q) = 0;
  virtual Status InsertDecisionEvent(const DecisionEvent& event) = 0;
  // The events of every decision on the vulnerability, oldest first.
  virtual Result<std::vector<DecisionEvent>> DecisionEventsOf(int64_t vuln_id) = 0;
  virtual Status InsertClassChange(const ClassChange& change) = 0;
  virtual Result<std::vector<ClassChange>> ClassChangesOf(int64_t vuln_id) = 0;
  // Every class change of every vulnerability, by vulnerability id, each one's oldest first.
  virtual Result<std::vector<ClassChange>> AllClassChanges() = 0;

  // Reviews.
  virtual Result<int64_t> InsertReview(const ReviewRecord& review) = 0;
  // Every review, oldest first (vuln_ids filled).
  virtual Result<std::vector<ReviewRecord>> QueryReviews() = 0;
};

}  // namespace vigil
