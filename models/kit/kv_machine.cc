#include "models/kit/kv_machine.h"

#include "sim/core/strings.h"
#include "sim/node/wire.h"

namespace faultline::kit {

KvResponse KvMachine::Apply(const KvRequest& w, uint64_t version) {
  if (w.token() != 0) {
    if (std::optional<KvResponse> first = Answered(w.token())) return *first;
  }
  KvResponse r;
  r.set_code(KvResponse::OK);
  auto it = data_.find(w.key());
  switch (w.op()) {
    case KvRequest::PUT:
      data_[w.key()] = Slot{w.value(), version};
      break;
    case KvRequest::DELETE:
      if (it != data_.end()) data_.erase(it);
      break;
    case KvRequest::CAS: {
      const bool matches = w.has_expected() ? it != data_.end() && it->second.value == w.expected() : it == data_.end();
      if (matches) {
        data_[w.key()] = Slot{w.value(), version};
      } else {
        r.set_code(KvResponse::CAS_MISMATCH);
      }
      break;
    }
    default:  // not a write: the proposer validated it, so this is a bug; applied as nothing
      r.set_code(KvResponse::CAS_MISMATCH);
      break;
  }
  if (w.token() != 0) answered_[w.token()] = r.code();
  return r;
}

std::optional<KvResponse> KvMachine::Answered(uint64_t token) const {
  auto it = answered_.find(token);
  if (it == answered_.end()) return std::nullopt;
  KvResponse r;
  r.set_code(it->second);
  return r;
}

KvResponse KvMachine::Get(const std::string& key) const {
  KvResponse r;
  r.set_code(KvResponse::OK);
  if (auto it = data_.find(key); it != data_.end()) {
    r.set_found(true);
    r.set_value(it->second.value);
  }
  return r;
}

void KvMachine::Fill(ReplicaState* s) const {
  for (const auto& [k, slot] : data_) {
    s->values[k] = slot.value;
    s->versions[k] = Cat(slot.version);
  }
}

std::string KvMachine::Serialize() const {
  KvSnapshot snap;
  for (const auto& [k, slot] : data_) {
    KvSnapshotSlot* s = snap.add_slots();
    s->set_key(k);
    s->set_value(slot.value);
    s->set_version(slot.version);
  }
  for (const auto& [token, code] : answered_) {
    if (code == KvResponse::OK) {
      snap.add_ok_tokens(token);
    } else {
      snap.add_mismatch_tokens(token);
    }
  }
  return SerializeDeterministic(snap);
}

bool KvMachine::IsSnapshot(std::string_view bytes) {
  KvSnapshot snap;
  return snap.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

bool KvMachine::Restore(std::string_view bytes) {
  KvSnapshot snap;
  if (!snap.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
  data_.clear();
  answered_.clear();
  for (const KvSnapshotSlot& s : snap.slots()) data_[s.key()] = Slot{s.value(), s.version()};
  // Ascending: each insert lands at the end of the btree.
  for (uint64_t t : snap.ok_tokens()) answered_.emplace_hint(answered_.end(), t, KvResponse::OK);
  for (uint64_t t : snap.mismatch_tokens()) answered_[t] = KvResponse::CAS_MISMATCH;
  return true;
}

}  // namespace faultline::kit
