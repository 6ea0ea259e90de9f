-- wrk script for scripts/bench.sh: the mixed workload against a demo database.
--
-- Environment: BENCH_TOKEN, BENCH_IDS (participant ids, one a line), BENCH_ACTIVE_IDS (ids of
-- participants who may receive an interview now: active or in follow-up), BENCH_REFERENTS
-- (referent ids), BENCH_LABEL.
--
-- mix: 70 % GET /v1/participants/{id}
--      20 % GET /v1/participants/{id}/interviews?limit=20
--       8 % POST /v1/participants/{id}/interviews   (active participants only)
--       2 % GET /v1/indicators  (half for the whole PLIE, half for one referent)
-- The same shares as ../shared/bench/workload.lua, so the figures read side by side.
-- done() prints: RESULT label=… rps=… p50_ms=… p99_ms=… max_ms=… non2xx=… socket_errors=…

local label = os.getenv("BENCH_LABEL") or "mix"
local thread_count = 0
function setup(thread)
   thread_count = thread_count + 1
   thread:set("tid", thread_count)
end

local function lines(path)
   local out = {}
   for line in io.lines(path) do if line ~= "" then out[#out + 1] = line end end
   if #out == 0 then error("no ids in " .. path) end
   return out
end

local ids, active, referents, get_headers, post_headers, day, counter

function init(args)
   local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
   ids = lines(os.getenv("BENCH_IDS") or error("BENCH_IDS is not set"))
   active = lines(os.getenv("BENCH_ACTIVE_IDS") or error("BENCH_ACTIVE_IDS is not set"))
   referents = lines(os.getenv("BENCH_REFERENTS") or error("BENCH_REFERENTS is not set"))
   math.randomseed(os.time() * 100 + (tid or 0))
   get_headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
   post_headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json",
                    ["Content-Type"] = "application/json" }
   day = os.date("!%Y-%m-%d", os.time() - 86400)
   counter = 0
end

function request()
   local r = math.random(100)
   if r <= 70 then
      return wrk.format("GET", "/v1/participants/" .. ids[math.random(#ids)], get_headers)
   elseif r <= 90 then
      return wrk.format("GET", "/v1/participants/" .. ids[math.random(#ids)] .. "/interviews?limit=20", get_headers)
   elseif r <= 98 then
      counter = counter + 1
      local body = string.format(
         '{"date":"%s","kind":"phone","duration_minutes":20,' ..
         '"summary":"Point téléphonique %d-%d : suivi des démarches, de la mobilité et du logement.",' ..
         '"attendance_signed":false}', day, tid or 0, counter)
      return wrk.format("POST", "/v1/participants/" .. active[math.random(#active)] .. "/interviews", post_headers, body)
   elseif r == 99 then
      return wrk.format("GET", "/v1/indicators", get_headers)
   else
      return wrk.format("GET", "/v1/indicators?referent_id=" .. referents[math.random(#referents)], get_headers)
   end
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      "RESULT label=%s requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d socket_errors=%d\n",
      label, summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
