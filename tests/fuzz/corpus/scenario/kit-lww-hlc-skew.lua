-- The consistency kit's expected-behaviour table (issue 4), row "lww-hlc",
-- column "clock skew beyond the guard": lww with hybrid logical clock timestamps.
-- 3 replicas, 3 clients on 10 keys; the workload stops at 3.5 s, then
-- every fault is healed and the system is left alone for 2.5 s.
-- Expected: not linearizable, but the hybrid logical clock loses no write
-- to an earlier one (compare lww-wall-skew).
local s = scenario {
  name = "kit: lww-hlc under clock skew beyond the guard",
  description = "lww-hlc: r1 500 ms behind and r3 500 ms ahead from 1 s, r1 cut off for 400 ms",
  model = "kv", nodes = 3, duration = "3.5s", quiesce = "2.5s",
  params = { mode = "lww", clock = "hlc" },
  workload = { clients = 3, keys = 10, think = "20ms" },
}
s:at("1s", clock.skew("r1", "-500ms"))
s:at("1s", clock.skew("r3", "+500ms"))
s:at("1.5s", partition.isolate("r1"), "400ms")
s:check("linearizable")
s:check("no_lost_writes")
s:check("lww_rule")
s:check("converges", { within = "1s" })
s:expect("linearizable")
return s
