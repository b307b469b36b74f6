#include "sim/check/session.h"

#include <algorithm>

#include "absl/container/btree_map.h"
#include "sim/check/writes.h"
#include "sim/core/strings.h"

namespace faultline {
namespace {

using G = SessionViolation;

// What an acknowledged operation wrote to its key (nil: a delete), if it
// wrote: unacknowledged ones are never the evidence here.
bool Wrote(const Operation& op, Value* v) { return !op.info && WriteEffect(op, v); }

bool Older(const Operation& a, const Operation& b) { return a.ret < b.call; }

Value WrittenValue(const Operation& w) {
  Value v;
  return Wrote(w, &v) ? v : Value();
}

struct Index {
  // (key, value) -> the write of that value; info writes too (they may be read).
  absl::btree_map<std::pair<std::string, std::string>, const Operation*> by_value;
  absl::btree_map<std::string, std::vector<const Operation*>> deletes;  // per key, info ones too
};

Index Build(const std::vector<Operation>& ops) {
  Index ix;
  for (const Operation& op : ops) {
    if (!op.key) continue;
    Value v;
    if (!WriteEffect(op, &v)) continue;
    if (v.is_string()) ix.by_value[{*op.key, v.text()}] = &op;
    if (v.is_nil()) ix.deletes[*op.key].push_back(&op);
  }
  return ix;
}

// The write a read saw: nullptr for nil or a value nobody wrote.
const Operation* Source(const Index& ix, const Operation& read) {
  if (!read.output.is_string()) return nullptr;
  auto it = ix.by_value.find({*read.key, read.output.text()});
  return it == ix.by_value.end() ? nullptr : it->second;
}

struct Session {
  absl::btree_map<std::string, const Operation*> own_write;  // last ok write per key
  absl::btree_map<std::string, const Operation*> last_read;  // the write the last read saw
  absl::btree_map<std::string, const Operation*> last_read_op;
};

}  // namespace

std::string_view GuaranteeName(SessionViolation::Guarantee g) {
  switch (g) {
    case G::kReadYourWrites: return "read-your-writes";
    case G::kMonotonicReads: return "monotonic reads";
    case G::kMonotonicWrites: return "monotonic writes";
    case G::kWritesFollowReads: return "writes-follow-reads";
  }
  return "?";
}

size_t SessionResult::Count(SessionViolation::Guarantee g) const {
  return static_cast<size_t>(std::count_if(violations.begin(), violations.end(),
                                           [g](const SessionViolation& v) { return v.guarantee == g; }));
}

SessionResult CheckSessions(const std::vector<Operation>& ops) {
  const Index ix = Build(ops);
  SessionResult out;
  absl::btree_map<int64_t, Session> sessions;
  absl::btree_map<size_t, const Operation*> read_before;  // write id -> the write its session read first
  // Operations in invocation order; a session's operations do not overlap.
  for (const Operation& op : ops) {
    if (!op.key || op.info) continue;
    Session& s = sessions[op.process];
    const std::string& key = *op.key;
    Value written;
    if (Wrote(op, &written)) {
      if (auto it = s.last_read.find(key); it != s.last_read.end() && it->second != nullptr) {
        read_before[op.id] = it->second;
      }
      s.own_write[key] = &op;
      continue;
    }
    if (op.f != "read") continue;
    auto report = [&](G::Guarantee g, std::vector<size_t> ids, std::string why) {
      out.violations.push_back(SessionViolation{g, op.process, key, std::move(ids), std::move(why)});
    };
    const Operation* src = Source(ix, op);
    if (auto it = s.own_write.find(key); it != s.own_write.end()) {
      const Operation* w = it->second;
      const Value wv = WrittenValue(*w);
      if (src != nullptr && src != w && Older(*src, *w)) {
        report(G::kReadYourWrites, {op.id, w->id, src->id},
               Cat("read ", op.output.ToEdn(), ", written before the session's own write of ", wv.ToEdn()));
      } else if (op.output.is_nil() && !wv.is_nil()) {
        bool explained = false;
        if (auto d = ix.deletes.find(key); d != ix.deletes.end()) {
          for (const Operation* del : d->second) explained = explained || !Older(*del, *w);
        }
        if (!explained) {
          report(G::kReadYourWrites, {op.id, w->id}, Cat("read nil after the session wrote ", wv.ToEdn()));
        }
      }
    }
    if (auto it = s.last_read.find(key); it != s.last_read.end() && it->second != nullptr && src != nullptr) {
      const Operation* prev = it->second;
      if (src != prev && Older(*src, *prev)) {
        report(G::kMonotonicReads, {op.id, s.last_read_op[key]->id, src->id, prev->id},
               Cat("read ", op.output.ToEdn(), ", older than the value the session read before"));
        if (src->process == prev->process) {
          report(G::kMonotonicWrites, {op.id, prev->id, src->id},
                 Cat("saw process ", prev->process, "'s later write, then its earlier one"));
        }
      }
      if (auto dep = read_before.find(prev->id); dep != read_before.end() && Older(*src, *dep->second)) {
        report(G::kWritesFollowReads, {op.id, prev->id, dep->second->id, src->id},
               Cat("saw a write made after its writer read ", WrittenValue(*dep->second).ToEdn(),
                   ", then something older than that"));
      }
    }
    s.last_read[key] = src;
    s.last_read_op[key] = &op;
  }
  if (!out.violations.empty()) out.verdict = Verdict::kViolation;
  out.message = Cat(out.Count(G::kReadYourWrites), " read-your-writes, ", out.Count(G::kMonotonicReads),
                    " monotonic-reads, ", out.Count(G::kMonotonicWrites), " monotonic-writes, ",
                    out.Count(G::kWritesFollowReads), " writes-follow-reads violation(s)");
  return out;
}

}  // namespace faultline
