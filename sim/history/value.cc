#include "sim/history/value.h"

#include "sim/core/assert.h"

namespace faultline {

Value Value::Int(int64_t v) {
  Value x;
  x.kind_ = Kind::kInt;
  x.int_ = v;
  return x;
}

Value Value::String(std::string s) {
  Value x;
  x.kind_ = Kind::kString;
  x.text_ = std::move(s);
  return x;
}

Value Value::Keyword(std::string name) {
  Value x;
  x.kind_ = Kind::kKeyword;
  x.text_ = std::move(name);
  return x;
}

Value Value::List(std::vector<Value> items) {
  Value x;
  x.kind_ = Kind::kList;
  x.items_ = std::move(items);
  return x;
}

int64_t Value::int_value() const {
  SIM_ASSERT(kind_ == Kind::kInt);
  return int_;
}

const std::string& Value::text() const {
  SIM_ASSERT(kind_ == Kind::kString || kind_ == Kind::kKeyword);
  return text_;
}

const std::vector<Value>& Value::items() const {
  SIM_ASSERT(kind_ == Kind::kList);
  return items_;
}

namespace {
void AppendEdnString(std::string* out, const std::string& s) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      default: out->push_back(c);
    }
  }
  out->push_back('"');
}
}  // namespace

std::string Value::ToEdn() const {
  switch (kind_) {
    case Kind::kNil: return "nil";
    case Kind::kInt: return std::to_string(int_);
    case Kind::kString: {
      std::string out;
      AppendEdnString(&out, text_);
      return out;
    }
    case Kind::kKeyword: return ":" + text_;
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) out.push_back(' ');
        out += items_[i].ToEdn();
      }
      out.push_back(']');
      return out;
    }
  }
  SIM_UNREACHABLE("value kind");
}

}  // namespace faultline
