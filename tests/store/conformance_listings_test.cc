#include "store/conformance_fixture.h"
