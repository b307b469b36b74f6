-- Five raft replicas in three regions, 40 ms apart (1 ms inside a region),
-- with a lossy, slow link and then a cut between regions. Raft stays
-- linearizable; commits pay the cross-region round trip; the side without
-- a majority refuses writes while it is cut off.
local s = scenario {
  name = "kit: raft across three regions",
  description = "5 raft replicas in 3 regions 40 ms apart, a lossy link, then the west region cut off",
  model = "kv", nodes = 5, duration = "6s", quiesce = "3s",
  params = { mode = "raft" },
  regions = { east = { "r1", "r2" }, west = { "r3", "r4" }, eu = { "r5" } },
  region_latency = "40ms",
  workload = { clients = 5, keys = 10, think = "20ms", distribution = "zipfian" },
}
s:at("1s", link.degrade("r1", "r3", { latency = "20ms..120ms", loss = "10%" }), "1.5s")
s:at("3s", partition.groups({ "r1", "r2", "r5" }, { "r3", "r4" }), "2s")
s:check("linearizable")
s:check("split_brain")
s:check("converges", { within = "2s" })
return s
