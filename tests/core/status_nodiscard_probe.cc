// Compiled by status_nodiscard_test.cmake, never linked: with VIGIL_IGNORE_RESULT it ignores a
// Status and a Result<int>, which [[nodiscard]] must turn into errors under -Werror.
#include "core/status.h"

vigil::Status MakeStatus();
vigil::Result<int> MakeResult();

void Probe() {
#ifdef VIGIL_IGNORE_RESULT
  MakeStatus();
  MakeResult();
#else
  (void)MakeStatus();  // the way to say that ignoring is right
  (void)MakeResult();
#endif
}
