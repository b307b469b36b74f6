// A reader for the subset of EDN that Jepsen histories use: nil, true and
// false, integers, floats (kept as text), strings, keywords, symbols,
// vectors, lists, maps, sets, tagged values (#inst "..."), comments (;),
// discards (#_), and commas as whitespace. Nesting is bounded; every error
// names the file, line and column and says what was expected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"

namespace faultline::edn {

struct Node {
  enum class Kind : uint8_t {
    kNil, kBool, kInt, kFloat, kString, kKeyword, kSymbol, kVector, kList, kMap, kSet, kTagged
  };
  Kind kind = Kind::kNil;
  bool boolean = false;
  int64_t integer = 0;
  std::string text;  // string contents, keyword/symbol name (no colon), float text, tag
  // Vector, list and set elements; a map's keys and values alternate; a
  // tagged value's one element.
  std::vector<Node> items;
  int line = 0;
  int column = 0;
};

std::string_view KindName(Node::Kind k);

class Reader {
 public:
  static constexpr int kMaxDepth = 64;
  // `text` must outlive the reader.
  Reader(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}
  // The next top-level form into *out: true, or false at the end of input.
  Result<bool> Next(Node* out);
  int line() const { return line_; }

 private:
  Status Form(Node* out, int depth);
  Status Sequence(char close, Node* out, int depth);
  Status StringLiteral(Node* out);
  Status Atom(Node* out);
  Status Error(std::string_view what) const;
  void SkipSpace();  // whitespace, commas, comments
  Status SkipDiscards(int depth);
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  void Advance();

  std::string_view text_;
  std::string file_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace faultline::edn
