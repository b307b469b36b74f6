#include "models/kit/raft_replica.h"

#include "absl/cleanup/cleanup.h"
#include <algorithm>

#include "sim/core/strings.h"

namespace faultline::kit {
namespace {

constexpr std::string_view kRaft = "raft";

raft::NodeIndex IndexOf(const std::vector<NodeId>& replicas, NodeId self) {
  auto it = std::find(replicas.begin(), replicas.end(), self);
  SIM_ASSERT_MSG(it != replicas.end(), "a raft replica must be one of the kit's replicas");
  return static_cast<raft::NodeIndex>(it - replicas.begin());
}

void ToProto(const raft::Entry& e, RaftEntry* out) {
  out->set_term(e.term);
  out->set_data(e.data);
}

// Takes the entry's bytes rather than copying them: a message is parsed
// once and dropped, and its entries are most of its bytes.
raft::Entry FromProto(RaftEntry& e) { return raft::Entry{e.term(), std::move(*e.mutable_data())}; }

// Fills `p`, which the caller reuses: Clear() keeps its entries and their
// strings' buffers, so a send allocates nothing for them.
void ToProto(const raft::Message& m, RaftMessage& p) {
  p.Clear();
  p.set_kind(static_cast<RaftMessage::Kind>(m.kind));
  p.set_from(m.from);
  p.set_to(m.to);
  p.set_term(m.term);
  p.set_index(m.index);
  p.set_log_term(m.log_term);
  for (const raft::Entry& e : m.entries) ToProto(e, p.add_entries());
  p.set_commit(m.commit);
  p.set_granted(m.granted);
  p.set_seq(m.seq);
  p.set_rejected(m.rejected);
  p.set_stale_term(m.stale_term);
  p.set_snapshot(m.snapshot);
}

void ToProto(const raft::HardState& hs, RaftRecord* out) {
  out->set_has_hard_state(true);
  out->set_term(hs.term);
  out->set_vote(hs.vote == raft::kNobody ? 0 : hs.vote + 1);  // 0: none
}

raft::HardState HardStateOf(const RaftRecord& r) {
  return raft::HardState{r.term(), r.vote() == 0 ? raft::kNobody : r.vote() - 1};
}

raft::Message FromProto(RaftMessage& p) {
  raft::Message m;
  m.kind = static_cast<raft::Message::Kind>(p.kind());
  m.from = p.from();
  m.to = p.to();
  m.term = p.term();
  m.index = p.index();
  m.log_term = p.log_term();
  m.entries.reserve(p.entries_size());
  for (RaftEntry& e : *p.mutable_entries()) m.entries.push_back(FromProto(e));
  m.commit = p.commit();
  m.granted = p.granted();
  m.seq = p.seq();
  m.rejected = p.rejected();
  m.stale_term = p.stale_term();
  m.snapshot = std::move(*p.mutable_snapshot());
  return m;
}

}  // namespace

RaftReplica::RaftReplica(Env& env, KitConfig config, RaftOptions options)
    : env_(env),
      config_(config),
      options_(options),
      replicas_(config.Replicas(env)),
      core_(IndexOf(replicas_, env.id()), static_cast<uint32_t>(replicas_.size()), options.core,
            [&env](uint64_t n) { return env.rng().Uniform(n); }),
      log_(env.disk(), "raft.log"),
      work_(env) {
  env_.Handle<KvRequest, KvResponse>("kv", [this](NodeId, const KvRequest& r) { return OnClient(r); });
}

bool RaftReplica::Recover() {
  Result<std::vector<std::string>> records = log_.Recover();
  if (!records.ok()) return false;  // crashed while recovering
  raft::HardState hs;
  raft::Snapshot snap;
  std::vector<raft::Entry> log;  // after snap
  RaftRecord& r = scratch_record_;  // parsed for its entries, which move into the log
  for (const std::string& bytes : *records) {
    if (!r.ParseFromString(bytes)) continue;  // checksummed: cannot happen but for a bug
    if (r.has_hard_state()) hs = HardStateOf(r);
    if (r.snapshot_index() != 0) {
      snap = raft::Snapshot{r.snapshot_index(), r.snapshot_term(), std::move(*r.mutable_snapshot())};
      log.clear();
    }
    if (r.log_from() == 0) continue;
    SIM_ASSERT_MSG(r.log_from() > snap.index && r.log_from() <= snap.index + log.size() + 1,
                   "a raft record leaves a gap in the log or reaches into the snapshot");
    log.resize(r.log_from() - 1 - snap.index);
    for (RaftEntry& e : *r.mutable_entries()) log.push_back(FromProto(e));
  }
  if (snap.index != 0) {
    const bool restored = machine_.Restore(snap.data);  // checked when received or written
    SIM_ASSERT_MSG(restored, "a raft snapshot in the log that is not a KvSnapshot");
    applied_ = snap.index;
  }
  env_.Log("raft.recovered", {{"term", Cat(hs.term)}, {"snapshot", Cat(snap.index)}, {"entries", Cat(log.size())}});
  core_.Restore(hs, std::move(snap), std::move(log));
  return true;
}

void RaftReplica::Run() {
  if (!Recover()) return;
  serving_ = true;
  env_.Spawn("receive", [this] { ReceiveLoop(); });
  env_.Spawn("tick", [this] { TickLoop(); });
  Drive();
}

void RaftReplica::TickLoop() {
  for (int n = 1;; ++n) {
    if (!env_.Sleep(options_.tick).ok()) return;
    ++ticks_;
    work_.NotifyAll();
    // The planted bug syncs lazily, every ten ticks, as a background
    // flusher would: the window in which acknowledged state is volatile.
    if (options_.bug_ack_before_fsync && n % 10 == 0 && !log_.Sync().ok()) return;
  }
}

void RaftReplica::ReceiveLoop() {
  for (;;) {
    Result<Inbound> in = env_.Receive();
    if (!in.ok()) return;  // crashed
    RaftMessage& p = scratch_in_;  // reused: parsing into it keeps its entries' allocations
    if (in->method() != kRaft || !in->ParseTo(&p)) continue;
    raft::Message m = FromProto(p);
    // From a member, to us, of a kind we know; anything else is not Raft.
    if (m.from >= replicas_.size() || replicas_[m.from] != in->from || m.to != core_.self() ||
        p.kind() > RaftMessage::SNAPSHOT) {
      continue;
    }
    // A snapshot the state machine could not load must not reach the core.
    if (m.kind == raft::Message::kSnapshot && !KvMachine::IsSnapshot(m.snapshot)) continue;
    inbox_.push_back(std::move(m));
    work_.NotifyAll();
  }
}

void RaftReplica::Drive() {
  for (;;) {
    const bool reads_ready = !reads_.empty() && core_.LeaderReady();
    if (ticks_ == 0 && inbox_.empty() && proposals_.empty() && !reads_ready) {
      if (!work_.Wait().ok()) return;  // crashed
      continue;
    }
    raft::Ready r = TakeQueued();
    // Durable first: nothing this round implies (a vote, an acknowledged
    // entry, a commit) leaves the node before the record is synced.
    if (Status s = Persist(r); !s.ok()) return Stop(s);
    for (const raft::Message& m : r.messages) Send(m);
    ApplyCommitted(r);
    if (Status s = MaybeCompact(); !s.ok()) return Stop(s);
    for (const auto& [id, index] : r.reads) {
      if (auto it = pending_.find(id); it != pending_.end()) it->second = Pending{it->second.wake, true, index};
    }
    WakeWaiters();
  }
}

void RaftReplica::Stop(const Status& why) {
  if (why.code() != Error::kCrashed) env_.Log("raft.stopped", {{"why", why.message()}});
  serving_ = false;
  WakeWaiters();
}

void RaftReplica::WakeWaiters() {
  const std::pair<raft::Role, uint64_t> now{core_.role(), core_.term()};
  const bool everyone = !serving_ || now != last_seen_;
  if (now != last_seen_) {
    // For the run's report and trace: who led when.
    const raft::NodeIndex leader = core_.leader();
    env_.Log("raft.role", {{"role", std::string(RoleName(role()))},
                           {"term", Cat(now.second)},
                           {"leader", leader == raft::kNobody ? std::string("-") : env_.name_of(replicas_[leader])},
                           {"applied", Cat(applied_)}});
  }
  last_seen_ = now;
  for (const auto& [id, p] : pending_) {
    if (everyone || (p.resolved && p.index <= applied_)) p.wake->NotifyAll();
  }
}

raft::Ready RaftReplica::TakeQueued() {
  raft::Ready all;  // one round (raft_core.h): one record, one fsync
  for (; ticks_ > 0; --ticks_) core_.Tick(&all);
  for (; !inbox_.empty(); inbox_.pop_front()) core_.Step(inbox_.front(), &all);
  if (!proposals_.empty()) {
    std::vector<std::string> data;
    for (Proposal& p : proposals_) data.push_back(std::move(p.data));
    const uint64_t first = core_.Propose(std::move(data), &all);
    for (size_t i = 0; i < proposals_.size(); ++i) {
      if (auto it = pending_.find(proposals_[i].id); it != pending_.end()) {
        it->second = Pending{it->second.wake, true, first == 0 ? 0 : first + i};
      }
    }
    proposals_.clear();
  }
  if (core_.role() != raft::Role::kLeader) {
    reads_.clear();  // their fibers see the role and answer NOT_HERE
  } else if (!reads_.empty() && core_.LeaderReady()) {
    core_.ReadIndex(reads_, &all);
    reads_.clear();
  }
  core_.Finish(&all);
  return all;
}

Status RaftReplica::Persist(const raft::Ready& r) {
  if (r.snapshot) return Checkpoint();  // the log now starts after it
  if (!r.hard_state && r.log_from == 0) return Status::Ok();
  RaftRecord& rec = scratch_record_;
  rec.Clear();
  if (r.hard_state) ToProto(*r.hard_state, &rec);
  if (r.log_from != 0) {
    rec.set_log_from(r.log_from);
    for (const raft::Entry& e : r.log_suffix) ToProto(e, rec.add_entries());
  }
  SerializeDeterministic(rec, &scratch_bytes_);
  return log_.Append(scratch_bytes_, /*sync=*/!options_.bug_ack_before_fsync);
}

Status RaftReplica::Checkpoint() {
  RaftRecord& rec = scratch_record_;
  rec.Clear();
  ToProto(core_.hard_state(), &rec);
  const raft::Snapshot& snap = core_.snapshot();
  rec.set_snapshot_index(snap.index);
  rec.set_snapshot_term(snap.term);
  rec.set_snapshot(snap.data);
  rec.set_log_from(snap.index + 1);
  for (const raft::Entry& e : core_.entries()) ToProto(e, rec.add_entries());
  SerializeDeterministic(rec, &scratch_bytes_);
  return log_.Rewrite(scratch_bytes_);
}

Status RaftReplica::MaybeCompact() {
  if (options_.snapshot_every == 0 || applied_ < core_.snapshot().index + options_.snapshot_every ||
      applied_ > core_.commit()) {  // the last: only a planted bug truncates a committed entry
    return Status::Ok();
  }
  return core_.Compact(applied_, machine_.Serialize()) ? Checkpoint() : Status::Ok();
}

void RaftReplica::Send(const raft::Message& m) {
  ToProto(m, scratch_out_);
  (void)env_.Send(replicas_[m.to], kRaft, scratch_out_);  // lost ones: Raft retries
}

void RaftReplica::ApplyCommitted(const raft::Ready& r) {
  if (r.snapshot && r.snapshot->index > applied_) {
    // Installed from the leader: our state machine lags its log.
    const bool restored = machine_.Restore(r.snapshot->data);  // checked when received
    SIM_ASSERT_MSG(restored, "a raft snapshot that is not a KvSnapshot");
    applied_ = r.snapshot->index;
    env_.Log("raft.installed", {{"snapshot", Cat(applied_)}});
  }
  for (const auto& [index, e] : r.committed) {
    if (index <= applied_) continue;  // only a planted bug re-commits an index
    applied_ = index;
    if (e.data.empty()) continue;  // a leader's no-op
    KvRequest& w = scratch_request_;  // reused: Clear keeps its strings' buffers
    if (w.ParseFromString(e.data)) (void)machine_.ApplyCode(w, index);
  }
}

bool RaftReplica::Await(Condition& wake, Time deadline) {
  const Duration left = deadline - env_.monotonic_clock();
  return left > Duration::Zero() && wake.Wait(left).ok();
}

KvResponse RaftReplica::NotHere() const {
  KvResponse r;
  r.set_code(KvResponse::NOT_HERE);
  const raft::NodeIndex leader = core_.leader();
  if (leader != raft::kNobody && leader != core_.self()) r.set_hint(env_.name_of(replicas_[leader]));
  return r;
}

Result<KvResponse> RaftReplica::OnClient(const KvRequest& req) {
  if (!serving_ || core_.role() != raft::Role::kLeader) return NotHere();
  switch (req.op()) {
    case KvRequest::GET:
      return Read(req);
    case KvRequest::PUT:
    case KvRequest::DELETE:
    case KvRequest::CAS:
      return Write(req);
    default:
      return Status(Error::kInvalidArgument, Cat("raft mode serves get, put, cas and delete, not op ", static_cast<int>(req.op())));
  }
}

Result<KvResponse> RaftReplica::Write(const KvRequest& req) {
  // The token is how a retry finds the first attempt's answer; without one
  // the answer could not be told apart from another write's.
  if (req.token() == 0) return Status(Error::kInvalidArgument, "a write needs an idempotency token");
  if (std::optional<KvResponse> first = machine_.Answered(req.token())) return *first;
  const uint64_t id = ++next_request_;
  Condition wake(env_);
  pending_[id] = Pending{&wake};
  absl::Cleanup forget = [this, id] { pending_.erase(id); };  // however this returns
  proposals_.push_back(Proposal{id, SerializeDeterministic(req)});
  work_.NotifyAll();
  const Time deadline = env_.monotonic_clock() + options_.request_limit;
  while (!pending_.at(id).resolved) {
    if (!Await(wake, deadline)) return Status(Error::kTimeout, "not proposed in time");
  }
  const uint64_t index = pending_.at(id).index;
  if (index == 0) return NotHere();  // no longer leader: never entered a log
  while (applied_ < index) {
    if (!Await(wake, deadline)) return Status(Error::kTimeout, "not committed in time");
  }
  if (std::optional<KvResponse> answer = machine_.Answered(req.token())) return *answer;
  // Our entry was replaced by another leader's before it committed, and
  // no retry of it has been applied: unknown, as a retry may still be in
  // some log.
  return Status(Error::kTimeout, "the entry was replaced");
}

Result<KvResponse> RaftReplica::Read(const KvRequest& req) {
  const uint64_t id = ++next_request_;
  const uint64_t term = core_.term();
  Condition wake(env_);
  pending_[id] = Pending{&wake};
  absl::Cleanup forget = [this, id] { pending_.erase(id); };
  reads_.push_back(id);
  work_.NotifyAll();
  const Time deadline = env_.monotonic_clock() + options_.request_limit;
  while (!pending_.at(id).resolved) {
    if (core_.role() != raft::Role::kLeader || core_.term() != term) return NotHere();
    if (!Await(wake, deadline)) return Status(Error::kTimeout, "leadership not confirmed in time");
  }
  const uint64_t index = pending_.at(id).index;
  while (applied_ < index) {
    if (!Await(wake, deadline)) return Status(Error::kTimeout, "not applied in time");
  }
  return machine_.Get(req.key());
}

Role RaftReplica::role() const {
  switch (core_.role()) {
    case raft::Role::kLeader: return serving_ ? Role::kLeader : Role::kFollower;
    case raft::Role::kPreCandidate:
    case raft::Role::kCandidate: return Role::kCandidate;
    case raft::Role::kFollower: break;
  }
  return Role::kFollower;
}

ReplicaState RaftReplica::Snapshot() const {
  ReplicaState s{env_.name(), std::string(RoleName(role())), true, {}, {}};
  machine_.Fill(&s);
  return s;
}

}  // namespace faultline::kit
