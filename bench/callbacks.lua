-- wrk script: POSTs realistic connectionCreated / streamCreated callbacks, each with ids of its
-- own so that every one is a new callback, and counts the answers by status.
local counter = 0
local threads = {}
ok = 0
other = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  -- A prefix of the run's own (given by bench/run), so that no two runs share an id.
  prefix = args[1] or "0"
  counter = 0
  ok = 0
  other = 0
end

local session = "2_MX4xMzExMjU3MX5-MTQ3MDI1NzY3OTkxOH45QXRr"

local function uuid(n)
  return string.format("%s-%04x-4%03x-8%03x-%012x", prefix, id, n % 4096, (n * 7) % 4096, n)
end

request = function()
  counter = counter + 1
  local connection = uuid(counter * 2)
  local body
  if counter % 2 == 0 then
    body = '{"sessionId":"' .. session .. '","projectId":"123456","event":"connectionCreated",'
      .. '"timestamp":1470257688309,"connection":{"id":"' .. connection .. '",'
      .. '"createdAt":1470257688143,"data":"{\\"userName\\":\\"bench\\",\\"role\\":\\"guest\\"}"}}'
  else
    body = '{"sessionId":"' .. session .. '","projectId":"123456","event":"streamCreated",'
      .. '"timestamp":1470258860571,"stream":{"id":"' .. uuid(counter * 2 + 1) .. '",'
      .. '"connection":{"id":"' .. connection .. '","createdAt":1470257688143,"data":""},'
      .. '"createdAt":1470258845416,"name":"","videoType":"camera"}}'
  end
  return wrk.format("POST", "/callbacks/session", {["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    other = other + 1
  end
end

done = function(summary, latency, requests)
  local total_ok = 0
  local total_other = 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
  end
  io.write(string.format("RESULT requests=%d seconds=%.3f ok=%d other=%d errors=%d "
    .. "p50=%.3f p99=%.3f p999=%.3f\n",
    summary.requests, summary.duration / 1e6, total_ok, total_other,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000))
end
