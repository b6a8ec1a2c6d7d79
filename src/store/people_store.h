// Users, their credentials and roles, and pipeline tokens.
// Part of the Store (store/store.h); its contract on transactions applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/records.h"

namespace vigil {

class PeopleStore {
 public:
  virtual ~PeopleStore() = default;

  // Users.
  virtual Status InsertUser(const UserRecord& user) = 0;
  virtual Status SetUserToken(const std::string& name, const std::string& token_hash,
                              const std::string& issued_by) = 0;
  virtual Status SetUserRole(const std::string& name, Role role, const std::string& granted_by) = 0;
  virtual Result<std::optional<UserRecord>> FindUser(const std::string& name) = 0;
  virtual Result<std::vector<UserRecord>> QueryUsers() = 0;
  // A new enrolment code (its hash and expiry), or the password it was used for (which
  // clears the code).
  virtual Status SetUserEnrolment(const std::string& name, const std::string& code_hash,
                                  Timestamp expires_at) = 0;
  virtual Status SetUserPassword(const std::string& name, const std::string& password_hash,
                                 Timestamp set_at) = 0;

  // Pipeline tokens.
  virtual Result<int64_t> InsertApiToken(const ApiTokenRecord& token) = 0;
  virtual Status RevokeApiToken(int64_t id, Timestamp at, const std::string& by) = 0;
  virtual Result<std::vector<ApiTokenRecord>> QueryApiTokens() = 0;
};

}  // namespace vigil
