// A client node of the matching service: developers keep their profiles
// up to date, clients post projects, ask for matches, assign the best
// candidate they can get and later release the developer and rate them.
// Every step is an operation in the history (docs/models/matching.md):
//   profile  key dev7   input [rev "skill go:3"]        ok :exists for an onboarding already done
//   rate     key dev7   input stars
//   post     key <id>   input the project text
//   match    key <id>   input the project text          ok: a list of candidates,
//            each [developer score [parts...] profile-text age-ms]
//   assign   key dev7   input [project hours capacity]  ok :granted or :taken
//   release  key dev7   input project
// Client i first onboards the developers d with d mod clients = i. Each
// store operation starts at the client's home replica (i mod n) and
// follows hints from there, like a client talking to its nearest replica:
// two replicas that both believe they lead both get traffic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/kit/kv_workload.h"
#include "models/matching/catalog.h"
#include "models/matching/stores.h"

namespace faultline::matching {

struct MatchingWorkloadOptions {
  int64_t profile_weight = 1;  // the workload mix: profile changes...
  int64_t project_weight = 1;  // ...and projects (post, match, assign)
  Duration think = Duration::Millis(40);
  Duration hold = Duration::Millis(600);  // how long an assignment lasts, then release and rate
  int candidates = 3;                     // asked of each match
  int rematches = 2;                      // new matches after every candidate was taken
  bool crdt_profiles = false;
  Duration attempt = Duration::Millis(100);
  RetryPolicy retry;
  int64_t stride = 100;
  Time stop = Time::Max();
};

struct Topology {
  kit::KitConfig registry, profiles;
  std::vector<std::string> fronts;  // e1..eN
  int clients = 1;
};

class MatchingClient final : public Service {
 public:
  MatchingClient(Env& env, HistoryRecorder& history, const Catalog& catalog, Topology topology, int index,
                 MatchingWorkloadOptions options);
  void Run() override;

 private:
  struct Hold {
    std::string developer, project;
    Time until;
  };
  bool Think();
  // No operation starts at or after options.stop, not even the next step
  // of a project under way: the checks take the stop as the point after
  // which nothing new is written (convergence is judged from there).
  bool Stopped() const;
  bool Onboard();
  bool ChangeProfile(const std::string& developer, ProfileChange change);
  bool Rate(const std::string& developer, int stars);
  bool ReleaseDue();
  bool RunProject();
  // One front-node call as a Client attempt; the next front after a failure.
  template <typename Resp>
  Attempt CallFront(std::string_view method, const google::protobuf::MessageLite& req, Duration remaining,
                    Resp* out);
  ProfileChange DrawChange(const std::string& developer);
  Project DrawProject();
  std::string NextId(std::string_view kind);  // unique over the run: process and sequence

  Env& env_;
  const Catalog& catalog_;
  Topology topology_;
  int index_;
  MatchingWorkloadOptions options_;
  std::optional<int64_t> first_process_;  // nullopt: no operation may run (kit::FirstProcess)
  Client client_;
  kit::KvCaller registry_, profiles_;
  std::vector<NodeId> fronts_;
  size_t front_ = 0, front_home_ = 0;  // each post and match starts at the home front
  uint64_t seq_ = 0;
  std::vector<Hold> holds_;
};

}  // namespace faultline::matching
