-- wrk script of bench/load.py: every request is a new respondent submitting the relationship
-- NPS survey as JSON, with its own submission_id and device id and realistic Chinese answers.
--
--   wrk ... -s bench/load.lua URL -- <run nonce> <directory for the acknowledged ids> [<interval ms>]
--
-- <interval ms>: each wrk thread starts a request every this many milliseconds (its share of
-- the configured rate), on a schedule read from the clock (/proc/uptime), whichever of its
-- connections is free: the rate holds whatever the latency (a fixed pause after each answer
-- would add the latency to it: 50 connections pausing 167 ms reached 146/s, not 300/s).
-- A thread that fell behind (every connection busy) catches up at most one second's worth.
-- 0: as fast as answered.
--
-- Each thread writes the id of every response the server acknowledged (2xx) to
-- <directory>/ids-<thread>.txt, so that load.py can check them against the database; done()
-- prints one line "RESULT {json}" with the latency percentiles, errors and status counts.

-- The rate limits count a device by this header (surveyhub/security/ratelimit.py DEVICE_HEADER).
local DEVICE_HEADER = "X-Device-Id"

local REASONS = { "delivery", "quality", "price", "service", "app" }
local CHANNELS = { "api", "api", "wechat", "wechat", "wechat", "qr", "link" }
local STORES = { "SH01", "SH02", "BJ01", "BJ03", "GZ02", "SZ01", "HZ05", "CD06" }
local DETRACTOR_TEXTS = {
  "下单十天了还没收到货，物流信息一直停在中转站😡",
  "客服态度很差，问了三遍都没人回复，太失望了",
  "质量一般，用了两次就坏了，申请退货还要自己出运费😤",
  "价格比别家贵不少，活动规则也看不懂",
  "App 老是闪退，订单都查不了，急死人了！！",
  "包装破了，里面的东西也有划痕，希望改进一下包装💔",
  "退款申请提交三周了还没到账，打了五次电话都说在处理",
  "尺码和描述不符，换货流程太麻烦",
}
local PASSIVE_TEXTS = {
  "整体还行，就是配送有点慢",
  "东西不错，价格如果再便宜点就更好了🙂",
  "客服回复挺快的，不过问题没有一次解决",
  "还可以吧，和别家差不多",
  "商品质量可以，物流需要加强",
}
local PROMOTER_TEXTS = {
  "发货很快，第二天就到了，包装也很用心👍",
  "客服小姐姐非常耐心，帮我解决了问题，点赞！",
  "质量很好，性价比高，已经推荐给同事了😊",
  "一直在这里买，从来没失望过❤️",
  "会员活动很实惠，App 也很好用🎉",
  "物流超快，东西和图片一模一样，五星好评⭐⭐⭐⭐⭐",
}

local nonce, id_dir
local interval_s = 0
local next_at = nil
local counter = 0
local ids_file
local statuses = {}
local duplicates = 0

local threads = {}
local next_thread = 1

-- Set by setup() below into each thread's state; read back by done() through thread:get().
thread_id = 0
last_summary = ""

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  nonce = tonumber(args[1]) or 0
  id_dir = args[2] or "/tmp"
  interval_s = (tonumber(args[3]) or 0) / 1000
  math.randomseed(nonce * 1000 + thread_id)
  ids_file = io.open(string.format("%s/ids-%d.txt", id_dir, thread_id), "w")
  ids_file:setvbuf("line")
end

local function pick(list)
  return list[math.random(#list)]
end

local function score()
  -- Roughly a retail NPS mix: a quarter detractors, a third passives, the rest promoters.
  local r = math.random()
  if r < 0.25 then return math.random(0, 6) end
  if r < 0.58 then return math.random(7, 8) end
  return math.random(9, 10)
end

local function answers_json(nps)
  local parts = { string.format('"nps": %d', nps) }
  if nps <= 6 then
    local first = math.random(#REASONS)
    local second = math.random(#REASONS)
    if first == second then
      table.insert(parts, string.format('"reason": ["%s"]', REASONS[first]))
    else
      table.insert(parts, string.format('"reason": ["%s", "%s"]', REASONS[first], REASONS[second]))
    end
    if math.random() < 0.8 then
      table.insert(parts, string.format('"comment": "%s"', pick(DETRACTOR_TEXTS)))
    end
  elseif nps <= 8 then
    if math.random() < 0.6 then
      table.insert(parts, string.format('"comment": "%s"', pick(PASSIVE_TEXTS)))
    end
  else
    if math.random() < 0.7 then
      table.insert(parts, string.format('"praise": "%s"', pick(PROMOTER_TEXTS)))
    end
    if math.random() < 0.3 then
      table.insert(parts, string.format('"comment": "%s"', pick(PROMOTER_TEXTS)))
    end
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

-- Seconds since boot, to the hundredth (wrk's Lua has no wall clock finer than os.time()).
local function now_s()
  local uptime = io.open("/proc/uptime", "r")
  local seconds = uptime:read("*n")
  uptime:close()
  return seconds
end

function delay()
  -- The next slot of this thread's schedule, taken by the connection that asks first.
  if interval_s <= 0 then return 0 end
  local now = now_s()
  if next_at == nil or next_at < now - 1 then next_at = math.max(next_at or now, now - 1) end
  local wait = next_at - now
  next_at = next_at + interval_s
  if wait <= 0 then return 0 end
  return math.floor(wait * 1000)
end

function request()
  counter = counter + 1
  -- Unique per run, thread and request; decimal digits are valid hex digits.
  local submission_id = string.format(
    "%08d-%04d-4000-8000-%012d", nonce % 100000000, thread_id, counter
  )
  local body = string.format(
    '{"answers": %s, "submission_id": "%s", "channel": "%s", "store": "%s", '
      .. '"language": "zh-hans", "consent": true}',
    answers_json(score()), submission_id, pick(CHANNELS), pick(STORES)
  )
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept-Language"] = "zh-CN,zh;q=0.9",
    [DEVICE_HEADER] = string.format("load-%d-%d-%d", nonce, thread_id, counter),
  }
  return wrk.format("POST", nil, headers, body)
end

local function encode_statuses()
  local parts = {}
  for code, count in pairs(statuses) do
    table.insert(parts, string.format("%d:%d", code, count))
  end
  return table.concat(parts, ",")
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 200 and status < 300 then
    local id = body:match('"id":%s*(%d+)')
    if id then ids_file:write(id, "\n") end
    if body:find('"duplicate":%s*true') then duplicates = duplicates + 1 end
  end
  last_summary = encode_statuses() .. ";" .. duplicates
end

function done(summary, latency, requests)
  local statuses_total = {}
  local duplicates_total = 0
  for _, thread in ipairs(threads) do
    local encoded = thread:get("last_summary") or ""
    local codes, dups = encoded:match("^(.*);(%d+)$")
    for code, count in string.gmatch(codes or "", "(%d+):(%d+)") do
      statuses_total[code] = (statuses_total[code] or 0) + tonumber(count)
    end
    duplicates_total = duplicates_total + tonumber(dups or 0)
  end
  local codes = {}
  for code, count in pairs(statuses_total) do
    table.insert(codes, string.format('"%s": %d', code, count))
  end
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_ms": %.3f, "p90_ms": %.3f, '
      .. '"p95_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, "non_2xx": %d, '
      .. '"duplicates": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status, duplicates_total, table.concat(codes, ", ")
  ))
end
