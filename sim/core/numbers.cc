#include "sim/core/numbers.h"

#include "sim/core/strings.h"

namespace faultline {

Result<uint64_t> ParseUint(std::string_view v, std::string_view what) {
  uint64_t out = 0;
  const bool hex = v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X');
  const size_t start = hex ? 2 : 0;
  if (v.size() == start) return InvalidArgument(Cat(what, ": expected a number, got \"\""));
  for (size_t i = start; i < v.size(); ++i) {
    const char c = v[i];
    uint64_t d;
    if (c >= '0' && c <= '9') d = static_cast<uint64_t>(c - '0');
    else if (hex && c >= 'a' && c <= 'f') d = static_cast<uint64_t>(c - 'a' + 10);
    else if (hex && c >= 'A' && c <= 'F') d = static_cast<uint64_t>(c - 'A' + 10);
    else return InvalidArgument(Cat(what, ": expected a non-negative integer, got \"", v, "\""));
    const uint64_t base = hex ? 16 : 10;
    if (out > (UINT64_MAX - d) / base) return InvalidArgument(Cat(what, ": \"", v, "\" is too large"));
    out = out * base + d;
  }
  return out;
}

}  // namespace faultline
