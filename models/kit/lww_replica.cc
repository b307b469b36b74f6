#include "models/kit/lww_replica.h"

#include <algorithm>

#include "sim/core/strings.h"

namespace faultline::kit {
namespace {

constexpr std::string_view kLog = "lww.log";
constexpr std::string_view kReplicate = "lww";

Stamp ToProto(const Timestamp& t) {
  Stamp s;
  s.set_physical(t.physical);
  s.set_logical(t.logical);
  s.set_node(t.node);
  return s;
}

Timestamp FromProto(const Stamp& s) { return Timestamp{s.physical(), s.logical(), s.node()}; }

void Fill(LwwEntries::Entry* out, const std::string& key, const LwwEntry& e) {
  out->set_key(key);
  out->set_deleted(!e.value.has_value());
  if (e.value) out->set_value(*e.value);
  *out->mutable_stamp() = ToProto(e.ts);
}

LwwEntry FromProto(const LwwEntries::Entry& e) {
  return LwwEntry{e.deleted() ? std::nullopt : std::optional<std::string>(e.value()), FromProto(e.stamp())};
}

// Log records: a 4-byte little-endian length, then an LwwEntries.
std::string Record(const LwwEntries& entries) {
  const std::string body = SerializeDeterministic(entries);
  std::string out(4, '\0');
  for (int b = 0; b < 4; ++b) out[static_cast<size_t>(b)] = static_cast<char>(body.size() >> (8 * b));
  return out + body;
}

}  // namespace

LwwReplica::LwwReplica(Env& env, KitConfig config, LwwOptions options)
    : env_(env), config_(config), options_(options), hlc_(env.id().value), map_(options.tiebreak) {
  for (int i = 0; i < config_.replicas; ++i) {
    Result<NodeId> n = env_.node(config_.ReplicaName(i));
    if (n.ok() && *n != env_.id()) peers_.push_back(*n);
  }
  Recover();
  env_.Handle<KvRequest, KvResponse>("kv", [this](NodeId, const KvRequest& r) { return OnClient(r); });
  env_.Spawn("receive", [this] { ReceiveLoop(); });
}

void LwwReplica::Recover() {
  Result<std::string> log = env_.disk().ReadAll(kLog);
  if (!log.ok()) return;  // a fresh disk
  size_t at = 0;
  uint64_t applied = 0;
  while (at + 4 <= log->size()) {
    size_t len = 0;
    for (int b = 0; b < 4; ++b) len |= static_cast<size_t>(static_cast<uint8_t>((*log)[at + static_cast<size_t>(b)])) << (8 * b);
    LwwEntries entries;
    if (at + 4 + len > log->size() || !entries.ParseFromArray(log->data() + at + 4, static_cast<int>(len))) {
      break;  // a torn tail: what follows was never synced
    }
    for (const auto& e : entries.entries()) {
      const LwwEntry entry = FromProto(e);
      hlc_.Restore(entry.ts);
      applied += map_.Apply(e.key(), entry.value, entry.ts);
    }
    at += 4 + len;
  }
  env_.Log("lww.recovered", {{"entries", Cat(applied)}, {"bytes", Cat(at)}});
}

Timestamp LwwReplica::NextStamp() {
  const int64_t wall = env_.wall_clock().nanos();
  return options_.hlc ? hlc_.Now(wall) : WallTimestamp(wall, env_.id().value);
}

Status LwwReplica::Persist(const std::string& key, const LwwEntry& entry, bool sync) {
  LwwEntries one;
  Fill(one.add_entries(), key, entry);
  if (Status s = env_.disk().Append(kLog, Record(one)); !s.ok()) return s;
  return sync ? env_.disk().Fsync(kLog) : Status::Ok();
}

Result<KvResponse> LwwReplica::Write(const std::string& key, std::optional<std::string> value) {
  const LwwEntry entry{std::move(value), NextStamp()};
  // Applied and synced before the answer. A wall-clock stamp may already
  // lose to a greater one here: the write is acknowledged and superseded
  // at once, which is what LWW with skewed clocks does.
  map_.Apply(key, entry.value, entry.ts);
  if (Status s = Persist(key, entry, /*sync=*/true); !s.ok()) return s;
  LwwEntries out;
  Fill(out.add_entries(), key, entry);
  for (NodeId peer : peers_) (void)env_.Send(peer, kReplicate, out);  // lost ones: anti-entropy
  KvResponse r;
  r.set_code(KvResponse::OK);
  *r.mutable_stamp() = ToProto(entry.ts);
  return r;
}

Result<KvResponse> LwwReplica::OnClient(const KvRequest& req) {
  if (req.token() != 0) {
    if (auto it = answered_.find(req.token()); it != answered_.end()) return it->second;
  }
  KvResponse r;
  const std::optional<std::string> current = map_.Get(req.key());
  switch (req.op()) {
    case KvRequest::GET:
      r.set_code(KvResponse::OK);
      r.set_found(current.has_value());
      if (current) r.set_value(*current);
      return r;  // reads are not remembered: a retry may see newer data
    case KvRequest::PUT:
    case KvRequest::DELETE: {
      Result<KvResponse> w = Write(req.key(), req.op() == KvRequest::PUT ? std::optional(req.value()) : std::nullopt);
      if (!w.ok()) return w.status();
      r = *w;
      break;
    }
    case KvRequest::CAS: {
      const bool matches = req.has_expected() ? current == req.expected() : !current.has_value();
      if (!matches) {
        r.set_code(KvResponse::CAS_MISMATCH);
        break;
      }
      Result<KvResponse> w = Write(req.key(), req.value());
      if (!w.ok()) return w.status();
      r = *w;
      break;
    }
    default:
      return Status(Error::kInvalidArgument, Cat("unknown op ", static_cast<int>(req.op())));
  }
  if (req.token() != 0) answered_[req.token()] = r;
  return r;
}

void LwwReplica::ReceiveLoop() {
  for (;;) {
    Result<Inbound> m = env_.Receive();
    if (!m.ok()) return;  // crashed
    LwwEntries entries;
    if (m->method() != kReplicate || !m->ParseTo(&entries)) continue;
    const int64_t wall = env_.wall_clock().nanos();
    for (const auto& e : entries.entries()) {
      const LwwEntry entry = FromProto(e);
      if (options_.hlc) hlc_.Observe(entry.ts, wall);
      if (!map_.Apply(e.key(), entry.value, entry.ts)) continue;
      if (!Persist(e.key(), entry, /*sync=*/false).ok()) return;
    }
  }
}

void LwwReplica::SendEntries(NodeId to, const std::vector<std::string>& keys) {
  LwwEntries out;
  for (const std::string& k : keys) {
    if (const LwwEntry* e = map_.Entry(k)) Fill(out.add_entries(), k, *e);
  }
  (void)env_.Send(to, kReplicate, out);
}

void LwwReplica::Run() {
  for (;;) {
    const Duration jitter = env_.rng().Range(Duration::Zero(), options_.anti_entropy / 2);
    if (!env_.Sleep(options_.anti_entropy + jitter).ok()) return;
    if (peers_.empty()) continue;
    std::vector<std::string> keys;
    for (const auto& [k, e] : map_.entries()) keys.push_back(k);
    SendEntries(peers_[env_.rng().Uniform(peers_.size())], keys);
  }
}

ReplicaState LwwReplica::Snapshot() const {
  ReplicaState s{env_.name(), std::string(RoleName(role())), true, {}};
  for (const auto& [k, e] : map_.entries()) {
    if (e.value) s.values[k] = *e.value;
    s.versions[k] = e.ts.SortableText();
  }
  return s;
}

}  // namespace faultline::kit
