#include "sim/core/status.h"

namespace faultline {

std::string_view ErrorName(Error e) {
  switch (e) {
    case Error::kOk: return "ok";
    case Error::kTimeout: return "timeout";
    case Error::kUnreachable: return "unreachable";
    case Error::kCrashed: return "crashed";
    case Error::kDiskFull: return "disk full";
    case Error::kIoError: return "io error";
    case Error::kNotFound: return "not found";
    case Error::kInvalidArgument: return "invalid argument";
    case Error::kRemote: return "remote error";
  }
  return "unknown error";
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return message_ ? *message_ : kEmpty;
}

std::string Status::ToString() const {
  std::string out(ErrorName(code_));
  if (!message().empty()) {
    out += ": ";
    out += message();
  }
  return out;
}

}  // namespace faultline
