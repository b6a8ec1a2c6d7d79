// Status and Result<T>: errors as values across module boundaries.
//
// A Status is OK or carries a code and a message meant for a person ("line 3, column 7: ...").
// Result<T> holds either a value or a non-OK Status. Libraries that throw are wrapped where
// they are called; nothing in vigil lets an exception cross a module boundary.
//
// A Status about one field of a request (a decision's `severity`, a review's `participants`)
// names it: field() is the request's name for it, and the message is what is wrong with it,
// worded to follow the field's name ("must be a CVSS score 0..10"). Each front end words the
// field its own way: the CLI as its option (--score), the API as a JSON pointer (/score).
// Describe() gives the plain form, "score must be a CVSS score 0..10".
//
// Both are [[nodiscard]]: an error that nobody looks at is a bug. Where ignoring one is right,
// the call is cast to (void) with a comment saying why.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace vigil {

enum class ErrorCode {
  kOk = 0,
  kInvalidInput,        // rejected input: bad file, bad argument, bad API body
  kUsage,               // the command line itself is wrong
  kNotFound,            // a named thing does not exist
  kFailedPrecondition,  // the system is not in a state that allows this (e.g. not initialized)
  kPermissionDenied,    // the acting user may not do this (role, four eyes, credentials)
  kIo,                  // file system or network failure
  kInternal,            // a bug or a database failure
  kAttention,           // not a failure: something needs a person (vigil check's exit 1)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  Status(ErrorCode code, std::string field, std::string message)
      : code_(code), field_(std::move(field)), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The request field the error is about; empty when it is about no single field.
  const std::string& field() const { return field_; }
  // "<field> <message>", or the message when there is no field.
  std::string Describe() const;

  // Returns a copy whose message is "<prefix>: <message>".
  Status WithPrefix(const std::string& prefix) const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string field_;
  std::string message_;
};

Status InvalidInput(std::string message);
Status UsageError(std::string message);
Status NotFound(std::string message);
Status FailedPrecondition(std::string message);
Status PermissionDenied(std::string message);
Status IoError(std::string message);
Status Internal(std::string message);
// An error about one field of a request: kInvalidInput, or `code` when given.
Status FieldError(std::string field, std::string message);
Status FieldError(ErrorCode code, std::string field, std::string message);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace vigil

#define VIGIL_CONCAT_INNER(a, b) a##b
#define VIGIL_CONCAT(a, b) VIGIL_CONCAT_INNER(a, b)

// NOLINTBEGIN(bugprone-macro-parentheses): tmp is the name of a variable declared here and
// lhs a declaration ("auto x"); neither may be put in parentheses.

// The variable's name is unique per expansion, so that a RETURN_IF_ERROR inside a lambda
// inside another RETURN_IF_ERROR shadows nothing.
#define RETURN_IF_ERROR_IMPL(tmp, expr) \
  do {                                  \
    ::vigil::Status tmp = (expr);       \
    if (!tmp.ok()) {                    \
      return tmp;                       \
    }                                   \
  } while (false)

#define RETURN_IF_ERROR(expr) RETURN_IF_ERROR_IMPL(VIGIL_CONCAT(vigil_status_, __COUNTER__), expr)

#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) {                            \
    return tmp.status();                      \
  }                                           \
  lhs = std::move(tmp).value()

// NOLINTEND(bugprone-macro-parentheses)

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(VIGIL_CONCAT(vigil_result_, __LINE__), lhs, expr)
