// Adding a definition's references without repeats, in time linear in their number: a short
// list is searched, a long one is appended to and its repeats are removed once, when the
// record leaves the parser (RecordChecks). A search per reference made a report with many
// references per check quadratic (issue 13).
#pragma once

#include <vector>

#include "core/vulnerability.h"

namespace vigil {

// Up to this many references, an equal one is looked for before appending.
inline constexpr size_t kSearchedReferences = 64;

// Appends `ref` unless it is in a short list already.
void AppendReference(std::vector<Reference>& refs, Reference ref);

// Removes repeated references, keeping each first one, in order.
void RemoveRepeatedReferences(std::vector<Reference>& refs);

}  // namespace vigil
