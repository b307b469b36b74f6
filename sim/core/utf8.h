// UTF-8 for text that crosses into files other tools parse strictly: a
// crashed worker's stderr can hold any bytes, and protobuf's JSON and XML
// 1.0 both reject what is not UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace faultline {

// The length of the well-formed UTF-8 sequence starting at s[0] (1..4),
// or 0 if there is none: overlong forms, surrogates, code points past
// U+10FFFF and truncated sequences are not well formed.
size_t Utf8SequenceLength(std::string_view s);

// `s` with each byte that does not start a well-formed sequence replaced
// by U+FFFD; well-formed input comes back unchanged.
std::string ToValidUtf8(std::string_view s);

// The longest prefix of `s` of at most `max` bytes that does not end inside
// a multi-byte sequence (it backs over continuation bytes at the cut).
std::string_view Utf8Prefix(std::string_view s, size_t max);

}  // namespace faultline
