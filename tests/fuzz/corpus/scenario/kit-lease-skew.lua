-- The consistency kit's expected-behaviour table (issue 4), row "lease",
-- column "clock skew beyond the guard": lease (primary-backup with a 300 ms lease and a 100 ms guard).
-- 3 replicas, 3 clients on 10 keys; the workload stops at 3.5 s, then
-- every fault is healed and the system is left alone for 2.5 s.
-- Expected: the old primary, its clock behind, keeps serving on a lease the
-- others consider expired while they elect a new one: two primaries accept
-- writes (split_brain) and the history is not linearizable.
local s = scenario {
  name = "kit: lease under clock skew beyond the guard",
  description = "lease: the primary's clock 500 ms behind from 1.5 s and cut off for 400 ms",
  model = "kv", nodes = 3, duration = "3.5s", quiesce = "2.5s",
  params = { mode = "lease" },
  workload = { clients = 3, keys = 10, think = "20ms" },
}
s:at("1.5s", split_brain("500ms"), "400ms")
s:check("linearizable")
s:check("split_brain")
s:check("converges", { within = "1s" })
s:expect("linearizable")
s:expect("split_brain")
return s
