-- Headers and body come from the environment; done() prints one JSON line the runner reads.
-- BENCH_PLAN names a file of requests, one per line, a path and optionally a tab and its body:
-- thread k of BENCH_THREADS sends the lines k+1, k+1+threads, … in turn, so no two threads
-- write the same row; a line without a body sends, on the n-th pass over the thread's share,
-- the n-th body of BENCH_BODIES (separated by newlines), round and round.
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local auth = os.getenv("BENCH_AUTH")
local cookie = os.getenv("BENCH_COOKIE")
local plan = os.getenv("BENCH_PLAN")
local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
local made = 0

function setup(thread)
  thread:set("id", made)
  made = made + 1
end

local function lines(text, separator)
  local found = {}
  for line in string.gmatch(text, "[^" .. separator .. "]+") do found[#found + 1] = line end
  return found
end

local share, bodies, sent = nil, nil, 0

function init(args)
  if plan then
    local file = assert(io.open(plan, "r"))
    local paths = lines(file:read("*a"), "\n")
    file:close()
    share = {}
    for index = id + 1, #paths, threads do share[#share + 1] = paths[index] end
    bodies = lines(os.getenv("BENCH_BODIES") or "", "\n")
  end
end

request = function()
  local headers = {}
  if auth then headers["Authorization"] = auth end
  if cookie then headers["Cookie"] = cookie end
  local path, payload = nil, body
  if share then
    local line = share[sent % #share + 1]
    local tab = string.find(line, "\t", 1, true)
    if tab then
      path, payload = string.sub(line, 1, tab - 1), string.sub(line, tab + 1)
    else
      path = line
      if #bodies > 0 then payload = bodies[math.floor(sent / #share) % #bodies + 1] end
    end
    sent = sent + 1
  end
  if payload then headers["Content-Type"] = "application/json" end
  return wrk.format(method, path, headers, payload)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '\nBENCH_JSON {"requests": %d, "duration_us": %d, "errors": %d, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f}\n',
    summary.requests, summary.duration, errors, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
