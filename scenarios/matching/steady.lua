-- The matching service in steady state (issue 6): 3 registry replicas
-- (raft), 3 profile replicas (crdt), 2 front nodes, 4 clients posting
-- projects, matching, assigning and releasing, while developers edit
-- their profiles. No faults: every invariant must hold.
local s = scenario {
  name = "matching: steady state",
  description = "no faults: the baseline latency and every invariant holding",
  model = "matching", nodes = 3, duration = "4s", quiesce = "2s", sample_every = "50ms",
  params = { registry = "raft", profiles = "crdt" },
  workload = { clients = 4, think = "30ms", mix = { profile = 1, project = 2 } },
}
s:check("no_double_booking")
s:check("linearizable")
s:check("profiles_converge", { within = "2s" })
s:check("match_staleness", { bound = "1s" })
s:check("scores_explained")
s:check("no_lost_profile_updates")
return s
