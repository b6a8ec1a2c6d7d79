#include "core/status.h"

namespace vigil {

Status Status::WithPrefix(const std::string& prefix) const {
  if (ok()) {
    return *this;
  }
  return Status(code_, prefix + ": " + Describe());
}

std::string Status::Describe() const {
  return field_.empty() ? message_ : field_ + " " + message_;
}

Status InvalidInput(std::string message) {
  return Status(ErrorCode::kInvalidInput, std::move(message));
}
Status UsageError(std::string message) {
  return Status(ErrorCode::kUsage, std::move(message));
}
Status NotFound(std::string message) {
  return Status(ErrorCode::kNotFound, std::move(message));
}
Status FailedPrecondition(std::string message) {
  return Status(ErrorCode::kFailedPrecondition, std::move(message));
}
Status PermissionDenied(std::string message) {
  return Status(ErrorCode::kPermissionDenied, std::move(message));
}
Status IoError(std::string message) {
  return Status(ErrorCode::kIo, std::move(message));
}
Status Internal(std::string message) {
  return Status(ErrorCode::kInternal, std::move(message));
}

Status FieldError(std::string field, std::string message) {
  return Status(ErrorCode::kInvalidInput, std::move(field), std::move(message));
}
Status FieldError(ErrorCode code, std::string field, std::string message) {
  return Status(code, std::move(field), std::move(message));
}

}  // namespace vigil
