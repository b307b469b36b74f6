// The Env seam (design §4, style.md §1): everything service code may touch.
// Service code is ordinary blocking C++ on fibers; it sees virtual time, its
// own clocks, its own random stream, the network and its disk only through
// this class, so the same code runs unchanged under any scenario.
//
// Blocking calls (Sleep, Receive, Call, disk operations on a slow disk)
// are the only points where other fibers run. Code between two of them is
// atomic. When the node crashes, each blocking call in progress ends by
// unwinding the fiber (destructors run); a blocking call made from a
// destructor during that unwind returns kCrashed at once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "google/protobuf/message_lite.h"
#include "sim/engine/simulation.h"
#include "sim/node/wire.h"
#include "sim/world/world.h"

namespace faultline {

class Cluster;

// A one-way message taken from the inbox. It keeps the bytes that came off
// the wire; the payload is read in place (no copy per message).
struct Inbound {
  NodeId from;
  WirePayload wire;
  // Both valid while this Inbound lives (not past a temporary Result<Inbound>).
  std::string_view method() const { return wire.method(); }
  std::string_view payload() const { return wire.payload(); }
  // False if the payload does not parse as M.
  template <typename M>
  bool ParseTo(M* out) const {
    return out->ParseFromArray(payload().data(), static_cast<int>(payload().size()));
  }
};

// The node's disk, charging the disk's latency (a slow-disk fault) per call.
// Once the node has crashed (including from destructors that run during the
// crash) every call returns kCrashed: a kill -9 flushes nothing.
class DiskIo {
 public:
  DiskIo(Simulation& sim, Disk& disk, NodeId node) : sim_(sim), disk_(disk), node_(node) {}
  Status Write(std::string_view file, uint64_t offset, std::string_view data);
  Status Append(std::string_view file, std::string_view data);
  Result<std::string> Read(std::string_view file, uint64_t offset, uint64_t length);
  Result<std::string> ReadAll(std::string_view file);
  Status Fsync(std::string_view file);
  Status Delete(std::string_view file);
  bool Exists(std::string_view file) const { return disk_.Exists(file); }
  std::vector<std::string> List() const { return disk_.List(); }

 private:
  Status Charge();
  Simulation& sim_;
  Disk& disk_;
  NodeId node_;
};

class alignas(64) Env {
 public:
  // `request` views the received bytes and is valid until the handler
  // returns: copy it (or parse it) before handing it to another fiber.
  using RawHandler = std::function<Result<std::string>(NodeId from, std::string_view request)>;

  Env(Cluster& cluster, NodeId id);
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  NodeId id() const { return id_; }
  const std::string& name() const;
  const std::string& name_of(NodeId node) const;
  std::vector<NodeId> peers() const;  // every other node, in id order
  size_t node_count() const;
  Result<NodeId> node(std::string_view name) const;

  // Virtual time: for bookkeeping, never for the service's own decisions.
  Time now() const;
  // This node's clocks: skewed, drifting, jumping (wall), or only drifting
  // (monotonic). Service logic that reads time must use these.
  Time wall_clock() const;
  Time monotonic_clock() const;
  Rng& rng();
  DiskIo& disk() { return disk_; }

  Status Sleep(Duration d);
  // A new fiber on this node; it dies with the node.
  void Spawn(std::string name, std::function<void()> body);

  // One-way message, tagged with `method` (e.g. the message type). Lost,
  // duplicated or delayed as the network decides; no acknowledgement.
  Status Send(NodeId to, std::string_view method, const google::protobuf::MessageLite& msg);
  // The next one-way message, in arrival order; kTimeout after `timeout`.
  Result<Inbound> Receive(Duration timeout = Duration::Max());

  // RPC: sends a REQUEST and waits for its RESPONSE. kTimeout if none came
  // in time; a late or duplicated response is ignored. kRemote carries the
  // handler's error; kUnreachable if the peer does not serve `method`.
  Result<std::string> CallRaw(NodeId to, std::string_view method, std::string request,
                              Duration timeout);
  template <typename Resp>
  Result<Resp> Call(NodeId to, std::string_view method, const google::protobuf::MessageLite& req,
                    Duration timeout) {
    Result<std::string> r = CallRaw(to, method, SerializeDeterministic(req), timeout);
    if (!r.ok()) return r.status();
    Resp resp;
    if (!resp.ParseFromString(*r)) return Status(Error::kIoError, "unparseable response");
    return resp;
  }

  // Serves `method`: each request runs `handler` on a fresh fiber.
  void HandleRaw(std::string method, RawHandler handler);
  template <typename Req, typename Resp>
  void Handle(std::string method, std::function<Result<Resp>(NodeId from, const Req&)> handler) {
    HandleRaw(std::move(method), [h = std::move(handler)](NodeId from, std::string_view bytes)
                                     -> Result<std::string> {
      Req req;
      if (!req.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        return Status(Error::kInvalidArgument, "unparseable request");
      }
      Result<Resp> resp = h(from, req);
      if (!resp.ok()) return resp.status();
      return SerializeDeterministic(*resp);
    });
  }

  // A structured log record, e.g. Log("lease.expired", {{"holder", "n1"},
  // {"term", "4"}}): stamped with virtual time and this node, and part of
  // the trace hash.
  void Log(std::string event, std::vector<LogField> fields = {});

 private:
  friend class Cluster;
  friend class Condition;  // waits and wakes fibers through the engine
  struct PendingCall {
    FiberHandle fiber;
    uint64_t token = 0;
    bool done = false;
    Status status;
    std::string payload;
  };
  struct Waiter {
    FiberHandle fiber;
    uint64_t token;
  };
  Simulation& sim() const;
  World& world() const;
  // kCrashed once the node is down or its fibers are being unwound.
  Status CheckAlive() const;
  // Checks the destination and that this node is alive, then sends.
  Status SendWire(NodeId to, std::string bytes);
  Status CheckPeer(NodeId to) const;
  // Deliveries, from the scheduler. `wire` holds the bytes `h` and
  // `payload` point into.
  void OnOneWay(NodeId from, WirePayload wire);
  void OnRequest(NodeId from, uint64_t rpc_id, std::string method, WirePayload wire);
  void OnResponse(const EnvelopeHeader& h, std::string_view payload);
  void Reset();  // drops volatile state after a crash

  // What every message touches comes first, in two cache lines (the class
  // is 64-aligned). Inline storage for the usual one message and one
  // waiting fiber: at 100,000 nodes a separate buffer is a miss per message.
  Cluster& cluster_;
  NodeId id_;
  Rng* rng_;  // the engine's stream for this node (stable address)
  size_t inbox_head_ = 0;
  absl::InlinedVector<Waiter, 1> receivers_;
  absl::InlinedVector<Inbound, 1> inbox_;
  DiskIo disk_;
  uint64_t next_rpc_ = 0;
  // rpc_id -> the waiting call on its caller's stack. Lookup only, never
  // iterated. tidy:allow(unordered)
  absl::flat_hash_map<uint64_t, PendingCall*> calls_;
  absl::btree_map<std::string, RawHandler, std::less<>> handlers_;
};

}  // namespace faultline
