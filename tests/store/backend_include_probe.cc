// Built only by the store_backend_include test, never by default: a file of the engine's
// layer that includes a backend's header. It must not compile (store/sqlite/*.h refuse to
// outside their backend), so the build, not a review, keeps the engine off the database.
#include "store/sqlite/sqlite_store.h"
