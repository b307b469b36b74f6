-- The consistency kit's expected-behaviour table (issue 4), row "crdt",
-- column "clock skew beyond the guard": crdt (OR-set, PN-counter, multi-value register).
-- 3 replicas, 3 clients on 10 keys; the workload stops at 3.5 s, then
-- every fault is healed and the system is left alone for 2.5 s.
local s = scenario {
  name = "kit: crdt under clock skew beyond the guard",
  description = "crdt: r1 500 ms behind and r3 500 ms ahead from 1 s, r1 cut off for 400 ms",
  model = "kv", nodes = 3, duration = "3.5s", quiesce = "2.5s",
  params = { mode = "crdt" },
  workload = { clients = 3, keys = 10, think = "20ms" },
}
s:at("1s", clock.skew("r1", "-500ms"))
s:at("1s", clock.skew("r3", "+500ms"))
s:at("1.5s", partition.isolate("r1"), "400ms")
s:check("crdt_merge")
s:check("converges", { within = "1s" })
return s
