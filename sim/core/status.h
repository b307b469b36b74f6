// The one small error table (style.md §5). Simulated faults are values:
// a dropped RPC, a full disk or a crashed peer come back as an Error, never
// as an exception or an assertion. Programmer errors assert instead.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "sim/core/assert.h"

namespace faultline {

enum class Error : uint8_t {
  kOk = 0,
  kTimeout,          // an RPC or wait ran out of time
  kUnreachable,      // no such peer, or the peer is not serving the method
  kCrashed,          // the calling node is crashing; unwind, do not retry
  kDiskFull,         // write refused: the disk is full
  kIoError,          // read or write failed (corrupt data is not detected here)
  kNotFound,         // no such file or key
  kInvalidArgument,  // bad input: the message says what and where
  kRemote,           // the remote handler returned an error
};

std::string_view ErrorName(Error e);

// An error code with a human-readable message naming what was expected.
// The message lives on the heap, and only for errors: an ok Status is two
// words with nothing to build or destroy, and every blocking call and send
// returns one (a std::string member was 5% of PHOLD's instructions).
class Status {
 public:
  Status() = default;
  Status(Error code, std::string message)
      : code_(code), message_(std::make_unique<std::string>(std::move(message))) {}
  Status(const Status& other) : code_(other.code_), message_(Copy(other.message_)) {}
  Status& operator=(const Status& other) {
    if (this != &other) {
      code_ = other.code_;
      message_ = Copy(other.message_);
    }
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Error::kOk; }
  Error code() const { return code_; }
  const std::string& message() const;
  // "timeout: call to n2 'get' after 100ms"
  std::string ToString() const;

 private:
  static std::unique_ptr<std::string> Copy(const std::unique_ptr<std::string>& m) {
    return m ? std::make_unique<std::string>(*m) : nullptr;
  }
  Error code_ = Error::kOk;
  std::unique_ptr<std::string> message_;  // null for Ok()
};

inline Status InvalidArgument(std::string message) {
  return Status(Error::kInvalidArgument, std::move(message));
}

// Either a value or a non-ok Status. Accessing the wrong side asserts.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {          // NOLINT
    SIM_ASSERT(!std::get<Status>(v_).ok());
  }
  Result(Error code, std::string message) : Result(Status(code, std::move(message))) {}

  bool ok() const { return v_.index() == 0; }
  const T& value() const& { SIM_ASSERT(ok()); return std::get<0>(v_); }
  T& value() & { SIM_ASSERT(ok()); return std::get<0>(v_); }
  T&& value() && { SIM_ASSERT(ok()); return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(v_);
  }
  Error code() const { return ok() ? Error::kOk : std::get<1>(v_).code(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace faultline
