-- Split-brain of the registry (issue 6): at 1.5 s the registry primary is
-- isolated from the other registry replicas with its clock 500 ms behind
-- (the split_brain composite), for 400 ms; clients still reach it. A lease
-- registry then has two primaries granting assignments.
local s = scenario {
  name = "matching: split-brain of the registry",
  description = "lease registry: the primary isolated with its clock 500 ms behind for 400 ms",
  model = "matching", nodes = 3, duration = "4s", quiesce = "2.5s", sample_every = "50ms",
  params = { registry = "lease", profiles = "crdt" },
  workload = { clients = 4, think = "15ms", mix = { profile = 1, project = 4 } },
}
s:at("1.5s", split_brain("500ms"), "400ms")
s:check("no_double_booking")
s:check("linearizable")
s:check("profiles_converge", { within = "2s" })
s:check("match_staleness", { bound = "1s" })
s:check("scores_explained")
s:check("no_lost_profile_updates")
s:expect("no_double_booking")
s:expect("linearizable")
return s
