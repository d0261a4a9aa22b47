-- wrk script for bench/submit.py: one new comment per request (the peers harness's POST shape:
-- ~300 characters of Markdown with a link, a guest author), spread over BENCH_URIS threads.
local site   = os.getenv("BENCH_SITE") or "bench"
local nuris  = tonumber(os.getenv("BENCH_URIS") or "1000")
local runtag = os.getenv("BENCH_RUN") or "0"
local nthreads = 0
counter = 0

function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
end

function request()
  counter = counter + 1
  local id = tid or 0
  local u = (counter + id * 7919) % nuris
  local body = string.format(
    '{"site": "%s", "thread": "/bench/post-r%s-%d", ' ..
    '"body": "Benchmark comment %d from client %d. A *short* paragraph with some **markdown**, ' ..
    'a link to https://example.com/article/%d and enough words to look like a real reader replying ' ..
    'to the article above. Thanks for writing it!", ' ..
    '"author": {"name": "Reader %d-%d", "email": "reader%d-%d@example.com"}, "title": "Bench thread %d"}',
    site, runtag, u, counter, id, u, id, counter, id, counter, u)
  return wrk.format("POST", "/api/v1/comments", {
    ["Content-Type"] = "application/json",
    ["Origin"] = "http://127.0.0.1:8080",
  }, body)
end
