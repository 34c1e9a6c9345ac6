-- wrk script: GET article pages drawn by a Zipf law (bench/editing_bench.py).
--
--   wrk -t2 -c16 -d15s --latency -s bench/zipf.lua http://127.0.0.1:PORT -- PATHS S SEED
--
-- PATHS is a file of URL paths, one a line, most read first: the path of
-- rank k is requested with probability proportional to 1 / k^S (S = 1 by
-- default). Each thread draws with its own generator, seeded from SEED and
-- the thread's number, so that a run can be repeated. The Python side
-- (bench/zipf.py) draws the editor's articles by the same law.
--
-- At the end one line "WRKJSON {...}" gives the figures as JSON.

local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("number", counter)
  table.insert(threads, thread)
end

local paths = {}
local cdf = {}
local n = 0
local state = 1

-- Park and Miller's minimal standard generator: exact in doubles, and the
-- same in any Lua, so a seed gives the same draws everywhere.
local function uniform()
  state = (state * 48271) % 2147483647
  return state / 2147483647
end

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot read " .. tostring(args[1]))
  local s = tonumber(args[2] or "1")
  local seed = tonumber(args[3] or "1")
  local total = 0
  for line in file:lines() do
    if #line > 0 then
      n = n + 1
      paths[n] = line
      total = total + 1 / (n ^ s)
      cdf[n] = total
    end
  end
  file:close()
  assert(n > 0, "no paths in " .. args[1])
  for i = 1, n do
    cdf[i] = cdf[i] / total
  end
  state = (seed * 7919 + (number or 1) * 104729) % 2147483646 + 1
end

local function draw()
  local u = uniform()
  local lo, hi = 1, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return paths[lo]
end

function request()
  return wrk.format("GET", draw())
end

function done(summary, latency, requests)
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "non_2xx_3xx": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout))
end
