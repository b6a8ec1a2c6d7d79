// The PostgreSQL reset hook of the Store conformance suite (see conformance_backends.h): the
// database the URL names is emptied through a connection of its own, so that SchemaVersion()
// answers 0, Initialize() builds the schema afresh and ids start again. The store under test
// has only been opened (kCreate) when this runs; its own connection holds no transaction.
#include <libpq-fe.h>

#include <memory>

#include "store/conformance_backends.h"

namespace vigil::conformance {

Status PostgresReset(const std::string& url, Store& /*store*/) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Internal("cannot connect to reset the test database: " +
                    std::string(PQerrorMessage(conn.get())));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> r(
      PQexec(conn.get(),
             "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public"),
      &PQclear);
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    return Internal("cannot reset the test database: " + std::string(PQerrorMessage(conn.get())));
  }
  return Status::Ok();
}

}  // namespace vigil::conformance
