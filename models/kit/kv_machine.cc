#include "models/kit/kv_machine.h"

#include "sim/core/strings.h"
#include "sim/node/wire.h"

namespace faultline::kit {

KvResponse KvMachine::Apply(const KvRequest& w, uint64_t version) {
  KvResponse r;
  r.set_code(ApplyCode(w, version));
  return r;
}

KvResponse::Code KvMachine::ApplyCode(const KvRequest& w, uint64_t version) {
  // One search of the token table: a retry finds its first answer there,
  // a first attempt the slot for its own.
  auto [answer, first] = w.token() == 0 ? std::pair{answered_.end(), true} : answered_.try_emplace(w.token(), KvResponse::OK);
  if (!first) return answer->second;
  KvResponse::Code code = KvResponse::OK;
  auto it = data_.find(w.key());
  switch (w.op()) {
    case KvRequest::PUT:
      Put(it, w, version);
      break;
    case KvRequest::DELETE:
      if (it != data_.end()) data_.erase(it);
      break;
    case KvRequest::CAS: {
      const bool matches = w.has_expected() ? it != data_.end() && it->second.value == w.expected() : it == data_.end();
      if (matches) {
        Put(it, w, version);
      } else {
        code = KvResponse::CAS_MISMATCH;
      }
      break;
    }
    default:  // not a write: the proposer validated it, so this is a bug; applied as nothing
      code = KvResponse::CAS_MISMATCH;
      break;
  }
  if (answer != answered_.end()) answer->second = code;
  return code;
}

void KvMachine::Put(Data::iterator at, const KvRequest& w, uint64_t version) {
  if (at == data_.end()) {
    data_.emplace_hint(at, w.key(), Slot{w.value(), version});
    return;
  }
  at->second.value = w.value();
  at->second.version = version;
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
