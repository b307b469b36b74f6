-- The consistency kit's expected-behaviour table (issue 4), row "lww-wall",
-- column "partition": lww with wall-clock timestamps.
-- 3 replicas, 3 clients on 10 keys; the workload stops at 3.5 s, then
-- every fault is healed and the system is left alone for 2.5 s.
-- Expected: both sides accept writes; not linearizable, but it converges
-- after the heal and loses no write that the rule does not excuse.
local s = scenario {
  name = "kit: lww-wall under partition",
  description = "lww-wall: r1 cut off from the other replicas from 1 s to 3 s (clients reach every replica)",
  model = "kv", nodes = 3, duration = "3.5s", quiesce = "2.5s",
  params = { mode = "lww", clock = "wall" },
  workload = { clients = 3, keys = 10, think = "20ms" },
}
s:at("1s", partition.isolate("r1"), "2s")
s:check("linearizable")
s:check("no_lost_writes")
s:check("lww_rule")
s:check("converges", { within = "1s" })
s:expect("linearizable")
return s
