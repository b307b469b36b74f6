// String helpers. Debian's Abseil 20220623 has its own absl::string_view,
// distinct from std::string_view, so absl::StrCat rejects std::string_view
// arguments. Cat/Append/Join accept both and forward to absl.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/str_cat.h"

namespace faultline {
namespace strings_internal {
template <typename T>
decltype(auto) Adapt(const T& v) {
  if constexpr (std::is_convertible_v<const T&, std::string_view> &&
                !std::is_convertible_v<const T&, absl::string_view>) {
    std::string_view s = v;
    return absl::string_view(s.data(), s.size());
  } else {
    return (v);
  }
}
}  // namespace strings_internal

template <typename... Args>
std::string Cat(const Args&... args) {
  return absl::StrCat(strings_internal::Adapt(args)...);
}

template <typename... Args>
void Append(std::string* out, const Args&... args) {
  absl::StrAppend(out, strings_internal::Adapt(args)...);
}

template <typename Range>
std::string Join(const Range& parts, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const auto& p : parts) {
    if (!first) out.append(sep);
    first = false;
    Append(&out, p);
  }
  return out;
}

// "0x" and 16 hex digits: how trace hashes and unseeds are printed, in
// summaries, summary.json and repro.lua (replay reads them back).
inline std::string HexWord(uint64_t v) { return absl::StrCat("0x", absl::Hex(v, absl::kZeroPad16)); }

}  // namespace faultline
