// A POSIX ustar archive of a flat directory (an evidence pack, for download in one file).
#pragma once

#include <string>

#include "core/status.h"

namespace vigil::web {

// Writes the regular files of `dir` (not its subdirectories), sorted by name, under the
// directory's own name, to `out` (created, mode 0600). Names longer than the ustar limit are
// refused.
Status WriteTar(const std::string& dir, const std::string& out);

}  // namespace vigil::web
