#include "report/period.h"

namespace vigil::report {

bool DecisionInPeriod(const DecisionRecord& d, const Period& p) {
  return !(d.created_at > p.to || (d.ended_at && *d.ended_at < p.from) ||
           (d.state == DecisionState::kRejected && d.decided_at && *d.decided_at < p.from));
}

bool ClockInPeriod(const ComplianceClock& c, const Period& p) {
  return !(c.anchor > p.to || (c.due < p.from && c.stopped_at && *c.stopped_at < p.from));
}

}  // namespace vigil::report
