// A value carried by an operation (design §6): nil, an integer, a string, a
// keyword (Jepsen's `:timed-out`), or a list of values (a cas's [old new],
// a set read). Plain data with value semantics and a total order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace faultline {

class Value {
 public:
  enum class Kind : uint8_t { kNil, kInt, kString, kKeyword, kList };

  Value() = default;  // nil
  static Value Int(int64_t v);
  static Value String(std::string s);
  static Value Keyword(std::string name);  // without the colon
  static Value List(std::vector<Value> items);

  Kind kind() const { return kind_; }
  bool is_nil() const { return kind_ == Kind::kNil; }
  bool is_int() const { return kind_ == Kind::kInt; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_keyword() const { return kind_ == Kind::kKeyword; }
  bool is_list() const { return kind_ == Kind::kList; }
  // REQUIRES: the matching kind.
  int64_t int_value() const;
  const std::string& text() const;  // string or keyword name
  const std::vector<Value>& items() const;

  bool operator==(const Value& o) const = default;
  // EDN text: nil, 42, "a\"b", :timed-out, [1 2].
  std::string ToEdn() const;

 private:
  Kind kind_ = Kind::kNil;
  int64_t int_ = 0;
  std::string text_;
  std::vector<Value> items_;
};

}  // namespace faultline
