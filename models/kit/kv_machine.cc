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
  // a first attempt the slot for its own, a late duplicate that it is stale.
  KvResponse::Code* answer = nullptr;
  if (w.token() != 0) {
    auto claimed = answered_.Claim(w.token());
    if (claimed.seen == Sessions::Seen::kStale) return KvResponse::STALE;
    if (claimed.seen == Sessions::Seen::kAnswered) return *claimed.answer;
    answer = claimed.answer;
  }
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
  if (answer != nullptr) *answer = code;  // nothing was inserted since the claim
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
  const auto found = answered_.Find(token);
  if (found.seen == Sessions::Seen::kNew) return std::nullopt;
  KvResponse r;
  r.set_code(found.seen == Sessions::Seen::kStale ? KvResponse::STALE : *found.answer);
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
  answered_.ForEach([&snap](uint64_t token, KvResponse::Code code) {
    if (code == KvResponse::OK) {
      snap.add_ok_tokens(token);
    } else {
      snap.add_mismatch_tokens(token);
    }
  });
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
  answered_.Clear();
  for (const KvSnapshotSlot& s : snap.slots()) data_[s.key()] = Slot{s.value(), s.version()};
  // A snapshot holds one operation per session, so no claim is stale, and
  // the floors come back with the tokens.
  for (uint64_t t : snap.ok_tokens()) {
    if (auto c = answered_.Claim(t); c.answer != nullptr) *c.answer = KvResponse::OK;
  }
  for (uint64_t t : snap.mismatch_tokens()) {
    if (auto c = answered_.Claim(t); c.answer != nullptr) *c.answer = KvResponse::CAS_MISMATCH;
  }
  return true;
}

}  // namespace faultline::kit
