-- Shared by the harness's wrk scripts: input files, outcome counters kept per wrk thread, and one line of JSON
-- at the end ("BENCHJSON {...}") that bench/measure.py reads. wrk runs each script in every thread's own Lua
-- state and once more in a main state for setup() and done().
local M = {}

local threads = {}

-- Counters of this thread, read by done() in the main state through thread:get("counts").
counts = {}

function M.count(key, amount)
    counts[key] = (counts[key] or 0) + (amount or 1)
end

-- The non-empty lines of a file.
function M.lines(path)
    local result = {}
    for line in io.lines(path) do
        if line ~= "" then result[#result + 1] = line end
    end
    assert(#result > 0, "no lines in " .. path)
    return result
end

-- The tab-separated fields of a line.
function M.fields(line)
    local result = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do result[#result + 1] = field end
    return result
end

function M.urlencode(text)
    return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

-- Numbers the threads (1, 2, …) so that each can take its own share of the inputs.
function M.setup(thread)
    threads[#threads + 1] = thread
    thread:set("thread_number", #threads)
end

-- Seeds each thread differently; call from init().
function M.seed()
    math.randomseed(os.time() * 1000 + (thread_number or 0))
end

-- Counts the status of every response, and whether 429/503 answers carry Retry-After.
function M.count_response(status, headers)
    M.count("status_" .. status)
    if status == 429 or status == 503 then
        if headers["Retry-After"] or headers["retry-after"] then M.count("retry_after_" .. status) end
    end
end

local function encode(value)
    if type(value) == "table" then
        local parts = {}
        for key, item in pairs(value) do parts[#parts + 1] = string.format("%q:%s", key, encode(item)) end
        return "{" .. table.concat(parts, ",") .. "}"
    elseif type(value) == "number" then
        return string.format("%.17g", value)
    end
    return string.format("%q", tostring(value))
end

-- wrk's summary, latency percentiles (microseconds) and every thread's counters, as one JSON line.
function M.done(summary, latency)
    local merged = {}
    for _, thread in ipairs(threads) do
        for key, value in pairs(thread:get("counts") or {}) do merged[key] = (merged[key] or 0) + value end
    end
    local result = {
        requests = summary.requests,
        duration_us = summary.duration,
        bytes = summary.bytes,
        errors = summary.errors,
        latency_us = {
            mean = latency.mean, max = latency.max, p50 = latency:percentile(50), p90 = latency:percentile(90),
            p99 = latency:percentile(99), p999 = latency:percentile(99.9),
        },
        counts = merged,
    }
    io.write("BENCHJSON ", encode(result), "\n")
end

return M
