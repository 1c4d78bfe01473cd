-- wrk script: POST the comment form like a browser, with the CSRF cookie and token given
-- in the environment (CSRF_COOKIE, CSRF_TOKEN, ARTICLE_ID). Each request is a new reader
-- (name, email) with one of a few texts, legitimate and spam; prints the BENCH line of
-- ../shared/bench-peers/wrk-report.lua.
local token = os.getenv("CSRF_TOKEN")
local cookie = os.getenv("CSRF_COOKIE")
local article = os.getenv("ARTICLE_ID")
local texts = {
  "Xiaomi's growth is remarkable, and Facebook would have been smart to invest.",
  "I doubt the deal would have passed regulators in China. Interesting read though.",
  "Check out my channel for free gift cards http://gifts.example subscribe please",
  "The Mi 4 was a solid phone for the price; the software still needs work.",
  "Earn $500 a day from home, click here http://money.example now!!",
}
local counter = 0
math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)

local function encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  counter = counter + 1
  local id = tostring(math.random(1, 999999999))
  local body = "csrfmiddlewaretoken=" .. token .. "&article=" .. article
    .. "&parent=&homepage=&url=&comment=" .. encode(texts[counter % #texts + 1] .. " #" .. id)
    .. "&author=" .. encode("Reader " .. id) .. "&email=r" .. id .. "%40mail.example"
  return wrk.format("POST", "/comments/post/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36",
  }, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
