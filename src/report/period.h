// Which records belong to an audit period [from, to]: one rule each, shared by the evidence
// pack's tables and its summary, so that the summary counts what the tables list.
#pragma once

#include "core/time.h"
#include "engine/clocks.h"
#include "store/records.h"

namespace vigil::report {

struct Period {
  Timestamp from{};
  Timestamp to{};
};

// Made, decided or in effect in the period.
bool DecisionInPeriod(const DecisionRecord& d, const Period& p);
// Started by the end of the period, and not both due and stopped before its start.
bool ClockInPeriod(const ComplianceClock& c, const Period& p);

}  // namespace vigil::report
