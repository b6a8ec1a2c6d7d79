// The Store: everything vigil keeps, behind a few cohesive interfaces (one header each) with
// one implementation per database: SQLite (store/sqlite/) and PostgreSQL (store/postgres/).
// The store persists and answers; it decides no policy: which NVD score counts, what "open"
// means and what decommissioning does are the engine's and the domain's rules. Nothing above
// this interface knows which database is underneath, and the build keeps it so: a backend's
// headers compile only in the backend's own target and in the opener (store/open_store.cc).
//
// Thread safety: one Store object is used by one thread at a time. Several Store objects, in
// one process or in several, may use one database at once (see Begin).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "store/asset_store.h"
#include "store/audit_store.h"
#include "store/copy_store.h"
#include "store/decision_store.h"
#include "store/feed_store.h"
#include "store/finding_store.h"
#include "store/listing_store.h"
#include "store/outbox_store.h"
#include "store/people_store.h"
#include "store/scan_store.h"

namespace vigil {

class Store : public ScanStore,
              public AssetStore,
              public FindingStore,
              public PeopleStore,
              public DecisionStore,
              public FeedStore,
              public AuditStore,
              public OutboxStore,
              public ListingStore,
              public CopyStore {
 public:
  ~Store() override = default;

  // Schema. Initialize creates or migrates the schema to the newest version; SchemaVersion
  // answers 0 for a database that was never initialized.
  virtual Status Initialize() = 0;
  virtual Result<int> SchemaVersion() = 0;
  // The schema version this build writes.
  virtual int LatestSchemaVersion() const = 0;

  // Transactions. Every change between Begin and Commit is applied whole or not at all.
  // Begin starts a write transaction that excludes every other writer of the same database,
  // in this process or any other, until Commit or Rollback, and reads inside it see every
  // transaction committed before it: writers are serialized. That is the whole concurrency
  // contract the engine relies on — an audit event's sequence number is the log's size + 1 read
  // inside the transaction, a finding is looked up before it is inserted — so no update is lost,
  // no finding is inserted twice and the log never forks. Reads outside a transaction see a
  // committed state (each statement one snapshot). A store opened read-only refuses every
  // write. A failed Commit leaves nothing applied; Rollback is then still safe to call.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;

  // Small named values the engine keeps between runs (e.g. the classification settings the
  // stored classes were derived with).
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  virtual Status PutSetting(const std::string& key, const std::string& value) = 0;
};

// Runs `work` inside one transaction: committed when it returns OK, rolled back otherwise
// (also when the commit fails), so the database is either fully changed or untouched.
Status InTransaction(Store& store, const std::function<Status()>& work);

enum class OpenMode {
  kCreate,    // create the database when it does not exist (vigil init)
  kExisting,  // refuse a database that does not exist
  kReadOnly,  // an existing database, opened so that nothing can be written (reads)
};

// Opens the store a --db value names: a path, "sqlite:PATH", or "postgresql://...".
// The schema is not created here (see Store::Initialize).
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, OpenMode mode);

}  // namespace vigil
