-- wrk script of bench/public_api.py: rotates over many paths and reports what the bench reads.
--
--   wrk -t2 -c32 -d3s -s bench/paths.lua http://127.0.0.1:8000 -- PATHS_FILE [cold RUN_ID]
--
-- PATHS_FILE holds one path a line (with its query, if any). With "cold", every request adds a
-- unique `_bench=<run>-<thread>-<n>` query parameter, so it misses any cache keyed on the query
-- string. Each response outside 2xx is counted by status, and each a cache missed (Saylau's
-- `X-Saylau-Cache: miss`). At the end one line
-- `WRK_JSON {...}` gives requests, duration, p50/p90/p99/max latency (microseconds), socket
-- errors and the non-2xx counts.

local threads = {}
local next_id = 1

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      if #line > 0 then
         paths[#paths + 1] = line
      end
   end
   cold = args[2] == "cold"
   run_id = args[3] or "0"
   -- Threads start at different places of the rotation.
   position = ((id - 1) * 7919) % #paths
   sent = 0
   non2xx = 0
   misses = 0
   statuses = {}
end

function request()
   position = position % #paths + 1
   local path = paths[position]
   if cold then
      sent = sent + 1
      local separator = path:find("?", 1, true) and "&" or "?"
      path = path .. separator .. "_bench=" .. run_id .. "-" .. id .. "-" .. sent
   end
   return wrk.format("GET", path)
end

function response(status, headers, body)
   if headers["X-Saylau-Cache"] == "miss" then
      misses = misses + 1
   end
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      local key = tostring(status)
      statuses[key] = (statuses[key] or 0) + 1
   end
end

function done(summary, latency, requests)
   local total_non2xx = 0
   local total_misses = 0
   local by_status = {}
   for _, thread in ipairs(threads) do
      total_non2xx = total_non2xx + thread:get("non2xx")
      total_misses = total_misses + thread:get("misses")
      for status, count in pairs(thread:get("statuses")) do
         by_status[status] = (by_status[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(by_status) do
      parts[#parts + 1] = string.format('"%s": %d', status, count)
   end
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
         .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, '
         .. '"connect": %d, "read": %d, "write": %d, "timeout": %d, '
         .. '"non2xx": %d, "misses": %d, "statuses": {%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.connect, e.read, e.write, e.timeout,
      total_non2xx, total_misses, table.concat(parts, ", ")))
end
