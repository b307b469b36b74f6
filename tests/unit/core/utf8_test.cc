#include <catch2/catch.hpp>

#include <string>

#include "sim/core/utf8.h"

namespace faultline {
namespace {

TEST_CASE("Utf8SequenceLength accepts well-formed UTF-8 only", "[utf8]") {
  CHECK(Utf8SequenceLength("a") == 1);
  CHECK(Utf8SequenceLength("\xc3\xa9") == 2);              // é
  CHECK(Utf8SequenceLength("\xe2\x82\xac") == 3);          // €
  CHECK(Utf8SequenceLength("\xf0\x9f\x98\x80") == 4);      // U+1F600
  CHECK(Utf8SequenceLength("\xf4\x8f\xbf\xbf") == 4);      // U+10FFFF
  CHECK(Utf8SequenceLength("") == 0);
  CHECK(Utf8SequenceLength("\x80") == 0);                  // a continuation byte
  CHECK(Utf8SequenceLength("\xc0\xaf") == 0);              // overlong '/'
  CHECK(Utf8SequenceLength("\xe0\x80\xaf") == 0);          // overlong
  CHECK(Utf8SequenceLength("\xed\xa0\x80") == 0);          // a surrogate
  CHECK(Utf8SequenceLength("\xf4\x90\x80\x80") == 0);      // past U+10FFFF
  CHECK(Utf8SequenceLength("\xe2\x82") == 0);              // truncated
  CHECK(Utf8SequenceLength("\xff") == 0);
}

TEST_CASE("ToValidUtf8 keeps well-formed text and replaces each bad byte", "[utf8]") {
  CHECK(ToValidUtf8("plain é €") == "plain é €");
  CHECK(ToValidUtf8("a\xff" "b") == "a\xef\xbf\xbd" "b");
  CHECK(ToValidUtf8("\xe2\x82") == "\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(ToValidUtf8(std::string_view("\0x", 2)) == std::string("\0x", 2));  // NUL is UTF-8; XML escaping drops it
}

TEST_CASE("Utf8Prefix never cuts a sequence in two", "[utf8]") {
  CHECK(Utf8Prefix("abc", 5) == "abc");
  CHECK(Utf8Prefix("ab\xe2\x82\xac", 4) == "ab");        // € would be cut
  CHECK(Utf8Prefix("ab\xe2\x82\xac", 5) == "ab\xe2\x82\xac");
  CHECK(Utf8Prefix("\xc3\xa9\xc3\xa9", 3) == "\xc3\xa9");
}

}  // namespace
}  // namespace faultline
